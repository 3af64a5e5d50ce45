import { FakeAwsError } from '../../../__testUtils__/fakeAws/awsWire';
import { FakeAwsServer } from '../../../__testUtils__/fakeAws/FakeAwsServer';
import { pointInTimeId } from '../../../snapshots/pointInTime';
import { AuroraRestoreEngine } from './AuroraRestoreEngine';
import { restoreNames } from './restoreNames';
import {
  BIN_DIRECTORY,
  connectAsRole,
  databasesLike,
  describeWithPostgres,
  MemorySecretStore,
  newJob,
  query,
  StepRunner,
  testCluster,
  testConnection,
  testProvisioner,
  useUniqueNamespaces,
} from './testFixtures';

jest.setTimeout(120_000);

const T1 = new Date('2026-12-01T10:00:00Z');
const T2 = new Date('2026-12-01T12:00:00Z');
const T3 = new Date('2026-12-01T14:00:00Z');
const minutes = (at: Date, n: number) => new Date(at.getTime() + n * 60_000);

/**
 * Point-in-time restores on Aurora against the fake AWS (RDS over its
 * query protocol): the source cluster's continuous backup is three
 * recovery points of the real database, taken at T1, T2 and T3, with rows
 * written between them. The fake knows the content only at those points:
 * a restore to a second between T2 and T3 gives T2's content, which is
 * what Aurora gives when nothing was written in between.
 */
describeWithPostgres('AuroraRestoreEngine, point in time', () => {
  let aws: FakeAwsServer;

  beforeAll(async () => {
    aws = await FakeAwsServer.start({ server: testConnection() });
  });

  afterAll(() => aws?.close());
  const namespaces = useUniqueNamespaces();

  async function setUp() {
    const namespace = namespaces.next();
    const store = new MemorySecretStore();
    await testProvisioner(store).ensure({
      namespace,
      name: 'orders',
      mode: 'standard',
    });
    const database = `${namespace}-orders`;
    const clusterId = `shared-${namespace}`;
    aws.rds.addSourceCluster({ id: clusterId, databases: [database] });
    const write = async (label: string, n: number) => {
      const admin = await connectAsRole(store, namespace, 'orders', 'admin');
      await admin.query(
        `CREATE TABLE IF NOT EXISTS items (id serial PRIMARY KEY, label text)`,
      );
      await admin.query(
        `INSERT INTO items (label) SELECT $1 FROM generate_series(1, $2)`,
        [label, n],
      );
      await admin.end();
    };
    await write('t1', 50);
    await aws.rds.captureRecoveryPoint(clusterId, T1);
    await write('t2', 10);
    await aws.rds.captureRecoveryPoint(clusterId, T2);
    await write('t3', 5);
    await aws.rds.captureRecoveryPoint(clusterId, T3);
    const cluster = {
      ...testCluster('aurora'),
      aurora: { region: 'eu-west-1', clusterIdentifier: clusterId },
    };
    const engine = new AuroraRestoreEngine({
      settings: {
        parallelJobs: 2,
        binDirectory: BIN_DIRECTORY,
        workDirectory: `/tmp/dbaas-aurora-pitr-${namespace}`,
      },
      provisionerFor: () => undefined,
      rdsClientFor: region => aws.rdsClient(region),
      sleep: async () => {},
      pollIntervalMs: 1,
    });
    const jobAt = (at: Date) =>
      newJob(namespace, 'in-place', { cluster, snapshotId: pointInTimeId(at) });
    return { namespace, store, clusterId, engine, jobAt, database };
  }

  async function labels(database: string) {
    const rows = await query<{ label: string; n: number }>(
      database,
      `SELECT label, count(*)::int AS n FROM items GROUP BY label`,
    );
    return Object.fromEntries(rows.map(r => [r.label, r.n]));
  }

  it('restores in place to a second inside the window, from a cluster restored to that time', async () => {
    const { engine, jobAt, clusterId, database } = await setUp();
    const at = new Date(minutes(T2, 37).getTime() + 12_000);
    const job = jobAt(at);
    const runner = new StepRunner(engine, job);
    await runner.runAll();

    const names = restoreNames(job);
    const call = aws.rds.calls.find(
      c =>
        c.action === 'RestoreDBClusterToPointInTime' &&
        c.params.DBClusterIdentifier === names.tempCluster,
    );
    expect(call?.params).toMatchObject({
      SourceDBClusterIdentifier: clusterId,
      RestoreToTime: '2026-12-01T12:37:12Z',
      DBSubnetGroupName: 'db-subnets',
      'VpcSecurityGroupIds.VpcSecurityGroupId.1': 'sg-123',
      DeletionProtection: 'false',
      'Tags.Tag.1.Key': 'dbaas.io/restore',
      'Tags.Tag.1.Value': job.id,
    });
    expect(aws.rds.count('RestoreDBClusterFromSnapshot')).toBe(0);
    // T2's content; the rows of T3 stay in the safety copy.
    expect(await labels(database)).toEqual({ t1: 50, t2: 10 });
    expect(await labels(names.safetyCopy)).toEqual({ t1: 50, t2: 10, t3: 5 });
    expect(runner.messages()).toContain(
      `point in time 2026-12-01T12:37:12Z of cluster '${clusterId}'`,
    );
    expect(runner.messages()).toContain(
      'restore window 2026-12-01T10:00:00Z to 2026-12-01T14:00:00Z',
    );
    // The temporary cluster and its instance were deleted.
    expect(aws.rds.tempCluster(names.tempCluster)?.status).toBe('deleting');
    expect(aws.rds.instance(names.tempInstance)?.status).toBe('deleting');
  });

  it('restores the first second of the window, the window edge included', async () => {
    const { engine, jobAt, database } = await setUp();
    await new StepRunner(engine, jobAt(T1)).runAll();
    expect(await labels(database)).toEqual({ t1: 50 });
  });

  it('refuses a time outside the window in preflight with an InputError naming the window, creating nothing', async () => {
    const { engine, jobAt, database, namespace } = await setUp();
    const job = jobAt(minutes(T1, -1));
    const runner = new StepRunner(engine, job);
    await expect(runner.run('preflight')).rejects.toThrow(
      `2026-12-01T09:59:00Z is outside the restore window of Aurora cluster 'shared-${namespace}' (2026-12-01T10:00:00Z to 2026-12-01T14:00:00Z)`,
    );
    await expect(runner.run('preflight')).rejects.toMatchObject({
      name: 'InputError',
    });
    await runner.cleanup();
    expect(aws.rds.tempCluster(restoreNames(job).tempCluster)).toBeUndefined();
    expect(await labels(database)).toEqual({ t1: 50, t2: 10, t3: 5 });
    expect(await databasesLike(namespace)).toEqual([database]);
  });

  it('refuses a time the window left after approval, and says so when AWS refuses', async () => {
    const { engine, jobAt, database, clusterId, namespace } = await setUp();
    const job = jobAt(minutes(T1, 30));
    const runner = new StepRunner(engine, job);
    await runner.run('preflight');
    // Retention moved on while the request waited.
    aws.rds.forgetRecoveryPointsBefore(clusterId, T2);
    await expect(runner.run('temp-cluster-create')).rejects.toThrow(
      /^2026-12-01T10:30:00Z is outside the restore window of Aurora cluster '.*' \(2026-12-01T12:00:00Z to 2026-12-01T14:00:00Z\)$/,
    );
    expect(aws.rds.tempCluster(restoreNames(job).tempCluster)).toBeUndefined();

    // AWS's own refusal (its window may differ from what it described a
    // moment before) becomes an InputError with the window too.
    const inside = jobAt(minutes(T2, 5));
    const second = new StepRunner(engine, inside);
    await second.run('preflight');
    aws.rds.failNext(
      'RestoreDBClusterToPointInTime',
      new FakeAwsError(
        'InvalidRestoreFault',
        'The requested restore time is outside the restorable window',
      ),
    );
    await expect(second.run('temp-cluster-create')).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(
        /^AWS refused to restore cluster '.*' to 2026-12-01T12:05:00Z \(restore window 2026-12-01T12:00:00Z to 2026-12-01T14:00:00Z\): .*outside the restorable window/,
      ),
    });
    await second.cleanup();
    expect(await labels(database)).toEqual({ t1: 50, t2: 10, t3: 5 });
    expect(await databasesLike(namespace)).toEqual([database]);
  });
});
