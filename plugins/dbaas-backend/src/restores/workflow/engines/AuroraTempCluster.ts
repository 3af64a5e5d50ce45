import {
  CreateDBInstanceCommand,
  DBCluster,
  DBInstance,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  RDSClient,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBClusterToPointInTimeCommand,
} from '@aws-sdk/client-rds';
import { InputError } from '@backstage/errors';
import { describeWindow, isoSecond } from '../../../snapshots/pointInTime';
import { AwsRetryOptions, awsErrorName, withAwsRetry } from './awsRetry';

/** Statuses from which a temporary cluster or instance never recovers. */
const FAILED_STATUSES = new Set([
  'failed',
  'incompatible-restore',
  'incompatible-parameters',
  'incompatible-network',
  'incompatible-option-group',
  'inaccessible-encryption-credentials',
  'inaccessible-encryption-credentials-recoverable',
  'restore-error',
  'storage-full',
]);

/** Serverless v2 capacity of the temporary cluster when the source has none. */
const DEFAULT_SCALING = { MinCapacity: 0.5, MaxCapacity: 16 };

export interface TempClusterIds {
  /** The shared cluster the snapshot belongs to. */
  sourceCluster: string;
  tempCluster: string;
  tempInstance: string;
  /** The snapshot restored, or `pitr:<moment>` with `pointInTime`. */
  snapshotId: string;
  /** Set for a point-in-time restore: the moment the cluster is restored to. */
  pointInTime?: Date;
  /** Tag value tying the temporary cluster to its restore request. */
  restoreId: string;
}

export type TempClusterStatus =
  | { kind: 'ready'; endpoint: { host: string; port: number } }
  | { kind: 'pending'; status: string }
  | { kind: 'failed'; status: string };

export type DeletionResult = 'gone' | 'deleting' | 'busy';

/**
 * The temporary Aurora cluster an Aurora restore dumps from: restored from
 * the snapshot, or from the source cluster's continuous backup to a point
 * in time, with the source cluster's network and security groups, one
 * serverless instance. Every call first reads what exists, so
 * repeating one after a crash never creates a second cluster.
 */
export class AuroraTempCluster {
  constructor(
    private readonly rds: RDSClient,
    private readonly ids: TempClusterIds,
    private readonly retry: AwsRetryOptions = {},
  ) {}

  /**
   * Checks that the source can be restored: the snapshot exists and is
   * available, or the point in time is inside the cluster's restore
   * window now. Returns a line for the step log.
   */
  async checkSource(): Promise<string> {
    const { pointInTime, sourceCluster } = this.ids;
    if (!pointInTime) {
      const version = await this.snapshotEngineVersion();
      return `snapshot ${this.ids.snapshotId} (engine ${
        version ?? 'unknown'
      })`;
    }
    const source = await this.#describeCluster(sourceCluster);
    if (!source) {
      throw new InputError(`Aurora cluster '${sourceCluster}' not found`);
    }
    this.#checkWindow(source, pointInTime);
    return `point in time ${isoSecond(pointInTime)} of cluster '${sourceCluster}' (engine ${
      source.EngineVersion ?? 'unknown'
    }; restore window ${describeWindow({
      earliest: source.EarliestRestorableTime!,
      latest: source.LatestRestorableTime!,
    })})`;
  }

  /**
   * The window moves on (retention, and a request may wait for approval
   * longer than it): a time that left it is an InputError naming it.
   */
  #checkWindow(source: DBCluster, at: Date) {
    const earliest = source.EarliestRestorableTime;
    const latest = source.LatestRestorableTime;
    if (!earliest || !latest) {
      throw new InputError(
        `Aurora cluster '${this.ids.sourceCluster}' has no restore window (no automated backups); restore a snapshot instead`,
      );
    }
    if (at < earliest || at > latest) {
      throw new InputError(
        `${isoSecond(at)} is outside the restore window of Aurora cluster '${
          this.ids.sourceCluster
        }' (${describeWindow({ earliest, latest })})`,
      );
    }
  }

  /** The snapshot's engine version (also: the snapshot exists). */
  async snapshotEngineVersion(): Promise<string | undefined> {
    const { snapshotId, sourceCluster } = this.ids;
    const result = await withAwsRetry(
      `read Aurora snapshot '${snapshotId}'`,
      () =>
        this.rds.send(
          new DescribeDBClusterSnapshotsCommand({
            DBClusterSnapshotIdentifier: snapshotId,
          }),
        ),
      this.retry,
    ).catch(error => {
      if (awsErrorName(error) === 'DBClusterSnapshotNotFoundFault') {
        throw new InputError(
          `Aurora snapshot '${snapshotId}' does not exist (any more)`,
        );
      }
      throw error;
    });
    const snapshot = result.DBClusterSnapshots?.[0];
    if (!snapshot) {
      throw new InputError(`Aurora snapshot '${snapshotId}' does not exist`);
    }
    if (
      snapshot.DBClusterIdentifier &&
      snapshot.DBClusterIdentifier !== sourceCluster
    ) {
      throw new InputError(
        `Aurora snapshot '${snapshotId}' belongs to cluster '${snapshot.DBClusterIdentifier}', not '${sourceCluster}'`,
      );
    }
    if (snapshot.Status !== 'available') {
      throw new InputError(
        `Aurora snapshot '${snapshotId}' is ${snapshot.Status}, not available`,
      );
    }
    return snapshot.EngineVersion;
  }

  /** Asks for the cluster and its instance, unless they exist. */
  async create(): Promise<string[]> {
    const { tempCluster, tempInstance, sourceCluster, snapshotId } = this.ids;
    const done: string[] = [];
    let cluster = await this.#describeCluster(tempCluster);
    if (!cluster) {
      const source = await this.#describeCluster(sourceCluster);
      if (!source) {
        throw new InputError(`Aurora cluster '${sourceCluster}' not found`);
      }
      cluster = this.ids.pointInTime
        ? await this.#restoreToPointInTime(source, this.ids.pointInTime)
        : await this.#call(
            `restore temporary cluster '${tempCluster}' from snapshot '${snapshotId}'`,
            async () =>
              (
                await this.rds.send(
                  new RestoreDBClusterFromSnapshotCommand({
                    DBClusterIdentifier: tempCluster,
                    SnapshotIdentifier: snapshotId,
                    Engine: source.Engine,
                    EngineVersion: source.EngineVersion,
                    ...this.#copiedSettings(source),
                  }),
                )
              ).DBCluster,
            'DBClusterAlreadyExistsFault',
          );
      done.push(`asked for temporary cluster '${tempCluster}'`);
      cluster = cluster ?? (await this.#describeCluster(tempCluster));
    }
    const instance = await this.#describeInstance(tempInstance);
    if (!instance) {
      await this.#call(
        `create instance '${tempInstance}' of temporary cluster '${tempCluster}'`,
        () =>
          this.rds.send(
            new CreateDBInstanceCommand({
              DBInstanceIdentifier: tempInstance,
              DBClusterIdentifier: tempCluster,
              Engine: cluster?.Engine,
              DBInstanceClass: 'db.serverless',
              PubliclyAccessible: false,
              Tags: [{ Key: 'dbaas.io/restore', Value: this.ids.restoreId }],
            }),
          ),
        'DBInstanceAlreadyExistsFault',
      );
      done.push(`asked for instance '${tempInstance}'`);
    }
    return done;
  }

  /** What the temporary cluster takes over from the source cluster. */
  #copiedSettings(source: DBCluster) {
    return {
      DBSubnetGroupName: source.DBSubnetGroup,
      VpcSecurityGroupIds: source.VpcSecurityGroups?.map(
        g => g.VpcSecurityGroupId!,
      ).filter(Boolean),
      DBClusterParameterGroupName: source.DBClusterParameterGroup,
      KmsKeyId: source.KmsKeyId,
      ServerlessV2ScalingConfiguration:
        source.ServerlessV2ScalingConfiguration ?? DEFAULT_SCALING,
      DeletionProtection: false,
      Tags: [
        { Key: 'dbaas.io/restore', Value: this.ids.restoreId },
        { Key: 'dbaas.io/temporary', Value: 'true' },
      ],
    };
  }

  /**
   * The source's continuous backup as of `at` (a full copy: a
   * copy-on-write clone is only of the present). The window is checked
   * first; AWS's own refusal (InvalidRestoreFault) says the same.
   */
  async #restoreToPointInTime(
    source: DBCluster,
    at: Date,
  ): Promise<DBCluster | undefined> {
    const { tempCluster, sourceCluster } = this.ids;
    this.#checkWindow(source, at);
    try {
      return await this.#call(
        `restore temporary cluster '${tempCluster}' from cluster '${sourceCluster}' to ${isoSecond(
          at,
        )}`,
        async () =>
          (
            await this.rds.send(
              new RestoreDBClusterToPointInTimeCommand({
                DBClusterIdentifier: tempCluster,
                SourceDBClusterIdentifier: sourceCluster,
                RestoreToTime: at,
                ...this.#copiedSettings(source),
              }),
            )
          ).DBCluster,
        'DBClusterAlreadyExistsFault',
      );
    } catch (error) {
      if (awsErrorName(error) === 'InvalidRestoreFault') {
        const again = await this.#describeCluster(sourceCluster);
        throw new InputError(
          `AWS refused to restore cluster '${sourceCluster}' to ${isoSecond(
            at,
          )}${
            again?.EarliestRestorableTime && again.LatestRestorableTime
              ? ` (restore window ${describeWindow({
                  earliest: again.EarliestRestorableTime,
                  latest: again.LatestRestorableTime,
                })})`
              : ''
          }: ${(error as Error).message}`,
        );
      }
      throw error;
    }
  }

  async status(): Promise<TempClusterStatus> {
    const { tempCluster, tempInstance } = this.ids;
    const cluster = await this.#describeCluster(tempCluster);
    if (!cluster) {
      return { kind: 'failed', status: `cluster '${tempCluster}' not found` };
    }
    const instance = await this.#describeInstance(tempInstance);
    const clusterStatus = cluster.Status ?? 'unknown';
    const instanceStatus = instance?.DBInstanceStatus ?? 'missing';
    const status = `cluster ${clusterStatus}, instance ${instanceStatus}`;
    if (
      FAILED_STATUSES.has(clusterStatus) ||
      FAILED_STATUSES.has(instanceStatus)
    ) {
      return { kind: 'failed', status };
    }
    if (
      clusterStatus === 'available' &&
      instanceStatus === 'available' &&
      cluster.Endpoint
    ) {
      return {
        kind: 'ready',
        endpoint: { host: cluster.Endpoint, port: cluster.Port ?? 5432 },
      };
    }
    return { kind: 'pending', status };
  }

  /**
   * Deletes the instance, then the cluster (without a final snapshot).
   * `busy` when AWS refuses for now (e.g. still creating): call again.
   */
  async delete(): Promise<DeletionResult> {
    const { tempCluster, tempInstance } = this.ids;
    const instance = await this.#describeInstance(tempInstance);
    if (instance && instance.DBInstanceStatus !== 'deleting') {
      const accepted = await this.#deletion(
        `delete instance '${tempInstance}' of temporary cluster '${tempCluster}'`,
        () =>
          this.rds.send(
            new DeleteDBInstanceCommand({ DBInstanceIdentifier: tempInstance }),
          ),
        'DBInstanceNotFoundFault',
        'InvalidDBInstanceStateFault',
      );
      if (!accepted) {
        return 'busy';
      }
    }
    const cluster = await this.#describeCluster(tempCluster);
    if (!cluster) {
      return 'gone';
    }
    if (cluster.Status === 'deleting') {
      return 'deleting';
    }
    const accepted = await this.#deletion(
      `delete temporary cluster '${tempCluster}'`,
      () =>
        this.rds.send(
          new DeleteDBClusterCommand({
            DBClusterIdentifier: tempCluster,
            SkipFinalSnapshot: true,
          }),
        ),
      'DBClusterNotFoundFault',
      'InvalidDBClusterStateFault',
    );
    return accepted ? 'deleting' : 'busy';
  }

  /** True when accepted (or already gone), false when AWS says "not now". */
  async #deletion(
    what: string,
    fn: () => Promise<unknown>,
    notFound: string,
    invalidState: string,
  ): Promise<boolean> {
    try {
      await withAwsRetry(what, fn, this.retry);
      return true;
    } catch (error) {
      const name = awsErrorName(error);
      if (name === notFound) {
        return true;
      }
      if (name === invalidState) {
        return false;
      }
      throw error;
    }
  }

  async #call<T>(
    what: string,
    fn: () => Promise<T>,
    alreadyExists: string,
  ): Promise<T | undefined> {
    try {
      return await withAwsRetry(what, fn, this.retry);
    } catch (error) {
      // Created by an attempt whose outcome was lost: that is ours.
      if (awsErrorName(error) === alreadyExists) {
        return undefined;
      }
      throw error;
    }
  }

  async #describeCluster(id: string): Promise<DBCluster | undefined> {
    try {
      const result = await withAwsRetry(
        `describe Aurora cluster '${id}'`,
        () =>
          this.rds.send(
            new DescribeDBClustersCommand({ DBClusterIdentifier: id }),
          ),
        this.retry,
      );
      return result.DBClusters?.[0];
    } catch (error) {
      if (awsErrorName(error) === 'DBClusterNotFoundFault') {
        return undefined;
      }
      throw error;
    }
  }

  async #describeInstance(id: string): Promise<DBInstance | undefined> {
    try {
      const result = await withAwsRetry(
        `describe Aurora instance '${id}'`,
        () =>
          this.rds.send(
            new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }),
          ),
        this.retry,
      );
      return result.DBInstances?.[0];
    } catch (error) {
      if (awsErrorName(error) === 'DBInstanceNotFoundFault') {
        return undefined;
      }
      throw error;
    }
  }
}
