import { Client } from 'pg';
import { mockServices } from '@backstage/backend-test-utils';
import { deriveDatabaseNames, RoleAccess } from '@dbaas/plugin-dbaas-common';
import { RoleSecret } from '../secrets/types';
import { PostgresProvisioner } from './PostgresProvisioner';
import { generatePassword, scramSha256Verifier } from './scram';
import { quoteIdent, quoteLiteral } from './sql';
import { MergedDatabaseDefinition } from './types';
import {
  allowLoginDatabase,
  asRole,
  connectAs,
  postgresSuite,
  TEST_DATABASE_URL,
  dropEverything,
  MemorySecretStore,
  testConnection,
  uniqueNamespace,
  withSuperuser,
} from './__testUtils__/postgres';

const describeWithPostgres = TEST_DATABASE_URL ? describe : describe.skip;

jest.setTimeout(60_000);

const ACCESS: RoleAccess[] = ['read', 'write', 'admin'];
const ENDPOINT = { host: 'db.example.internal', port: 5432 };

/** The SQLSTATE a statement (or a login) failed with. */
async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  return 'no error';
}

describeWithPostgres(postgresSuite('PostgresProvisioner'), () => {
  const created: MergedDatabaseDefinition[] = [];
  const store = new MemorySecretStore();
  const provisioner = new PostgresProvisioner({
    cluster: 'test',
    connection: testConnection(),
    publicEndpoint: ENDPOINT,
    secretStore: store,
  });

  /** A new definition in its own namespace, cleaned up after the file. */
  function newDefinition(mode: 'standard' | 'protected' = 'standard') {
    const definition: MergedDatabaseDefinition = {
      namespace: uniqueNamespace(),
      name: 'orders',
      mode,
    };
    created.push(definition);
    return {
      definition,
      names: deriveDatabaseNames(definition.namespace, definition.name),
    };
  }

  async function secretOf(
    definition: MergedDatabaseDefinition,
    access: RoleAccess,
  ) {
    const names = deriveDatabaseNames(definition.namespace, definition.name);
    const secret = await store.get(names.secretManagerPaths[access]);
    expect(secret).toBeDefined();
    return secret as RoleSecret;
  }

  afterAll(async () => {
    const names = created.map(d => deriveDatabaseNames(d.namespace, d.name));
    await dropEverything(
      names.map(n => n.databaseName),
      names.flatMap(n => ACCESS.map(a => n.roles[a])),
    );
  });

  describe('ensure, then the three roles', () => {
    const { definition, names } = newDefinition();
    const db = names.databaseName;
    let firstChanges: string[] = [];

    beforeAll(async () => {
      ({ changes: firstChanges } = await provisioner.ensure(definition));
    });

    it('reports what it created', () => {
      expect(firstChanges).toEqual(
        expect.arrayContaining([
          `created database ${db}`,
          `created role ${names.roles.read}`,
          `created role ${names.roles.write}`,
          `created role ${names.roles.admin}`,
          `stored secret customer/${definition.namespace}/${names.roles.read}`,
          `revoked CONNECT, TEMPORARY on database ${db} from PUBLIC`,
          `revoked USAGE on schema public from PUBLIC`,
          `made ${names.roles.admin} the owner of schema public`,
        ]),
      );
      // Nothing in the changes is a password.
      for (const secret of store.secrets.values()) {
        expect(firstChanges.join('\n')).not.toContain(secret.password);
      }
    });

    it('stores each role secret with the chart keys and the public endpoint', async () => {
      for (const access of ACCESS) {
        const secret = await secretOf(definition, access);
        expect(secret).toEqual({
          username: names.roles[access],
          password: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
          endpoint: ENDPOINT.host,
          port: ENDPOINT.port,
        });
      }
    });

    it('makes the admin role the owner of the database and of schema public', async () => {
      const owners = await withSuperuser(async client => {
        const database = await client.query(
          'SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1',
          [db],
        );
        return database.rows[0].owner;
      });
      expect(owners).toBe(names.roles.admin);
      const schemaOwner = await withSuperuser(async client => {
        const { rows } = await client.query(
          `SELECT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = 'public'`,
        );
        return rows[0].owner;
      }, db);
      expect(schemaOwner).toBe(names.roles.admin);
    });

    it('lets admin create tables that read can read and write can write (default privileges)', async () => {
      const admin = await secretOf(definition, 'admin');
      await asRole(admin, db, async c => {
        await c.query('CREATE TABLE items (id serial PRIMARY KEY, label text)');
        await c.query(`INSERT INTO items (label) VALUES ('from admin')`);
      });

      const read = await secretOf(definition, 'read');
      await asRole(read, db, async c => {
        const { rows } = await c.query('SELECT label FROM items');
        expect(rows).toEqual([{ label: 'from admin' }]);
      });

      const write = await secretOf(definition, 'write');
      await asRole(write, db, async c => {
        // serial: needs USAGE on the sequence, from the default privileges.
        await c.query(`INSERT INTO items (label) VALUES ('from write')`);
        await c.query(
          `UPDATE items SET label = 'updated' WHERE label = 'from write'`,
        );
        const { rows } = await c.query('SELECT count(*)::int AS n FROM items');
        expect(rows[0].n).toBe(2);
        await c.query(`DELETE FROM items WHERE label = 'updated'`);
        await c.query('TRUNCATE items');
      });
    });

    it('lets read SELECT but not INSERT, UPDATE, DELETE or TRUNCATE', async () => {
      const admin = await secretOf(definition, 'admin');
      await asRole(admin, db, c =>
        c.query('CREATE TABLE IF NOT EXISTS notes (body text)'),
      );
      const read = await secretOf(definition, 'read');
      await asRole(read, db, async c => {
        await expect(c.query('SELECT * FROM notes')).resolves.toBeDefined();
        expect(await failure(c.query(`INSERT INTO notes VALUES ('x')`))).toBe(
          '42501',
        );
        expect(await failure(c.query(`UPDATE notes SET body = 'y'`))).toBe(
          '42501',
        );
        expect(await failure(c.query('DELETE FROM notes'))).toBe('42501');
        expect(await failure(c.query('TRUNCATE notes'))).toBe('42501');
        expect(await failure(c.query('CREATE TABLE mine (x int)'))).toBe(
          '42501',
        );
      });
    });

    it('does not let write create tables or schemas', async () => {
      const write = await secretOf(definition, 'write');
      await asRole(write, db, async c => {
        expect(await failure(c.query('CREATE TABLE mine (x int)'))).toBe(
          '42501',
        );
        expect(await failure(c.query('CREATE SCHEMA mine'))).toBe('42501');
        // Temporary tables stay possible (TEMPORARY on the database).
        await c.query('CREATE TEMP TABLE scratch (x int)');
      });
    });

    it('grants on tables that existed before a reconcile, whoever created them', async () => {
      await withSuperuser(
        c => c.query('CREATE TABLE legacy (x int); CREATE SEQUENCE legacy_seq'),
        db,
      );
      const { changes } = await provisioner.ensure(definition);
      expect(changes).toEqual([
        `granted SELECT on 1 tables to ${names.roles.read}`,
        `granted SELECT, INSERT, UPDATE, DELETE, TRUNCATE on 1 tables to ${names.roles.write}`,
        `granted USAGE, SELECT on 1 sequences to ${names.roles.write}`,
      ]);
      await asRole(await secretOf(definition, 'read'), db, c =>
        c.query('SELECT * FROM legacy'),
      );
      await asRole(await secretOf(definition, 'write'), db, async c => {
        await c.query('INSERT INTO legacy VALUES (1)');
        await c.query(`SELECT nextval('legacy_seq')`);
      });
    });

    it('changes nothing on a second ensure', async () => {
      const before = new Map(store.secrets);
      await expect(provisioner.ensure(definition)).resolves.toEqual({
        changes: [],
      });
      // Passwords were re-used, not regenerated.
      expect(new Map(store.secrets)).toEqual(before);
    });

    it("refuses other tenants' roles and roles without a grant (PUBLIC)", async () => {
      const other = newDefinition();
      await provisioner.ensure(other.definition);
      const intruder = await secretOf(other.definition, 'admin');
      expect(
        await failure(connectAs(intruder.username, intruder.password, db)),
      ).toBe('42501'); // permission denied for database

      const someone = `${uniqueNamespace('nobody')}-login`;
      const password = generatePassword();
      await withSuperuser(c =>
        c.query(
          `CREATE ROLE ${quoteIdent(someone)} LOGIN PASSWORD ${quoteLiteral(
            scramSha256Verifier(password),
          )}`,
        ),
      );
      try {
        expect(await failure(connectAs(someone, password, db))).toBe('42501');
        // ... while it can log in at all (so the refusal is CONNECT, not auth).
        await allowLoginDatabase(someone);
        const elsewhere = await connectAs(someone, password, 'postgres');
        await elsewhere.end();
      } finally {
        await dropEverything([], [someone]);
      }
    });
  });

  describe('repairs drift', () => {
    it('gives a role whose secret is missing a new password, and stores it', async () => {
      const { definition, names } = newDefinition();
      await provisioner.ensure(definition);
      const path = names.secretManagerPaths.write;
      const old = await secretOf(definition, 'write');
      await store.delete(path);

      const { changes } = await provisioner.ensure(definition);
      expect(changes).toEqual([
        `stored secret ${path}`,
        `set a new password for role ${names.roles.write} (its secret was missing)`,
      ]);
      const renewed = await secretOf(definition, 'write');
      expect(renewed.password).not.toBe(old.password);
      await asRole(renewed, names.databaseName, c => c.query('SELECT 1'));
      expect(
        await failure(
          connectAs(old.username, old.password, names.databaseName),
        ),
      ).toBe('28P01');
    });

    it('resets a password changed behind its back to the one in the secret, and role attributes', async () => {
      const { definition, names } = newDefinition();
      await provisioner.ensure(definition);
      await withSuperuser(c =>
        c.query(
          `ALTER ROLE ${quoteIdent(
            names.roles.read,
          )} CREATEDB PASSWORD ${quoteLiteral(
            scramSha256Verifier(generatePassword()),
          )}`,
        ),
      );
      const { changes } = await provisioner.ensure(definition);
      expect(changes).toEqual([
        `set the password of role ${names.roles.read} to the one in its secret`,
        `reset the attributes of role ${names.roles.read} to LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS`,
      ]);
      await asRole(await secretOf(definition, 'read'), names.databaseName, c =>
        c.query('SELECT 1'),
      );
    });

    it('re-uses a stored password for a role that is missing', async () => {
      const { definition, names } = newDefinition();
      await provisioner.ensure(definition);
      const secret = await secretOf(definition, 'read');
      // Its grants in the database must go before the role can.
      await withSuperuser(
        c => c.query(`DROP OWNED BY ${quoteIdent(names.roles.read)}`),
        names.databaseName,
      );
      await withSuperuser(c =>
        c.query(`DROP ROLE ${quoteIdent(names.roles.read)}`),
      );
      const { changes } = await provisioner.ensure(definition);
      expect(changes).toEqual([
        `created role ${names.roles.read}`,
        `granted CONNECT, TEMPORARY on database ${names.databaseName} to ${names.roles.read}`,
        `granted USAGE on schema public to ${names.roles.read}`,
        `set default privileges: SELECT on new tables of ${names.roles.admin} to ${names.roles.read}`,
      ]);
      expect(changes).not.toContain(
        `stored secret ${names.secretManagerPaths.read}`,
      );
      await asRole(secret, names.databaseName, c => c.query('SELECT 1'));
    });
  });

  it('survives two reconciles of the same database at once', async () => {
    const { definition, names } = newDefinition();
    const other = new PostgresProvisioner({
      cluster: 'test',
      connection: testConnection(),
      publicEndpoint: ENDPOINT,
      secretStore: store,
    });
    const results = await Promise.all([
      provisioner.ensure(definition),
      other.ensure(definition),
      provisioner.ensure(definition),
    ]);
    const all = results.flatMap(r => r.changes);
    expect(
      all.filter(c => c === `created database ${names.databaseName}`),
    ).toHaveLength(1);
    expect(all.filter(c => c.startsWith('created role'))).toHaveLength(3);
    await asRole(await secretOf(definition, 'admin'), names.databaseName, c =>
      c.query('SELECT 1'),
    );
  });

  it('never sends a password to the server, nor logs one', async () => {
    const sent: string[] = [];
    const original = Client.prototype.query;
    const spy = jest
      .spyOn(Client.prototype, 'query')
      .mockImplementation(function record(this: Client, ...args: unknown[]) {
        sent.push(JSON.stringify(args.filter(a => typeof a !== 'function')));
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      } as typeof Client.prototype.query);
    const passwords: string[] = [];
    const recording = new MemorySecretStore();
    const put = recording.put.bind(recording);
    recording.put = async (path, secret) => {
      passwords.push(secret.password);
      await put(path, secret);
    };
    const logger = mockServices.logger.mock();
    const logged = new PostgresProvisioner({
      cluster: 'test',
      connection: testConnection(),
      publicEndpoint: ENDPOINT,
      secretStore: recording,
      logger,
    });
    const { definition, names } = newDefinition();
    try {
      await logged.ensure(definition);
      // A missing secret: the admin role gets a second password.
      await recording.delete(names.secretManagerPaths.admin);
      await logged.ensure(definition);
      await logged.drop(definition);
    } finally {
      spy.mockRestore();
    }
    expect(passwords).toHaveLength(4);
    const everything = [
      ...sent,
      ...logger.info.mock.calls.map(call => JSON.stringify(call)),
    ].join('\n');
    expect(everything).toContain('SCRAM-SHA-256$4096:');
    expect(everything).toContain(`created role ${names.roles.read}`);
    for (const password of passwords) {
      expect(everything).not.toContain(password);
    }
  });

  describe('drop', () => {
    it('removes the database, the roles and the secrets; a second drop does nothing', async () => {
      const { definition, names } = newDefinition();
      await provisioner.ensure(definition);
      const admin = await secretOf(definition, 'admin');
      // An open session must not stop the drop.
      const session = await connectAs(
        admin.username,
        admin.password,
        names.databaseName,
      );
      session.on('error', () => {});

      const { changes } = await provisioner.drop(definition);
      expect(changes).toEqual([
        `dropped database ${names.databaseName}`,
        `dropped role ${names.roles.admin}`,
        `dropped role ${names.roles.write}`,
        `dropped role ${names.roles.read}`,
        `deleted secret ${names.secretManagerPaths.admin}`,
        `deleted secret ${names.secretManagerPaths.write}`,
        `deleted secret ${names.secretManagerPaths.read}`,
      ]);
      await session.end().catch(() => {});

      const left = await withSuperuser(async c => {
        const dbs = await c.query(
          'SELECT 1 FROM pg_database WHERE datname = $1',
          [names.databaseName],
        );
        const roles = await c.query(
          'SELECT 1 FROM pg_roles WHERE rolname = ANY($1)',
          [ACCESS.map(a => names.roles[a])],
        );
        return dbs.rowCount! + roles.rowCount!;
      });
      expect(left).toBe(0);
      for (const access of ACCESS) {
        expect(
          await store.get(names.secretManagerPaths[access]),
        ).toBeUndefined();
      }
      await expect(provisioner.drop(definition)).resolves.toEqual({
        changes: [],
      });
    });

    it('calls beforeDrop first and drops nothing when it fails', async () => {
      const { definition, names } = newDefinition();
      const beforeDrop = jest
        .fn()
        .mockRejectedValue(new Error('snapshot failed'));
      const guarded = new PostgresProvisioner({
        cluster: 'test',
        connection: testConnection(),
        publicEndpoint: ENDPOINT,
        secretStore: store,
        beforeDrop,
      });
      // Nothing to snapshot: not called.
      await expect(guarded.drop(definition)).resolves.toEqual({ changes: [] });
      expect(beforeDrop).not.toHaveBeenCalled();

      await guarded.ensure(definition);
      await expect(guarded.drop(definition)).rejects.toThrow(
        `Could not run the step before dropping (nothing was dropped) for database '${names.databaseName}' on cluster 'test'; caused by Error: snapshot failed`,
      );
      expect(beforeDrop).toHaveBeenCalledWith(definition);
      await asRole(await secretOf(definition, 'read'), names.databaseName, c =>
        c.query('SELECT 1'),
      );
    });

    it('refuses to drop a protected database', async () => {
      const { definition } = newDefinition('protected');
      await expect(provisioner.drop(definition)).rejects.toMatchObject({
        name: 'NotAllowedError',
      });
    });
  });

  describe("as Aurora's master user (CREATEDB CREATEROLE, no superuser)", () => {
    const master = `${uniqueNamespace('m')}_master`;
    const password = generatePassword();
    let asMaster: PostgresProvisioner;

    beforeAll(async () => {
      await withSuperuser(c =>
        c.query(
          `CREATE ROLE ${quoteIdent(
            master,
          )} LOGIN CREATEDB CREATEROLE PASSWORD ${quoteLiteral(password)}`,
        ),
      );
      await allowLoginDatabase(master);
      const base = testConnection();
      asMaster = new PostgresProvisioner({
        cluster: 'aurora-like',
        connection: { ...base, user: master, password },
        publicEndpoint: ENDPOINT,
        secretStore: store,
      });
    });

    afterAll(async () => {
      await withSuperuser(async c => {
        await c.query(
          `REVOKE CONNECT ON DATABASE postgres FROM ${quoteIdent(master)}`,
        );
        await c.query(`DROP ROLE IF EXISTS ${quoteIdent(master)}`);
      });
    });

    it('joins the -admin role to create the database for it, grants as for any database, and drops it', async () => {
      const { definition, names } = newDefinition();
      const { changes } = await asMaster.ensure(definition);
      expect(changes).toContain(
        `granted ${names.roles.admin} to the cluster's admin user`,
      );
      const admin = await secretOf(definition, 'admin');
      const read = await secretOf(definition, 'read');
      await asRole(admin, names.databaseName, async c => {
        await c.query('CREATE TABLE t (id int)');
        await c.query('INSERT INTO t VALUES (1)');
      });
      expect(
        await asRole(read, names.databaseName, c =>
          c.query('SELECT id FROM t').then(r => r.rows),
        ),
      ).toEqual([{ id: 1 }]);
      expect(
        await failure(
          asRole(read, names.databaseName, c =>
            c.query('INSERT INTO t VALUES (2)'),
          ),
        ),
      ).toBe('42501');
      await expect(asMaster.ensure(definition)).resolves.toEqual({
        changes: [],
      });
      const dropped = await asMaster.drop(definition);
      expect(dropped.changes).toContain(
        `dropped database ${names.databaseName}`,
      );
      expect(dropped.changes).toContain(`dropped role ${names.roles.admin}`);
    });
  });

  describe('errors', () => {
    it('names the database and step, never the password, when the cluster is unreachable', async () => {
      const password = 'Hunter2-admin-password';
      const unreachable = new PostgresProvisioner({
        cluster: 'gone',
        connection: {
          ...testConnection(),
          host: '127.0.0.1',
          port: 1,
          password,
        },
        publicEndpoint: ENDPOINT,
        secretStore: store,
        connectionTimeoutMillis: 2_000,
      });
      const { definition } = newDefinition();
      const error = await unreachable.ensure(definition).catch(e => e);
      expect(error.message).toMatch(
        new RegExp(
          `^Could not connect for database '${definition.namespace}-orders' on cluster 'gone'; caused by .*ECONNREFUSED`,
        ),
      );
      expect(
        `${error.message}\n${error.stack}\n${JSON.stringify(error)}`,
      ).not.toContain(password);
    });

    it('removes role passwords from errors of a failing step', async () => {
      const { definition, names } = newDefinition();
      const leaky = new MemorySecretStore();
      leaky.put = async (_path, secret) => {
        throw new Error(`backend rejected ${JSON.stringify(secret)}`);
      };
      const failing = new PostgresProvisioner({
        cluster: 'test',
        connection: testConnection(),
        publicEndpoint: ENDPOINT,
        secretStore: leaky,
      });
      const error = await failing.ensure(definition).catch(e => e);
      expect(error.name).toBe('Error');
      expect(error.message).toContain(
        `Could not store secret ${names.secretManagerPaths.admin} for database '${names.databaseName}' on cluster 'test'; caused by Error: backend rejected`,
      );
      expect(error.message).toContain('"password":"***"');
      expect(error.message).not.toMatch(/"password":"[A-Za-z0-9_-]{43}"/);
    });

    it('refuses malformed names before touching the cluster', async () => {
      await expect(
        provisioner.ensure({
          namespace: 'Bad_NS',
          name: 'x',
          mode: 'standard',
        }),
      ).rejects.toMatchObject({ name: 'InputError' });
    });
  });
});

describe('PostgresProvisioner.fromSettings', () => {
  it('refuses Aurora clusters, which ArgoCD and the chart provision', () => {
    expect(() =>
      PostgresProvisioner.fromSettings(
        {
          name: 'prod',
          environment: 'production',
          provider: 'aurora',
          connection: testConnection(),
          publicEndpoint: ENDPOINT,
          namespaces: [],
          capacity: 1,
        },
        { secretStore: new MemorySecretStore() },
      ),
    ).toThrow(
      "Cluster 'prod' has provider aurora; only local clusters are provisioned by the suite",
    );
  });
});
