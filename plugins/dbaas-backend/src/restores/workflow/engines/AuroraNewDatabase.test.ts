import { mockServices } from '@backstage/backend-test-utils';
import { deriveDatabaseNames, RoleAccess } from '@dbaas/plugin-dbaas-common';
import { AwsSecretsManagerStore } from '@dbaas/plugin-dbaas-node';
import { FakeAwsError } from '../../../__testUtils__/fakeAws/awsWire';
import { FakeAwsServer } from '../../../__testUtils__/fakeAws/FakeAwsServer';
import { auroraClusterProvider } from '../../../providers/auroraClusterProvider';
import { AuroraRestoreEngine } from './AuroraRestoreEngine';
import { restoreNames } from './restoreNames';
import {
  BIN_DIRECTORY,
  connect,
  databasesLike,
  describeWithPostgres,
  newJob,
  query,
  StepRunner,
  testCluster,
  testConnection,
  testProvisioner,
  uniqueNamespace,
  useUniqueNamespaces,
} from './testFixtures';

jest.setTimeout(120_000);

/** Where the chart keeps role secrets in these tests. */
const TEMPLATE = 'aurora/{namespace}/{database}/{access}';
const TAKEN = new Date('2026-12-01T03:00:00Z');

/**
 * New-database restores on Aurora, against the fake AWS (RDS over its
 * query protocol, Secrets Manager over JSON 1.1) and the real test
 * PostgreSQL: the target's roles and their secrets are made by the Aurora
 * provider's provisioner, with the chart's names.
 */
describeWithPostgres('AuroraRestoreEngine, new database', () => {
  let aws: FakeAwsServer;

  beforeAll(async () => {
    aws = await FakeAwsServer.start({ server: testConnection() });
  });

  afterAll(() => aws?.close());
  const namespaces = useUniqueNamespaces();

  /** A secret as any Secrets Manager client reads it. */
  async function readSecret(path: string) {
    const { status, body } = await aws.secretsManagerCall('GetSecretValue', {
      SecretId: path,
    });
    return status === 200
      ? (JSON.parse(body.SecretString as string) as Record<string, string>)
      : { error: body.__type as string };
  }

  async function setUp(master?: { user: string; password: string }) {
    const namespace = namespaces.next();
    const store = new AwsSecretsManagerStore({
      clientConfig: aws.clientConfig(),
    });
    // The original, as the chart made it (roles, secrets in Secrets Manager).
    await testProvisioner(store).ensure({
      namespace,
      name: 'orders',
      mode: 'standard',
    });
    const original = `${namespace}-orders`;
    const originalNames = deriveDatabaseNames(namespace, 'orders');
    const owner = await store.get(originalNames.secretManagerPaths.admin);
    const admin = await connect(original, {
      user: owner!.username,
      password: owner!.password,
    });
    await admin.query(`CREATE TABLE items (id serial PRIMARY KEY, label text)`);
    await admin.query(
      `INSERT INTO items (label) SELECT 'snap' FROM generate_series(1, 40)`,
    );
    await admin.end();
    const clusterId = `shared-${namespace}`;
    const snapshotId = `rds:${clusterId}-2026-12-01-03-00`;
    aws.rds.addSourceCluster({ id: clusterId, databases: [original] });
    await aws.rds.takeSnapshot(clusterId, snapshotId, TAKEN);
    await query(original, `INSERT INTO items (label) VALUES ('later')`);

    const base = testCluster('aurora');
    const cluster = {
      ...base,
      connection: master ? { ...base.connection, ...master } : base.connection,
      publicEndpoint: { host: 'db.internal.example', port: 5432 },
      aurora: { region: 'eu-west-1', clusterIdentifier: clusterId },
    };
    const provisioner = auroraClusterProvider(cluster)
      .createNewDatabaseProvisioner!({
      secretStore: store,
      secretPathTemplate: TEMPLATE,
      logger: mockServices.logger.mock(),
    });
    const engine = new AuroraRestoreEngine({
      settings: {
        parallelJobs: 2,
        binDirectory: BIN_DIRECTORY,
        workDirectory: `/tmp/dbaas-aurora-newdb-${namespace}`,
      },
      // The chart's roles are never re-applied; new targets get their own.
      provisionerFor: () => undefined,
      newDatabaseProvisionerFor: () => provisioner,
      rdsClientFor: region => aws.rdsClient(region),
      sleep: async () => {},
      pollIntervalMs: 1,
    });
    const newDatabaseJob = (targetName = 'orders-restored-202612011530') =>
      newJob(namespace, 'new-database', {
        cluster,
        snapshotId,
        targetDatabaseName: `${namespace}-${targetName}`,
      });
    const targetNames = (targetName = 'orders-restored-202612011530') =>
      deriveDatabaseNames(namespace, targetName, {
        secretPathTemplate: TEMPLATE,
      });
    return {
      namespace,
      original,
      originalNames,
      engine,
      newDatabaseJob,
      targetNames,
      store,
    };
  }

  async function login(
    database: string,
    secret: Record<string, string>,
  ): Promise<Awaited<ReturnType<typeof connect>>> {
    return connect(database, {
      user: secret.username,
      password: secret.password,
    });
  }

  async function rolesLike(prefix: string): Promise<string[]> {
    const rows = await query<{ rolname: string }>(
      'postgres',
      `SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1) ORDER BY 1`,
      [prefix],
    );
    return rows.map(r => r.rolname);
  }

  it('creates the roles and their Secrets Manager secrets with the chart names, and grants as for any database', async () => {
    const { engine, newDatabaseJob, targetNames, original, originalNames } =
      await setUp();
    const job = newDatabaseJob();
    const runner = new StepRunner(engine, job);
    await runner.runAll();

    const names = targetNames();
    const secrets: Record<RoleAccess, Record<string, string>> = {
      admin: await readSecret(names.secretManagerPaths.admin),
      write: await readSecret(names.secretManagerPaths.write),
      read: await readSecret(names.secretManagerPaths.read),
    };
    for (const access of ['admin', 'write', 'read'] as const) {
      expect(names.secretManagerPaths[access]).toBe(
        `aurora/${job.namespace}/${job.targetDatabaseName}/${access}`,
      );
      expect(secrets[access]).toEqual({
        username: names.roles[access],
        password: expect.stringMatching(/^.{24,}$/),
        endpoint: 'db.internal.example',
        port: '5432',
      });
    }

    // The snapshot's rows, owned by -admin; each role logs in with its
    // secret's password and may do what its access says.
    const asAdmin = await login(job.targetDatabaseName, secrets.admin);
    const asWrite = await login(job.targetDatabaseName, secrets.write);
    const asRead = await login(job.targetDatabaseName, secrets.read);
    try {
      expect(
        (
          await asRead.query(
            `SELECT label, count(*)::int AS n FROM items GROUP BY 1`,
          )
        ).rows,
      ).toEqual([{ label: 'snap', n: 40 }]);
      expect(
        (
          await asAdmin.query(
            `SELECT tableowner FROM pg_tables WHERE tablename = 'items'`,
          )
        ).rows,
      ).toEqual([{ tableowner: names.roles.admin }]);
      await expect(
        asRead.query(`INSERT INTO items (label) VALUES ('x')`),
      ).rejects.toMatchObject({ code: '42501' });
      await asWrite.query(`INSERT INTO items (label) VALUES ('written')`);
      await asWrite.query(`DELETE FROM items WHERE id = 1`);
      await expect(
        asWrite.query(`CREATE TABLE intruder (id int)`),
      ).rejects.toMatchObject({ code: '42501' });
      // A table the admin adds later is the other roles' too.
      await asAdmin.query(`CREATE TABLE later (id int)`);
      await asAdmin.query(`INSERT INTO later VALUES (1)`);
      expect((await asRead.query(`SELECT * FROM later`)).rows).toEqual([
        { id: 1 },
      ]);
    } finally {
      await Promise.all([asAdmin.end(), asWrite.end(), asRead.end()]);
    }
    // The original's roles may not even connect to it.
    const originalSecret = await readSecret(
      originalNames.secretManagerPaths.read,
    );
    await expect(
      login(job.targetDatabaseName, originalSecret),
    ).rejects.toMatchObject({ code: '42501' });
    // The original is as it was, with its secrets.
    expect(
      await query(original, `SELECT count(*)::int AS n FROM items`),
    ).toEqual([{ n: 41 }]);
    expect(aws.secretsManager.liveNames()).toEqual(
      expect.arrayContaining([
        ...Object.values(originalNames.secretManagerPaths),
        ...Object.values(names.secretManagerPaths),
      ]),
    );
    expect(runner.messages()).toContain(
      `created '${job.targetDatabaseName}' with roles ${names.roles.read}, ${names.roles.write}, ${names.roles.admin}`,
    );
    expect(aws.rds.tempCluster(restoreNames(job).tempCluster)?.status).toBe(
      'deleting',
    );
  });

  it('a failure half-way leaves no roles, no live secrets and no database; the same name then restores', async () => {
    const { engine, newDatabaseJob, targetNames, namespace, original } =
      await setUp();
    const names = targetNames();
    const job = newDatabaseJob();
    const runner = new StepRunner(engine, job);
    await runner.runAll(0, 4);
    // The admin role and its secret are made, the write role's secret is not.
    aws.secretsManager.failNext(
      'CreateSecret',
      null,
      new FakeAwsError(
        'AccessDeniedException',
        'not authorized to perform secretsmanager:CreateSecret',
      ),
    );
    await expect(runner.run('restore')).rejects.toThrow(
      /Could not store the secret .*\/write/,
    );
    expect(await rolesLike(job.targetDatabaseName)).toEqual([
      names.roles.admin,
    ]);
    expect(aws.secretsManager.liveNames()).toContain(
      names.secretManagerPaths.admin,
    );

    // Secrets Manager refuses the first deletion: the cleanup says so and
    // is run again, as the executor does.
    aws.secretsManager.failNext(
      'DeleteSecret',
      new FakeAwsError('AccessDeniedException', 'not authorized'),
    );
    await expect(runner.cleanup()).rejects.toThrow(
      /Could not delete the secret/,
    );
    await runner.cleanup();
    expect(await rolesLike(job.targetDatabaseName)).toEqual([]);
    expect(await databasesLike(job.targetDatabaseName)).toEqual([]);
    for (const path of Object.values(names.secretManagerPaths)) {
      expect(aws.secretsManager.liveNames()).not.toContain(path);
    }
    // Scheduled for deletion (recoverable), not gone at once.
    expect(aws.secretsManager.deletedNames()).toContain(
      names.secretManagerPaths.admin,
    );
    // Nothing of the original was touched.
    expect(
      await query(original, `SELECT count(*)::int AS n FROM items`),
    ).toEqual([{ n: 41 }]);
    expect(await databasesLike(namespace)).toEqual([original]);

    // A new request into the same name: the deleted secret comes back
    // with a new password, and the roles log in with it.
    const again = newDatabaseJob();
    await new StepRunner(engine, again).runAll();
    const secret = await readSecret(names.secretManagerPaths.admin);
    const asAdmin = await login(again.targetDatabaseName, secret);
    expect(
      (await asAdmin.query(`SELECT count(*)::int AS n FROM items`)).rows,
    ).toEqual([{ n: 40 }]);
    await asAdmin.end();
    expect(aws.secretsManager.deletedNames()).not.toContain(
      names.secretManagerPaths.admin,
    );
  });

  it('runs two new-database restores of one database at once, each with its own roles and secrets', async () => {
    const { engine, newDatabaseJob, targetNames } = await setUp();
    const jobs = [newDatabaseJob('orders-a'), newDatabaseJob('orders-b')];
    await Promise.all(jobs.map(job => new StepRunner(engine, job).runAll()));
    const passwords = new Set<string>();
    for (const [i, job] of jobs.entries()) {
      const names = targetNames(i === 0 ? 'orders-a' : 'orders-b');
      const secret = await readSecret(names.secretManagerPaths.write);
      expect(secret.username).toBe(names.roles.write);
      passwords.add(secret.password);
      const asWrite = await login(job.targetDatabaseName, secret);
      expect(
        (await asWrite.query(`SELECT count(*)::int AS n FROM items`)).rows,
      ).toEqual([{ n: 40 }]);
      await asWrite.end();
    }
    expect(passwords.size).toBe(2);
  });

  it('refuses a target whose roles already exist, so a cleanup never drops roles it did not make', async () => {
    const { engine, newDatabaseJob, targetNames } = await setUp();
    const names = targetNames('orders-copy');
    await query('postgres', `CREATE ROLE "${names.roles.write}" LOGIN`);
    const runner = new StepRunner(engine, newDatabaseJob('orders-copy'));
    await expect(runner.run('preflight')).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        `Role '${names.roles.write}' already exists`,
      ),
    });
    await runner.cleanup();
    expect(await rolesLike(names.databaseName)).toEqual([names.roles.write]);
  });

  it("works as Aurora's master user, which is no superuser (CREATEDB, CREATEROLE)", async () => {
    const user = `${uniqueNamespace()}_master`;
    const password = `pw-${uniqueNamespace()}`;
    await query(
      'postgres',
      `CREATE ROLE "${user}" LOGIN CREATEDB CREATEROLE PASSWORD '${password}'`,
    );
    // What Aurora's rds_superuser holds besides CREATEDB and CREATEROLE.
    await query('postgres', `GRANT pg_monitor, pg_signal_backend TO "${user}"`);
    await query('postgres', `GRANT CONNECT ON DATABASE postgres TO "${user}"`);
    try {
      const { engine, newDatabaseJob, targetNames } = await setUp({
        user,
        password,
      });
      const job = newDatabaseJob();
      await new StepRunner(engine, job).runAll();
      const names = targetNames();
      const asRead = await login(
        job.targetDatabaseName,
        await readSecret(names.secretManagerPaths.read),
      );
      expect(
        (await asRead.query(`SELECT count(*)::int AS n FROM items`)).rows,
      ).toEqual([{ n: 40 }]);
      await asRead.end();
    } finally {
      await query(
        'postgres',
        `REVOKE CONNECT ON DATABASE postgres FROM "${user}"`,
      );
      // Owns nothing once the namespace is dropped; dropped in afterAll.
      namespaces.dropAfterAll(user);
    }
  });
});
