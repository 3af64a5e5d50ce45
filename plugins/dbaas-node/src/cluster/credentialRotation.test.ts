import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { mockServices } from '@backstage/backend-test-utils';
import {
  credentialTwinName,
  deriveDatabaseNames,
  RoleAccess,
} from '@dbaas/plugin-dbaas-common';
import { RoleSecret } from '../secrets/types';
import { PostgresClusterObserver } from './PostgresClusterObserver';
import { PostgresProvisioner } from './PostgresProvisioner';
import { generatePassword } from './scram';
import { quoteIdent, quoteLiteral } from './sql';
import { MergedDatabaseDefinition } from './types';
import {
  allowLoginDatabase,
  asRole,
  connectAs,
  dropEverything,
  MemorySecretStore,
  postgresSuite,
  TEST_DATABASE_URL,
  testConnection,
  uniqueNamespace,
  withSuperuser,
} from './__testUtils__/postgres';

const describeWithPostgres = TEST_DATABASE_URL ? describe : describe.skip;
const run = promisify(execFile);

jest.setTimeout(120_000);

const ACCESS: RoleAccess[] = ['read', 'write', 'admin'];
const ENDPOINT = { host: 'db.example.internal', port: 5432 };
const PGBENCH = process.env.DBAAS_TEST_PG_BIN
  ? join(process.env.DBAAS_TEST_PG_BIN, 'pgbench')
  : undefined;

/** The SQLSTATE (or message) a login or statement failed with. */
async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  return 'no error';
}

describeWithPostgres(postgresSuite('credential rotation'), () => {
  const created: MergedDatabaseDefinition[] = [];
  const store = new MemorySecretStore();
  const logger = mockServices.logger.mock();
  const provisioner = new PostgresProvisioner({
    cluster: 'test',
    connection: testConnection(),
    publicEndpoint: ENDPOINT,
    secretStore: store,
    logger,
  });

  async function newDatabase() {
    const definition: MergedDatabaseDefinition = {
      namespace: uniqueNamespace('r'),
      name: 'ledger',
      mode: 'standard',
    };
    created.push(definition);
    await provisioner.ensure(definition);
    const names = deriveDatabaseNames(definition.namespace, definition.name);
    const secretOf = async (access: RoleAccess) =>
      (await store.get(names.secretManagerPaths[access])) as RoleSecret;
    return { definition, names, secretOf };
  }

  afterAll(async () => {
    const names = created.map(d => deriveDatabaseNames(d.namespace, d.name));
    await dropEverything(
      names.map(n => n.databaseName),
      names.flatMap(n =>
        ACCESS.flatMap(a => [
          credentialTwinName(n.databaseName, a),
          n.roles[a],
        ]),
      ),
    );
  });

  it('alternates two users behind one secret path; the previous password works until the next rotation', async () => {
    const { definition, names, secretOf } = await newDatabase();
    const db = names.databaseName;
    const twin = credentialTwinName(db, 'write');
    const path = names.secretManagerPaths.write;
    const first = await secretOf('write');
    expect(first.username).toBe(names.roles.write);

    const one = await provisioner.rotate(definition, 'write');
    expect(one).toMatchObject({ state: 'succeeded', username: twin });
    const second = await secretOf('write');
    expect(second).toMatchObject({ username: twin, endpoint: ENDPOINT.host });
    expect(second.password).not.toBe(first.password);
    expect([...store.secrets.keys()].filter(p => p === path)).toHaveLength(1);

    // Both credentials log in after the first rotation.
    await asRole(first, db, c => c.query('SELECT 1'));
    await asRole(second, db, async c => {
      // The twin acts as the role: same privileges, same identity.
      const { rows } = await c.query(
        'SELECT current_user AS role, session_user AS login',
      );
      expect(rows[0]).toEqual({ role: names.roles.write, login: twin });
    });

    const two = await provisioner.rotate(definition, 'write');
    expect(two.username).toBe(names.roles.write);
    const third = await secretOf('write');
    expect(third.username).toBe(names.roles.write);
    // The first password is gone, the second still works, the third too.
    expect(await failure(connectAs(first.username, first.password, db))).toBe(
      '28P01',
    );
    await asRole(second, db, c => c.query('SELECT 1'));
    await asRole(third, db, c => c.query('SELECT 1'));

    // No password in the changes or the log lines.
    const logged = JSON.stringify(logger.info.mock.calls);
    for (const secret of [first, second, third]) {
      expect(JSON.stringify([one, two])).not.toContain(secret.password);
      expect(logged).not.toContain(secret.password);
    }
  });

  it('makes what the admin twin creates owned by the admin role, usable by write and read', async () => {
    const { definition, names, secretOf } = await newDatabase();
    const db = names.databaseName;
    await provisioner.rotate(definition, 'admin');
    await provisioner.rotate(definition, 'write');
    const admin = await secretOf('admin');
    expect(admin.username).toBe(credentialTwinName(db, 'admin'));
    await asRole(admin, db, c =>
      c.query('CREATE TABLE items (id serial PRIMARY KEY, label text)'),
    );
    const owner = await withSuperuser(async c => {
      const { rows } = await c.query(
        `SELECT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relname = 'items'`,
      );
      return rows[0].owner;
    }, db);
    expect(owner).toBe(names.roles.admin);
    await asRole(await secretOf('write'), db, c =>
      c.query(`INSERT INTO items (label) VALUES ('by the write twin')`),
    );
    await asRole(await secretOf('read'), db, async c => {
      const { rows } = await c.query('SELECT label FROM items');
      expect(rows).toEqual([{ label: 'by the write twin' }]);
    });
    // The write twin has no more than write: no CREATE.
    await asRole(await secretOf('write'), db, async c => {
      expect(await failure(c.query('CREATE TABLE mine (x int)'))).toBe('42501');
    });
  });

  it('leaves a rotated database alone on reconcile: no password reset, nothing changed', async () => {
    const { definition, secretOf } = await newDatabase();
    await provisioner.rotate(definition, 'read');
    const before = await secretOf('read');
    await expect(provisioner.ensure(definition)).resolves.toEqual({
      changes: [],
    });
    expect(await secretOf('read')).toEqual(before);
    await provisioner.rotate(definition, 'read');
    await expect(provisioner.ensure(definition)).resolves.toEqual({
      changes: [],
    });
  });

  it('repairs a twin that lost its membership or password on reconcile', async () => {
    const { definition, names, secretOf } = await newDatabase();
    const db = names.databaseName;
    const twin = credentialTwinName(db, 'write');
    await provisioner.rotate(definition, 'write');
    await withSuperuser(async c => {
      await c.query(`REVOKE "${names.roles.write}" FROM "${twin}"`);
      await c.query(`ALTER ROLE "${twin}" PASSWORD 'tampered' CREATEDB`);
    });
    const { changes } = await provisioner.ensure(definition);
    expect(changes).toEqual(
      expect.arrayContaining([
        `granted ${names.roles.write} to ${twin}`,
        `set the password of role ${twin} to the one in its secret`,
      ]),
    );
    await asRole(await secretOf('write'), db, c => c.query('SELECT 1'));
  });

  it('shows twins in the observation, under their database, and drops them with it', async () => {
    const { definition, names } = await newDatabase();
    const db = names.databaseName;
    await provisioner.rotate(definition, 'write');
    const observer = new PostgresClusterObserver({
      cluster: 'test',
      connection: testConnection(),
    });
    const observation = await observer.observe();
    expect(observation.reachable).toBe(true);
    const seen = observation.reachable
      ? observation.databases.get(db)
      : undefined;
    expect(seen).toMatchObject({
      roles: { read: true, write: true, admin: true },
      credentialTwins: { read: false, write: true, admin: false },
    });
    // No database or entry of its own for a twin.
    expect(
      observation.reachable
        ? [...observation.databases.keys()].filter(k => k.includes('_b'))
        : [],
    ).toEqual([]);

    const { changes } = await provisioner.drop(definition);
    expect(changes).toEqual(
      expect.arrayContaining([
        `dropped role ${credentialTwinName(db, 'write')}`,
        `dropped role ${names.roles.write}`,
      ]),
    );
    const left = await withSuperuser(async c => {
      const { rows } = await c.query(
        'SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)',
        [db],
      );
      return rows.map(r => r.rolname);
    });
    expect(left).toEqual([]);
  });

  it('refuses to rotate a database that does not exist yet', async () => {
    const definition: MergedDatabaseDefinition = {
      namespace: uniqueNamespace('r'),
      name: 'ghost',
      mode: 'standard',
    };
    await expect(provisioner.rotate(definition, 'write')).rejects.toThrow(
      /do not exist yet; rotate once the database is provisioned/,
    );
  });

  it("rotates as Aurora's master user (CREATEROLE, no superuser: no verifier to read)", async () => {
    const master = `${uniqueNamespace('m')}_master`;
    const masterPassword = generatePassword();
    await withSuperuser(c =>
      c.query(
        `CREATE ROLE ${quoteIdent(
          master,
        )} LOGIN CREATEDB CREATEROLE PASSWORD ${quoteLiteral(masterPassword)}`,
      ),
    );
    await allowLoginDatabase(master);
    try {
      const asMaster = new PostgresProvisioner({
        cluster: 'aurora-like',
        connection: {
          ...testConnection(),
          user: master,
          password: masterPassword,
        },
        publicEndpoint: ENDPOINT,
        secretStore: store,
      });
      const definition: MergedDatabaseDefinition = {
        namespace: uniqueNamespace('r'),
        name: 'ledger',
        mode: 'standard',
      };
      created.push(definition);
      await asMaster.ensure(definition);
      const names = deriveDatabaseNames(definition.namespace, definition.name);
      const before = (await store.get(names.secretManagerPaths.write))!;
      await expect(asMaster.rotate(definition, 'write')).resolves.toMatchObject(
        { username: credentialTwinName(names.databaseName, 'write') },
      );
      const after = (await store.get(names.secretManagerPaths.write))!;
      await asRole(after, names.databaseName, c => c.query('SELECT 1'));
      await asRole(before, names.databaseName, c => c.query('SELECT 1'));
      await expect(asMaster.ensure(definition)).resolves.toEqual({
        changes: [],
      });
      await asMaster.drop(definition);
    } finally {
      await withSuperuser(async c => {
        await c.query(
          `REVOKE CONNECT ON DATABASE postgres FROM ${quoteIdent(master)}`,
        );
        await c.query(`DROP ROLE IF EXISTS ${quoteIdent(master)}`);
      });
    }
  });

  const describeWithPgbench = PGBENCH ? describe : describe.skip;
  describeWithPgbench('under a running pgbench', () => {
    it('loses no transaction the old credential started, and every new login with it still works', async () => {
      const { definition, names, secretOf } = await newDatabase();
      const db = names.databaseName;
      await asRole(await secretOf('admin'), db, c =>
        c.query('CREATE TABLE ledger (id bigserial PRIMARY KEY, v int)'),
      );
      const old = await secretOf('write');
      const dir = await mkdtemp(join(tmpdir(), 'rotation-'));
      try {
        const script = join(dir, 'insert.sql');
        await writeFile(script, 'INSERT INTO ledger (v) VALUES (1);\n');
        const { host, port } = testConnection();
        // -C: a new login per transaction, with the credential from before
        // the rotations, for the whole run.
        const bench = run(
          PGBENCH!,
          ['-n', '-C', '-c', '4', '-T', '6', '-f', script, db],
          {
            env: {
              ...process.env,
              PGHOST: host,
              PGPORT: String(port),
              PGUSER: old.username,
              PGPASSWORD: old.password,
            },
          },
        );
        await new Promise(resolve => setTimeout(resolve, 1_500));
        await provisioner.rotate(definition, 'write');
        await new Promise(resolve => setTimeout(resolve, 1_500));
        // Another role's rotation on the same database meanwhile.
        await provisioner.rotate(definition, 'admin');
        const { stdout } = await bench;
        const processed = Number(
          /number of transactions actually processed: (\d+)/.exec(stdout)?.[1],
        );
        const failed = Number(
          /number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? '0',
        );
        expect(processed).toBeGreaterThan(10);
        expect(failed).toBe(0);
        const rows = await withSuperuser(async c => {
          const result = await c.query('SELECT count(*)::int AS n FROM ledger');
          return result.rows[0].n;
        }, db);
        expect(rows).toBe(processed);
        // The new credential works too.
        await asRole(await secretOf('write'), db, c =>
          c.query('INSERT INTO ledger (v) VALUES (2)'),
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
