import { deriveDatabaseNames, RoleAccess } from '@dbaas/plugin-dbaas-common';
import { ClusterConnection } from './connectionConfig';
import {
  createPersonalRole,
  dropPersonalRole,
  personalRoleExists,
  personalRoleName,
} from './personalRoles';
import { PostgresProvisioner } from './PostgresProvisioner';
import { generatePassword } from './scram';
import { quoteIdent, quoteLiteral } from './sql';
import {
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

jest.setTimeout(60_000);

const ACCESS: RoleAccess[] = ['read', 'write', 'admin'];
const HOUR = 3_600_000;

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    const client = await promise;
    await (client as { end?: () => Promise<void> })?.end?.();
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  return 'no error';
}

describe('personalRoleName', () => {
  const id = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

  it('is the user name and the start of the grant id', () => {
    expect(personalRoleName('user:default/alice', id)).toBe('alice_1a2b3c4d');
    expect(personalRoleName('user:alice', id)).toBe('alice_1a2b3c4d');
  });

  it('keeps only lower-case letters, digits and underscores', () => {
    expect(personalRoleName('user:default/Jane.Doe-Smith', id)).toBe(
      'jane_doe_smith_1a2b3c4d',
    );
    expect(personalRoleName('user:default/élodie', id)).toBe('lodie_1a2b3c4d');
    expect(personalRoleName('user:default/42', id)).toBe('u_42_1a2b3c4d');
    expect(personalRoleName('user:default/---', id)).toBe('u_1a2b3c4d');
  });

  it('stays within 63 bytes and differs per grant', () => {
    const long = `user:default/${'x'.repeat(200)}`;
    const role = personalRoleName(long, id);
    expect(Buffer.byteLength(role)).toBe(63);
    expect(role.endsWith('_1a2b3c4d')).toBe(true);
    expect(personalRoleName(long, 'ffffffff-0000')).not.toBe(role);
    // Ids that are not hex are hashed, still 8 characters.
    expect(personalRoleName('user:default/a', 'grant-x')).toMatch(
      /^a_[0-9a-f]{8}$/,
    );
  });
});

describeWithPostgres(postgresSuite('personal login roles'), () => {
  const namespace = uniqueNamespace('pa');
  const names = deriveDatabaseNames(namespace, 'orders');
  const created: string[] = [];
  const auroraAdmin = `${namespace}_rdsadmin`;
  const auroraPassword = generatePassword();

  /** A personal role for this test, dropped after the file. */
  function newRole(user = 'alice') {
    const role = personalRoleName(
      `user:default/${user}`,
      `${uniqueNamespace('')}${created.length}`,
    );
    created.push(role);
    return role;
  }

  beforeAll(async () => {
    await new PostgresProvisioner({
      cluster: 'test',
      connection: testConnection(),
      publicEndpoint: { host: 'db.example.internal', port: 5432 },
      secretStore: new MemorySecretStore(),
    }).ensure({ namespace, name: 'orders', mode: 'standard' });
    // An admin like Aurora's: CREATEROLE and pg_signal_backend, no superuser.
    await withSuperuser(async client => {
      await client.query(
        `CREATE ROLE ${quoteIdent(
          auroraAdmin,
        )} LOGIN CREATEROLE PASSWORD ${quoteLiteral(auroraPassword)}`,
      );
      await client.query(
        `GRANT pg_signal_backend TO ${quoteIdent(auroraAdmin)}`,
      );
      await client.query(
        `GRANT CONNECT ON DATABASE postgres TO ${quoteIdent(auroraAdmin)}`,
      );
    });
  });

  afterAll(async () => {
    await dropEverything(
      [names.databaseName],
      [...created, ...ACCESS.map(a => names.roles[a]), auroraAdmin],
    );
  });

  it('logs in until VALID UNTIL, as the database role, with no cluster-wide power', async () => {
    const role = newRole();
    const password = generatePassword();
    await createPersonalRole(testConnection(), {
      role,
      password,
      validUntil: new Date(Date.now() + HOUR),
      memberOf: names.roles.admin,
    });

    const attributes = await withSuperuser(async client => {
      const { rows } = await client.query(
        `SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication,
                rolbypassrls, rolvaliduntil, rolconfig,
                pg_has_role(rolname, $2, 'MEMBER') AS member
           FROM pg_roles WHERE rolname = $1`,
        [role, names.roles.admin],
      );
      return rows[0];
    });
    expect(attributes).toMatchObject({
      rolcanlogin: true,
      rolsuper: false,
      rolcreatedb: false,
      rolcreaterole: false,
      rolreplication: false,
      rolbypassrls: false,
      member: true,
      rolconfig: [`role=${names.roles.admin}`],
    });
    expect(attributes.rolvaliduntil.getTime()).toBeGreaterThan(Date.now());

    const session = await connectAs(role, password, names.databaseName);
    try {
      const { rows } = await session.query(
        'SELECT session_user::text AS person, current_user::text AS acting',
      );
      expect(rows[0]).toEqual({ person: role, acting: names.roles.admin });
      await session.query('CREATE TABLE made_by_a_person (id int)');
      const owner = await session.query(
        `SELECT tableowner FROM pg_tables WHERE tablename = 'made_by_a_person'`,
      );
      // Owned by the database's role: dropping the person leaves it.
      expect(owner.rows[0].tableowner).toBe(names.roles.admin);
      expect(await failure(session.query('CREATE DATABASE nope'))).toBe(
        '42501',
      );
    } finally {
      await session.end();
    }

    // The wrong password is refused, as is the right one for another role.
    expect(await failure(connectAs(role, 'wrong', names.databaseName))).toBe(
      '28P01',
    );
  });

  it('refuses the login after VALID UNTIL even while the role still exists', async () => {
    const role = newRole();
    const password = generatePassword();
    await createPersonalRole(testConnection(), {
      role,
      password,
      validUntil: new Date(Date.now() + 2_000),
      memberOf: names.roles.read,
    });
    const early = await connectAs(role, password, names.databaseName);
    await early.end();
    await new Promise(resolve => setTimeout(resolve, 2_500));
    expect(await personalRoleExists(testConnection(), role)).toBe(true);
    expect(await failure(connectAs(role, password, names.databaseName))).toBe(
      '28P01',
    );
  });

  it('drops the role, ending its sessions, after which the password is useless', async () => {
    const role = newRole();
    const password = generatePassword();
    await createPersonalRole(testConnection(), {
      role,
      password,
      validUntil: new Date(Date.now() + HOUR),
      memberOf: names.roles.admin,
    });
    const session = await connectAs(role, password, names.databaseName);
    const ended = new Promise<void>(resolve => session.on('end', resolve));

    expect(
      await dropPersonalRole(testConnection(), {
        role,
        reassignTo: names.roles.admin,
      }),
    ).toEqual({ dropped: true });
    await ended;
    expect(await failure(session.query('SELECT 1'))).not.toBe('no error');
    const sessions = await withSuperuser(async client => {
      const { rows } = await client.query(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = $1',
        [role],
      );
      return rows[0].n;
    });
    expect(sessions).toBe(0);
    expect(await personalRoleExists(testConnection(), role)).toBe(false);
    expect(await failure(connectAs(role, password, names.databaseName))).toBe(
      '28P01',
    );
    // Dropping again is fine.
    expect(
      await dropPersonalRole(testConnection(), {
        role,
        reassignTo: names.roles.admin,
      }),
    ).toEqual({ dropped: false });
  });

  it('reassigns what the role owns and drops its privileges before dropping it', async () => {
    const role = newRole();
    await createPersonalRole(testConnection(), {
      role,
      password: generatePassword(),
      validUntil: new Date(Date.now() + HOUR),
      memberOf: names.roles.admin,
    });
    await withSuperuser(async client => {
      await client.query('CREATE TABLE owned_by_person (id int)');
      await client.query(
        `ALTER TABLE owned_by_person OWNER TO ${quoteIdent(role)}`,
      );
      await client.query('CREATE TABLE shared_with_person (id int)');
      await client.query(
        `GRANT SELECT ON shared_with_person TO ${quoteIdent(role)}`,
      );
    }, names.databaseName);

    await dropPersonalRole(testConnection(), {
      role,
      reassignTo: names.roles.admin,
    });

    expect(await personalRoleExists(testConnection(), role)).toBe(false);
    const owner = await withSuperuser(async client => {
      const { rows } = await client.query(
        `SELECT tableowner FROM pg_tables WHERE tablename = 'owned_by_person'`,
      );
      return rows[0].tableowner;
    }, names.databaseName);
    expect(owner).toBe(names.roles.admin);
  });

  it('works through an Aurora-like admin (CREATEROLE, not superuser)', async () => {
    const admin: ClusterConnection = {
      ...testConnection(),
      user: auroraAdmin,
      password: auroraPassword,
      database: 'postgres',
    };
    const role = newRole('bob');
    const password = generatePassword();
    await createPersonalRole(admin, {
      role,
      password,
      validUntil: new Date(Date.now() + HOUR),
      memberOf: names.roles.read,
    });
    const session = await connectAs(role, password, names.databaseName);
    await expect(
      session.query('SELECT current_user::text AS u'),
    ).resolves.toMatchObject({ rows: [{ u: names.roles.read }] });

    await dropPersonalRole(admin, { role, reassignTo: names.roles.read });
    expect(await personalRoleExists(testConnection(), role)).toBe(false);
    expect(await failure(session.query('SELECT 1'))).not.toBe('no error');
    await session.end().catch(() => {});
  });

  it('never puts the password in an error', async () => {
    const role = newRole();
    const password = generatePassword();
    const error = await createPersonalRole(testConnection(), {
      role,
      password,
      validUntil: new Date(Date.now() + HOUR),
      memberOf: `${namespace}-no-such-role`,
    }).then(
      () => new Error('created'),
      e => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(String(error.message)).toContain('does not exist');
    expect(JSON.stringify(error)).not.toContain(password);
    expect(String(error.stack)).not.toContain(password);
    // The transaction left nothing behind.
    expect(await personalRoleExists(testConnection(), role)).toBe(false);
  });
});
