import { copyFile, rm } from 'node:fs/promises';
import {
  CreateDBInstanceCommand,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  RDSClient,
  RDSServiceException,
  RestoreDBClusterFromSnapshotCommand,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { AuroraRestoreEngine } from './AuroraRestoreEngine';
import { restoreNames } from './restoreNames';
import {
  BIN_DIRECTORY,
  describeWithPostgres,
  connectAsRole,
  databasesLike,
  dumpDatabase,
  MemorySecretStore,
  newJob,
  query,
  StepRunner,
  testCluster,
  testConnection,
  testProvisioner,
  toolDirectory,
  useUniqueNamespaces,
} from './testFixtures';

jest.setTimeout(120_000);

function awsError(name: string, status = 400) {
  return new RDSServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: `${name} (simulated)`,
  });
}

/**
 * A small RDS: the shared cluster, and a temporary cluster and instance
 * that walk through the given statuses, one per Describe call.
 */
class FakeRds {
  readonly mock = mockClient(RDSClient);
  readonly client = new RDSClient({ region: 'eu-west-1' });
  clusterStatuses: string[] = ['creating', 'backing-up', 'available'];
  instanceStatuses: string[] = ['creating', 'creating', 'available'];
  tempCluster?: { status: string };
  tempInstance?: { status: string };
  /** Errors thrown by the next calls of a command, in order. */
  readonly failures = new Map<string, Error[]>();
  readonly calls: string[] = [];

  constructor(endpoint: { host: string; port: number }) {
    const fail = (command: string) => {
      this.calls.push(command);
      const next = this.failures.get(command)?.shift();
      if (next) {
        throw next;
      }
    };
    this.mock.on(DescribeDBClusterSnapshotsCommand).callsFake(() => {
      fail('DescribeDBClusterSnapshots');
      return {
        DBClusterSnapshots: [
          {
            DBClusterSnapshotIdentifier: 'rds:shared-cluster-2026-11-20-03-00',
            DBClusterIdentifier: 'shared-cluster',
            Status: 'available',
            EngineVersion: '15.4',
          },
        ],
      };
    });
    this.mock.on(DescribeDBClustersCommand).callsFake(input => {
      fail('DescribeDBClusters');
      if (input.DBClusterIdentifier === 'shared-cluster') {
        return {
          DBClusters: [
            {
              DBClusterIdentifier: 'shared-cluster',
              Engine: 'aurora-postgresql',
              EngineVersion: '15.4',
              DBSubnetGroup: 'db-subnets',
              VpcSecurityGroups: [{ VpcSecurityGroupId: 'sg-123' }],
              DBClusterParameterGroup: 'pg15-params',
              ServerlessV2ScalingConfiguration: {
                MinCapacity: 1,
                MaxCapacity: 32,
              },
              Status: 'available',
            },
          ],
        };
      }
      if (!this.tempCluster) {
        throw awsError('DBClusterNotFoundFault', 404);
      }
      if (
        this.clusterStatuses.length > 0 &&
        this.tempCluster.status !== 'deleting'
      ) {
        this.tempCluster.status = this.clusterStatuses.shift()!;
      }
      return {
        DBClusters: [
          {
            DBClusterIdentifier: input.DBClusterIdentifier,
            Engine: 'aurora-postgresql',
            Status: this.tempCluster.status,
            Endpoint: endpoint.host,
            Port: endpoint.port,
          },
        ],
      };
    });
    this.mock.on(DescribeDBInstancesCommand).callsFake(input => {
      fail('DescribeDBInstances');
      if (!this.tempInstance) {
        throw awsError('DBInstanceNotFoundFault', 404);
      }
      if (
        this.instanceStatuses.length > 0 &&
        this.tempInstance.status !== 'deleting'
      ) {
        this.tempInstance.status = this.instanceStatuses.shift()!;
      }
      return {
        DBInstances: [
          {
            DBInstanceIdentifier: input.DBInstanceIdentifier,
            DBInstanceStatus: this.tempInstance.status,
          },
        ],
      };
    });
    this.mock.on(RestoreDBClusterFromSnapshotCommand).callsFake(() => {
      fail('RestoreDBClusterFromSnapshot');
      this.tempCluster = { status: 'creating' };
      return { DBCluster: { Engine: 'aurora-postgresql', Status: 'creating' } };
    });
    this.mock.on(CreateDBInstanceCommand).callsFake(() => {
      fail('CreateDBInstance');
      this.tempInstance = { status: 'creating' };
      return {};
    });
    this.mock.on(DeleteDBInstanceCommand).callsFake(() => {
      fail('DeleteDBInstance');
      this.tempInstance = undefined;
      return {};
    });
    this.mock.on(DeleteDBClusterCommand).callsFake(() => {
      fail('DeleteDBCluster');
      if (this.tempCluster) {
        this.tempCluster.status = 'deleting';
      }
      return {};
    });
  }

  failNext(command: string, ...errors: Error[]) {
    this.failures.set(command, [
      ...(this.failures.get(command) ?? []),
      ...errors,
    ]);
  }

  count(command: string): number {
    return this.calls.filter(c => c === command).length;
  }
}

describeWithPostgres('AuroraRestoreEngine', () => {
  const namespaces = useUniqueNamespaces();

  /**
   * The "temporary cluster endpoint" is the test server itself: the dump
   * step dumps `<ns>-orders` from it. Rows written after the dump step
   * stand for rows written after the snapshot.
   */
  async function setUp(binDirectory = BIN_DIRECTORY) {
    const namespace = namespaces.next();
    const store = new MemorySecretStore();
    const provisioner = testProvisioner(store);
    await provisioner.ensure({ namespace, name: 'orders', mode: 'standard' });
    const admin = await connectAsRole(store, namespace, 'orders', 'admin');
    await admin.query(`CREATE TABLE items (id serial PRIMARY KEY, label text)`);
    await admin.query(
      `INSERT INTO items (label) SELECT 'before' FROM generate_series(1, 50)`,
    );
    await admin.end();
    const { host, port } = testConnection();
    const rds = new FakeRds({ host, port });
    const sleeps: number[] = [];
    const job = newJob(namespace, 'in-place', {
      cluster: testCluster('aurora'),
      snapshotId: 'rds:shared-cluster-2026-11-20-03-00',
    });
    const engine = new AuroraRestoreEngine({
      settings: {
        parallelJobs: 2,
        binDirectory,
        workDirectory: `/tmp/dbaas-aurora-work-${namespace}`,
      },
      // Aurora roles and grants are the chart's: no provisioner.
      provisionerFor: () => undefined,
      rdsClientFor: () => rds.client,
      sleep: async ms => {
        sleeps.push(ms);
      },
      pollIntervalMs: 1,
    });
    return { namespace, store, rds, job, engine, sleeps };
  }

  afterEach(() => {
    mockClient(RDSClient).restore();
  });

  async function labels(database: string) {
    const rows = await query<{ label: string; n: number }>(
      database,
      `SELECT label, count(*)::int AS n FROM items GROUP BY label`,
    );
    return Object.fromEntries(rows.map(r => [r.label, r.n]));
  }

  it('restores in place through a temporary cluster, polling it, and deletes it', async () => {
    const { store, rds, job, engine, sleeps } = await setUp();
    const runner = new StepRunner(engine, job);
    expect(engine.steps(job)).toEqual([
      'preflight',
      'temp-cluster-create',
      'temp-cluster-wait',
      'dump',
      'restore',
      'verify',
      'swap',
      'grants',
      'cleanup',
    ]);
    rds.failNext('DescribeDBClusters', awsError('ThrottlingException'));
    await runner.runAll(0, 4);

    const restoreCall = rds.mock.commandCalls(
      RestoreDBClusterFromSnapshotCommand,
    )[0];
    const names = restoreNames(job);
    expect(restoreCall.args[0].input).toMatchObject({
      DBClusterIdentifier: names.tempCluster,
      SnapshotIdentifier: 'rds:shared-cluster-2026-11-20-03-00',
      Engine: 'aurora-postgresql',
      EngineVersion: '15.4',
      DBSubnetGroupName: 'db-subnets',
      VpcSecurityGroupIds: ['sg-123'],
      ServerlessV2ScalingConfiguration: { MinCapacity: 1, MaxCapacity: 32 },
    });
    expect(
      rds.mock.commandCalls(CreateDBInstanceCommand)[0].args[0].input,
    ).toMatchObject({
      DBInstanceIdentifier: names.tempInstance,
      DBClusterIdentifier: names.tempCluster,
      DBInstanceClass: 'db.serverless',
    });
    // Throttled once, retried after a back-off.
    expect(sleeps.length).toBeGreaterThan(0);
    // creating -> backing-up -> available: polled until available.
    expect(runner.state.tempEndpoint).toEqual({
      host: testConnection().host,
      port: testConnection().port,
    });

    // Written after the dump: not part of the "snapshot".
    const writer = await connectAsRole(store, job.namespace, 'orders', 'write');
    await writer.query(`INSERT INTO items (label) VALUES ('after')`);
    await writer.end();

    await runner.runAll(4);
    expect(await labels(job.databaseName)).toEqual({ before: 50 });
    expect(await labels(names.safetyCopy)).toEqual({ before: 50, after: 1 });
    expect(
      rds.mock.commandCalls(DeleteDBClusterCommand)[0].args[0].input,
    ).toEqual({
      DBClusterIdentifier: names.tempCluster,
      SkipFinalSnapshot: true,
    });
    expect(rds.count('DeleteDBInstance')).toBe(1);
    // The restored tables keep the snapshot's grants: the app role writes.
    const app = await connectAsRole(store, job.namespace, 'orders', 'write');
    await app.query(`INSERT INTO items (label) VALUES ('new')`);
    await app.end();
    expect(runner.messages()).not.toContain(job.cluster.connection.password!);
    expect(await databasesLike(job.namespace)).toEqual(
      [job.databaseName, names.safetyCopy].sort(),
    );
    // Measured on the temporary cluster before the dump, compared exactly.
    expect(runner.messages()).toMatch(
      /measured '.*-orders' on the temporary cluster for the verification: 1 tables, 50 rows, with content hashes/,
    );
    expect(runner.state.verification).toMatchObject({
      rows: 50,
      check: 'evidence',
    });
  });

  it('fails the verification when the dump differs from what the temporary cluster held, and keeps the original', async () => {
    const { job, engine } = await setUp();
    const runner = new StepRunner(engine, job);
    await runner.runAll(0, 4);
    // The dump file replaced by one of a copy missing rows.
    const copy = `${job.namespace}-edited`;
    await query(
      'postgres',
      `CREATE DATABASE "${copy}" TEMPLATE "${job.databaseName}"`,
    );
    await query(copy, `DELETE FROM items WHERE id <= 5`);
    await copyFile(await dumpDatabase(copy), runner.state.dumpFile as string);
    await runner.run('restore');
    await expect(runner.run('verify')).rejects.toThrow(
      /the restored data differs from the snapshot's evidence .* public\.items: 50 rows at the snapshot, 45 restored$/,
    );
    await runner.cleanup();
    expect(await labels(job.databaseName)).toEqual({ before: 50 });
    expect((await databasesLike(job.namespace)).sort()).toEqual(
      [job.databaseName, copy].sort(),
    );
  });

  it('never creates a second temporary cluster when the create step runs again', async () => {
    const { rds, job, engine } = await setUp();
    const runner = new StepRunner(engine, job);
    await runner.runAll(0, 2);
    const before = runner.state;
    await runner.run('temp-cluster-create');
    // An attempt whose reply was lost: AWS says it exists already.
    rds.tempInstance = undefined;
    rds.failNext('CreateDBInstance', awsError('DBInstanceAlreadyExistsFault'));
    runner.state = before;
    await runner.run('temp-cluster-create');
    expect(rds.count('RestoreDBClusterFromSnapshot')).toBe(1);
    await runner.cleanup();
    expect(rds.tempCluster?.status).toBe('deleting');
  });

  it('fails on incompatible-restore and deletes the temporary cluster', async () => {
    const { rds, job, engine } = await setUp();
    rds.clusterStatuses = ['creating', 'incompatible-restore'];
    const runner = new StepRunner(engine, job);
    await runner.runAll(0, 2);
    await expect(runner.run('temp-cluster-wait')).rejects.toThrow(
      /cannot be used: cluster incompatible-restore/,
    );
    await runner.cleanup();
    expect(rds.count('DeleteDBInstance')).toBe(1);
    expect(rds.tempCluster?.status).toBe('deleting');
    expect(await labels(job.databaseName)).toEqual({ before: 50 });
    expect(await databasesLike(job.namespace)).toEqual([job.databaseName]);
  });

  it('retries a refused deletion, then succeeds', async () => {
    const { rds, job, engine, sleeps } = await setUp();
    const runner = new StepRunner(engine, job);
    await runner.runAll(0, 2);
    rds.failNext(
      'DeleteDBCluster',
      awsError('InvalidDBClusterStateFault'),
      awsError('InvalidDBClusterStateFault'),
    );
    await runner.cleanup();
    expect(rds.count('DeleteDBCluster')).toBe(3);
    expect(rds.tempCluster?.status).toBe('deleting');
    expect(sleeps.length).toBeGreaterThanOrEqual(2);
    expect(runner.messages()).toMatch(
      /could not delete temporary cluster .* \(attempt 1 of 8\)/,
    );
  });

  it('surfaces a deletion that keeps failing instead of orphaning the cluster', async () => {
    const { rds, job, engine } = await setUp();
    const runner = new StepRunner(engine, job);
    await runner.runAll(0, 2);
    for (let i = 0; i < 20; i++) {
      rds.failNext('DeleteDBCluster', awsError('InvalidDBClusterStateFault'));
    }
    const names = restoreNames(job);
    await expect(runner.cleanup()).rejects.toThrow(
      new RegExp(
        `'${names.tempCluster}' .* is still there after 8 deletion attempts`,
      ),
    );
    rds.failures.clear();
    await runner.cleanup();
    expect(rds.tempCluster?.status).toBe('deleting');
  });

  it('gives up on endless throttling with the call it was making', async () => {
    const { rds, job, engine } = await setUp();
    for (let i = 0; i < 10; i++) {
      rds.failNext(
        'DescribeDBClusterSnapshots',
        awsError('ThrottlingException'),
      );
    }
    await expect(new StepRunner(engine, job).run('preflight')).rejects.toThrow(
      /Could not read Aurora snapshot 'rds:shared-cluster-2026-11-20-03-00': AWS still refused after 6 attempts/,
    );
  });

  it('success-path cleanup waits while AWS refuses the deletion', async () => {
    const { rds, job, engine } = await setUp();
    const runner = new StepRunner(engine, job);
    await runner.runAll(0, 2);
    rds.failNext('DeleteDBCluster', awsError('InvalidDBClusterStateFault'));
    const first = await engine.runStep('cleanup', runner.context());
    expect(first.kind).toBe('wait');
    const second = await engine.runStep('cleanup', runner.context());
    expect(second).toEqual({
      kind: 'done',
      state: { tempClusterDeleted: true },
    });
  });

  it('preflight refuses a pg_dump older than the server (QUALITY 26)', async () => {
    const binDirectory = await toolDirectory({ pg_dump: '9.6' });
    try {
      const { job, engine } = await setUp(binDirectory);
      await expect(
        new StepRunner(engine, job).run('preflight'),
      ).rejects.toThrow(
        /^pg_dump \d+ or newer is needed for cluster 'aurora-test' \(PostgreSQL [\d.]+\); found in .*: 9\.6 at .*pg_dump\. .*set dbaas\.restore\.binDirectory/,
      );
    } finally {
      await rm(binDirectory, { recursive: true, force: true });
    }
  });

  it('refuses a new-database target without a provisioner', async () => {
    const { job, engine } = await setUp();
    const newDb = {
      ...job,
      target: 'new-database' as const,
      targetDatabaseName: `${job.databaseName}-restored-202611211530`,
    };
    await expect(
      new StepRunner(engine, newDb).run('preflight'),
    ).rejects.toThrow(/has no provisioner/);
  });
});
