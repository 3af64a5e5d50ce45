import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import {
  ClusterConnection,
  quoteIdent,
  toPgClientConfig,
} from '@dbaas/plugin-dbaas-node';
import { FakeAwsError, QueryParams, xmlElement, XmlList } from './awsWire';
import { PgDatabaseProxy } from './PgDatabaseProxy';

/** A moment of a source cluster the fake can restore: copies of its databases. */
interface RecoveryPoint {
  at: Date;
  /** Database name -> the copy holding its content at `at`. */
  copies: Map<string, string>;
}

interface SourceCluster {
  id: string;
  engineVersion: string;
  backupRetentionPeriod: number;
  databases: string[];
  recoveryPoints: RecoveryPoint[];
}

interface Snapshot {
  id: string;
  clusterId: string;
  type: 'automated' | 'manual';
  point: RecoveryPoint;
}

interface TempCluster {
  id: string;
  source: SourceCluster;
  status: string;
  /** Statuses the next DescribeDBClusters calls walk through. */
  statuses: string[];
  proxy: PgDatabaseProxy;
  restoredFrom: { snapshotId: string } | { time: Date };
  tags: Record<string, string>;
  input: Record<string, unknown>;
}

interface Instance {
  id: string;
  clusterId: string;
  status: string;
  statuses: string[];
}

const NS = 'http://rds.amazonaws.com/doc/2014-10-31/';

/** RDS's answer for an identifier it does not know, as the SDK sees it. */
function notFound(
  kind: 'DBCluster' | 'DBClusterSnapshot' | 'DBInstance',
  id: string,
): FakeAwsError {
  return new FakeAwsError(
    `${kind}NotFoundFault`,
    `${kind} ${id} not found.`,
    404,
  );
}

const CLUSTER_ID = /^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-)$/;

/**
 * A small RDS behind the real query protocol (what the SDK sends and
 * parses), with a real PostgreSQL behind its clusters.
 *
 * What it simulates: one or more source clusters whose continuous backup
 * is a list of recovery points. A recovery point is taken by the test
 * (`captureRecoveryPoint`): a `CREATE DATABASE .. TEMPLATE` copy of each of
 * the cluster's databases on the test server. The restorable window is
 * from the first to the last recovery point, and restoring to a time gives
 * the newest point at or before it: Aurora replays its log to any second,
 * the fake only knows the content at the points the test took (the data
 * between two points is the earlier point's). A snapshot is a recovery
 * point too. A restored (temporary) cluster is a PgDatabaseProxy to the
 * test server whose database names lead to that point's copies; its
 * statuses advance one per DescribeDBClusters call (`clusterStatuses`),
 * like a real cluster that takes time.
 *
 * Refusals modelled as AWS documents them: a restore time outside the
 * window (InvalidRestoreFault), both or neither of RestoreToTime and
 * UseLatestRestorableTime, an existing identifier (…AlreadyExistsFault),
 * unknown clusters, snapshots and instances (…NotFoundFault), invalid
 * cluster identifiers, deleting a cluster that still has instances or is
 * still creating (InvalidDBClusterStateFault) or has deletion protection.
 * Not modelled: capacity, quotas, networks, parameter groups, KMS.
 */
export class FakeRds {
  readonly #sources = new Map<string, SourceCluster>();
  readonly #snapshots = new Map<string, Snapshot>();
  readonly #temp = new Map<string, TempCluster>();
  readonly #instances = new Map<string, Instance>();
  readonly #copies: string[] = [];
  readonly #failures = new Map<string, FakeAwsError[]>();
  /** Every call: action and parameters. */
  readonly calls: Array<{ action: string; params: Record<string, string> }> =
    [];
  clusterStatuses = ['creating', 'backing-up', 'available'];
  instanceStatuses = ['creating', 'available'];

  constructor(private readonly server: ClusterConnection) {}

  addSourceCluster(options: {
    id: string;
    databases: string[];
    engineVersion?: string;
    backupRetentionPeriod?: number;
  }) {
    this.#sources.set(options.id, {
      id: options.id,
      databases: options.databases,
      engineVersion: options.engineVersion ?? '15.4',
      backupRetentionPeriod: options.backupRetentionPeriod ?? 7,
      recoveryPoints: [],
    });
  }

  /** Copies the cluster's databases as they are now, as of `at`. */
  async captureRecoveryPoint(clusterId: string, at: Date): Promise<void> {
    const source = this.#source(clusterId);
    const last = source.recoveryPoints.at(-1);
    if (last && last.at >= at) {
      throw new Error('recovery points must be taken in time order');
    }
    source.recoveryPoints.push({ at, copies: await this.#copy(source) });
  }

  /** A cluster snapshot taken now, as of `at`. */
  async takeSnapshot(
    clusterId: string,
    id: string,
    at: Date,
    type: 'automated' | 'manual' = 'automated',
  ): Promise<void> {
    const source = this.#source(clusterId);
    this.#snapshots.set(id, {
      id,
      clusterId,
      type,
      point: { at, copies: await this.#copy(source) },
    });
  }

  /** Retention moving on: recovery points before `before` are gone. */
  forgetRecoveryPointsBefore(clusterId: string, before: Date) {
    const source = this.#source(clusterId);
    source.recoveryPoints = source.recoveryPoints.filter(p => p.at >= before);
  }

  window(clusterId: string): { earliest: Date; latest: Date } | undefined {
    const points = this.#source(clusterId).recoveryPoints;
    return points.length > 0
      ? { earliest: points[0].at, latest: points[points.length - 1].at }
      : undefined;
  }

  /** The next calls of `action` fail with these errors, in order. */
  failNext(action: string, ...errors: FakeAwsError[]) {
    this.#failures.set(action, [
      ...(this.#failures.get(action) ?? []),
      ...errors,
    ]);
  }

  count(action: string): number {
    return this.calls.filter(c => c.action === action).length;
  }

  tempCluster(id: string) {
    const cluster = this.#temp.get(id);
    return (
      cluster && {
        status: cluster.status,
        restoredFrom: cluster.restoredFrom,
        tags: cluster.tags,
        input: cluster.input,
        databases: cluster.proxy.databases,
      }
    );
  }

  tempClusterIds(): string[] {
    return [...this.#temp.keys()];
  }

  instance(id: string) {
    return this.#instances.get(id);
  }

  async close(): Promise<void> {
    for (const cluster of this.#temp.values()) {
      await cluster.proxy.close();
    }
    this.#temp.clear();
    await this.#withAdmin(async admin => {
      for (const copy of this.#copies) {
        await admin.query(
          `DROP DATABASE IF EXISTS ${quoteIdent(copy)} WITH (FORCE)`,
        );
      }
    });
  }

  /** One query-protocol request: its result XML, or a FakeAwsError. */
  async handle(action: string, params: QueryParams): Promise<string> {
    this.calls.push({ action, params: Object.fromEntries(params.params) });
    const failure = this.#failures.get(action)?.shift();
    if (failure) {
      throw failure;
    }
    switch (action) {
      case 'DescribeDBClusters':
        return this.#describeClusters(params);
      case 'DescribeDBClusterSnapshots':
        return this.#describeSnapshots(params);
      case 'DescribeDBInstances':
        return this.#describeInstances(params);
      case 'RestoreDBClusterFromSnapshot':
        return this.#restoreFromSnapshot(params);
      case 'RestoreDBClusterToPointInTime':
        return this.#restoreToPointInTime(params);
      case 'CreateDBInstance':
        return this.#createInstance(params);
      case 'DeleteDBInstance':
        return this.#deleteInstance(params);
      case 'DeleteDBCluster':
        return this.#deleteCluster(params);
      default:
        throw new FakeAwsError(
          'InvalidAction',
          `The action ${action} is not valid for this web service (not in the fake)`,
        );
    }
  }

  get namespace(): string {
    return NS;
  }

  #source(id: string): SourceCluster {
    const source = this.#sources.get(id);
    if (!source) {
      throw notFound('DBCluster', id);
    }
    return source;
  }

  async #copy(source: SourceCluster): Promise<Map<string, string>> {
    const copies = new Map<string, string>();
    await this.#withAdmin(async admin => {
      for (const database of source.databases) {
        const copy = `fakerds_${randomBytes(6).toString('hex')}`;
        // A template copy: the database exactly as it is now (its
        // sessions must have ended, as for any template).
        await admin.query(
          `CREATE DATABASE ${quoteIdent(copy)} TEMPLATE ${quoteIdent(
            database,
          )}`,
        );
        this.#copies.push(copy);
        copies.set(database, copy);
      }
    });
    return copies;
  }

  async #withAdmin<T>(fn: (admin: Client) => Promise<T>): Promise<T> {
    const admin = new Client(toPgClientConfig(this.server));
    admin.on('error', () => {});
    await admin.connect();
    try {
      return await fn(admin);
    } finally {
      await admin.end();
    }
  }

  #describeClusters(params: QueryParams): string {
    const id = params.get('DBClusterIdentifier');
    const clusters = (items: unknown[]) =>
      xmlElement('DBClusters', new XmlList('DBCluster', items));
    if (!id) {
      return clusters([
        ...[...this.#sources.values()].map(s => this.#sourceXml(s)),
        ...[...this.#temp.values()].map(t => this.#tempXml(t)),
      ]);
    }
    const source = this.#sources.get(id);
    if (source) {
      return clusters([this.#sourceXml(source)]);
    }
    const temp = this.#temp.get(id);
    if (!temp) {
      throw notFound('DBCluster', id);
    }
    if (temp.statuses.length > 0) {
      temp.status = temp.statuses.shift()!;
    }
    if (temp.status === 'deleting') {
      // Gone after the describe that saw it deleting.
      this.#temp.delete(id);
      void temp.proxy.close();
    }
    return clusters([this.#tempXml(temp)]);
  }

  #sourceXml(source: SourceCluster): Record<string, unknown> {
    const window = this.window(source.id);
    return {
      DBClusterIdentifier: source.id,
      Engine: 'aurora-postgresql',
      EngineVersion: source.engineVersion,
      Status: 'available',
      Endpoint: `${source.id}.cluster-fake.eu-west-1.rds.amazonaws.com`,
      Port: 5432,
      DBSubnetGroup: 'db-subnets',
      VpcSecurityGroups: new XmlList('VpcSecurityGroupMembership', [
        { VpcSecurityGroupId: 'sg-123', Status: 'active' },
      ]),
      DBClusterParameterGroup: 'pg15-params',
      BackupRetentionPeriod: source.backupRetentionPeriod,
      PreferredBackupWindow: '03:00-03:30',
      EarliestRestorableTime: window?.earliest,
      LatestRestorableTime: window?.latest,
      ServerlessV2ScalingConfiguration: { MinCapacity: 1, MaxCapacity: 32 },
      DeletionProtection: true,
    };
  }

  #tempXml(temp: TempCluster): Record<string, unknown> {
    return {
      DBClusterIdentifier: temp.id,
      Engine: 'aurora-postgresql',
      EngineVersion: temp.source.engineVersion,
      Status: temp.status,
      Endpoint: temp.proxy.endpoint.host,
      Port: temp.proxy.endpoint.port,
      DeletionProtection: false,
      TagList: new XmlList(
        'Tag',
        Object.entries(temp.tags).map(([Key, Value]) => ({ Key, Value })),
      ),
    };
  }

  #describeSnapshots(params: QueryParams): string {
    const id = params.get('DBClusterSnapshotIdentifier');
    const clusterId = params.get('DBClusterIdentifier');
    let found = [...this.#snapshots.values()];
    if (id) {
      found = found.filter(s => s.id === id);
      if (found.length === 0) {
        throw notFound('DBClusterSnapshot', id);
      }
    }
    if (clusterId) {
      found = found.filter(s => s.clusterId === clusterId);
    }
    return xmlElement(
      'DBClusterSnapshots',
      new XmlList(
        'DBClusterSnapshot',
        found.map(s => ({
          DBClusterSnapshotIdentifier: s.id,
          DBClusterIdentifier: s.clusterId,
          SnapshotCreateTime: s.point.at,
          Engine: 'aurora-postgresql',
          EngineVersion: this.#sources.get(s.clusterId)?.engineVersion,
          Status: 'available',
          SnapshotType: s.type,
          AllocatedStorage: 1,
        })),
      ),
    );
  }

  #describeInstances(params: QueryParams): string {
    const id = params.get('DBInstanceIdentifier');
    const instances = id
      ? [this.#instances.get(id)].filter((i): i is Instance => !!i)
      : [...this.#instances.values()];
    if (id && instances.length === 0) {
      throw notFound('DBInstance', id);
    }
    for (const instance of instances) {
      if (instance.statuses.length > 0) {
        instance.status = instance.statuses.shift()!;
      }
      if (instance.status === 'deleting') {
        this.#instances.delete(instance.id);
      }
    }
    return xmlElement(
      'DBInstances',
      new XmlList(
        'DBInstance',
        instances.map(i => ({
          DBInstanceIdentifier: i.id,
          DBClusterIdentifier: i.clusterId,
          DBInstanceClass: 'db.serverless',
          Engine: 'aurora-postgresql',
          DBInstanceStatus: i.status,
        })),
      ),
    );
  }

  #checkNewClusterId(params: QueryParams): string {
    const id = params.require('DBClusterIdentifier');
    if (!CLUSTER_ID.test(id)) {
      throw new FakeAwsError(
        'InvalidParameterValue',
        `The parameter DBClusterIdentifier is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.`,
      );
    }
    if (this.#temp.has(id) || this.#sources.has(id)) {
      throw new FakeAwsError(
        'DBClusterAlreadyExistsFault',
        `DB Cluster already exists`,
      );
    }
    return id;
  }

  async #newTempCluster(
    id: string,
    source: SourceCluster,
    point: RecoveryPoint,
    restoredFrom: TempCluster['restoredFrom'],
    params: QueryParams,
  ): Promise<string> {
    const proxy = await PgDatabaseProxy.start({
      upstream: { host: this.server.host, port: this.server.port },
      databases: point.copies,
    });
    const tags = Object.fromEntries(
      params.structures('Tags', 'Tag').map(t => [t.Key, t.Value]),
    );
    const temp: TempCluster = {
      id,
      source,
      status: 'creating',
      statuses: [...this.clusterStatuses],
      proxy,
      restoredFrom,
      tags,
      input: {
        ...Object.fromEntries(params.params),
        VpcSecurityGroupIds: params.list(
          'VpcSecurityGroupIds',
          'VpcSecurityGroupId',
        ),
      },
    };
    this.#temp.set(id, temp);
    return xmlElement('DBCluster', this.#tempXml(temp));
  }

  async #restoreFromSnapshot(params: QueryParams): Promise<string> {
    const id = this.#checkNewClusterId(params);
    const snapshotId = params.require('SnapshotIdentifier');
    const snapshot = this.#snapshots.get(snapshotId);
    if (!snapshot) {
      throw notFound('DBClusterSnapshot', snapshotId);
    }
    return this.#newTempCluster(
      id,
      this.#source(snapshot.clusterId),
      snapshot.point,
      { snapshotId },
      params,
    );
  }

  async #restoreToPointInTime(params: QueryParams): Promise<string> {
    const source = this.#source(params.require('SourceDBClusterIdentifier'));
    const id = this.#checkNewClusterId(params);
    const time = params.date('RestoreToTime');
    const latest = params.get('UseLatestRestorableTime') === 'true';
    if (time && latest) {
      throw new FakeAwsError(
        'InvalidParameterCombination',
        'Cannot specify both RestoreToTime and UseLatestRestorableTime',
      );
    }
    if (!time && !latest) {
      throw new FakeAwsError(
        'InvalidParameterValue',
        'Either RestoreToTime or UseLatestRestorableTime must be specified',
      );
    }
    const window = this.window(source.id);
    const at = time ?? window?.latest;
    if (!window || !at || at < window.earliest || at > window.latest) {
      throw new FakeAwsError(
        'InvalidRestoreFault',
        `The requested restore time ${at?.toISOString()} is outside the restorable window of DB cluster ${
          source.id
        } (${window?.earliest.toISOString()} to ${window?.latest.toISOString()})`,
      );
    }
    const point = [...source.recoveryPoints].reverse().find(p => p.at <= at)!;
    return this.#newTempCluster(id, source, point, { time: at }, params);
  }

  #createInstance(params: QueryParams): string {
    const id = params.require('DBInstanceIdentifier');
    const clusterId = params.require('DBClusterIdentifier');
    if (!this.#temp.has(clusterId) && !this.#sources.has(clusterId)) {
      throw notFound('DBCluster', clusterId);
    }
    if (this.#instances.has(id)) {
      throw new FakeAwsError(
        'DBInstanceAlreadyExistsFault',
        'DB instance already exists',
      );
    }
    const instance: Instance = {
      id,
      clusterId,
      status: 'creating',
      statuses: [...this.instanceStatuses],
    };
    this.#instances.set(id, instance);
    return xmlElement('DBInstance', {
      DBInstanceIdentifier: id,
      DBClusterIdentifier: clusterId,
      DBInstanceStatus: 'creating',
    });
  }

  #deleteInstance(params: QueryParams): string {
    const id = params.require('DBInstanceIdentifier');
    const instance = this.#instances.get(id);
    if (!instance) {
      throw notFound('DBInstance', id);
    }
    if (instance.status === 'deleting') {
      throw new FakeAwsError(
        'InvalidDBInstanceStateFault',
        `Instance ${id} is already being deleted.`,
      );
    }
    instance.status = 'deleting';
    instance.statuses = [];
    return xmlElement('DBInstance', {
      DBInstanceIdentifier: id,
      DBInstanceStatus: 'deleting',
    });
  }

  #deleteCluster(params: QueryParams): string {
    const id = params.require('DBClusterIdentifier');
    if (this.#sources.has(id)) {
      throw new FakeAwsError(
        'InvalidParameterCombination',
        'Cannot delete protected Cluster, please disable deletion protection and try again.',
      );
    }
    const temp = this.#temp.get(id);
    if (!temp) {
      throw notFound('DBCluster', id);
    }
    if (params.get('SkipFinalSnapshot') !== 'true') {
      throw new FakeAwsError(
        'InvalidParameterCombination',
        'FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.',
      );
    }
    const members = [...this.#instances.values()].filter(
      i => i.clusterId === id && i.status !== 'deleting',
    );
    if (members.length > 0) {
      throw new FakeAwsError(
        'InvalidDBClusterStateFault',
        'Cluster cannot be deleted, it still contains DB instances in non-deleting state.',
      );
    }
    if (temp.status === 'creating' || temp.status === 'deleting') {
      throw new FakeAwsError(
        'InvalidDBClusterStateFault',
        `DB cluster ${id} is not in the available state (${temp.status}).`,
      );
    }
    temp.status = 'deleting';
    temp.statuses = [];
    return xmlElement('DBCluster', this.#tempXml(temp));
  }
}
