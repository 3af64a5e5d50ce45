import {
  DBCluster,
  DBClusterSnapshot,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  RDSClient,
  paginateDescribeDBClusterSnapshots,
} from '@aws-sdk/client-rds';
import {
  ForwardedError,
  InputError,
  NotFoundError,
  isError,
} from '@backstage/errors';
import {
  DatabaseSnapshot,
  DatabaseSnapshotsResponse,
  SnapshotStatus,
} from '@dbaas/plugin-dbaas-common';
import { ClusterEnvironment, ClusterSettings } from '@dbaas/plugin-dbaas-node';
import { describeWindow, isoSecond, pointInTimeId } from '../pointInTime';
import {
  RestorablePoint,
  SnapshotCatalog,
  SnapshotDump,
  SnapshotSubject,
} from '../SnapshotCatalog';

const DAY_MS = 24 * 3_600_000;
const GIB = 2 ** 30;

/**
 * Attempts per AWS call. The SDK's standard retry mode backs off
 * exponentially with jitter on throttling and transient errors.
 */
export const AURORA_MAX_ATTEMPTS = 6;

/** Cluster snapshot identifiers, incl. `rds:` (automated) and `awsbackup:` prefixes. */
const SNAPSHOT_IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9:-]{0,254}$/;

/** One RDS client per region, retrying throttled calls. */
export function createRdsClient(region: string): RDSClient {
  return new RDSClient({
    region,
    maxAttempts: AURORA_MAX_ATTEMPTS,
    retryMode: 'standard',
  });
}

function toStatus(status: string | undefined): SnapshotStatus {
  switch (status) {
    case 'available':
      return 'available';
    case 'creating':
    case 'copying':
      return 'creating';
    case 'deleting':
      return 'deleting';
    default:
      // 'failed', 'incompatible-restore', anything new: not restorable.
      return 'failed';
  }
}

interface ClusterView {
  cluster?: DBCluster;
  snapshots: DBClusterSnapshot[];
}

/**
 * Aurora cluster snapshots: each holds every database of the cluster, so a
 * database's snapshots are its cluster's (automated and manual), and its
 * restore window is the cluster's point-in-time window. AWS takes them;
 * the suite only reads. Answers are cached briefly so that page views do
 * not turn into RDS API throttling.
 */
export class AuroraSnapshotCatalog implements SnapshotCatalog {
  readonly #clientFor: (region: string) => RDSClient;
  readonly #clients = new Map<string, RDSClient>();
  readonly #retentionDays: Record<ClusterEnvironment, number>;
  readonly #cacheTtlMs: number;
  readonly #now: () => Date;
  readonly #cache = new Map<
    string,
    { at: number; view: Promise<ClusterView> }
  >();

  constructor(options: {
    retentionDays: Record<ClusterEnvironment, number>;
    clientFor?: (region: string) => RDSClient;
    /** @defaultValue 60 s; 0 disables the cache */
    cacheTtlMs?: number;
    now?: () => Date;
  }) {
    this.#clientFor = options.clientFor ?? createRdsClient;
    this.#retentionDays = options.retentionDays;
    this.#cacheTtlMs = options.cacheTtlMs ?? 60_000;
    this.#now = options.now ?? (() => new Date());
  }

  async list(subject: SnapshotSubject): Promise<DatabaseSnapshotsResponse> {
    const { cluster, snapshots } = await this.#view(subject.cluster);
    const retentionDays =
      cluster?.BackupRetentionPeriod ??
      this.#retentionDays[subject.cluster.environment];
    const items = snapshots
      .map(s => this.#toApi(s, subject.cluster, retentionDays))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const earliest = cluster?.EarliestRestorableTime;
    const latest = cluster?.LatestRestorableTime;
    return {
      namespace: subject.namespace,
      name: subject.name,
      databaseName: subject.databaseName,
      cluster: subject.cluster.name,
      retentionDays,
      ...(earliest && latest
        ? {
            restoreWindow: {
              earliest: earliest.toISOString(),
              latest: latest.toISOString(),
              pointInTime: true,
            },
          }
        : {}),
      ...(cluster?.PreferredBackupWindow
        ? nextBackup(cluster.PreferredBackupWindow, this.#now())
        : {}),
      items,
    };
  }

  async getRestorable(
    subject: SnapshotSubject,
    snapshotId: string,
  ): Promise<DatabaseSnapshot> {
    const { region, clusterIdentifier } = aurora(subject.cluster);
    const notFound = () =>
      new NotFoundError(
        `Database ${subject.namespace}/${subject.name} has no snapshot '${snapshotId}' (Aurora cluster ${clusterIdentifier})`,
      );
    if (!SNAPSHOT_IDENTIFIER.test(snapshotId)) {
      throw notFound();
    }
    let found: DBClusterSnapshot | undefined;
    try {
      const output = await this.#client(region).send(
        new DescribeDBClusterSnapshotsCommand({
          DBClusterIdentifier: clusterIdentifier,
          DBClusterSnapshotIdentifier: snapshotId,
        }),
      );
      found = output.DBClusterSnapshots?.[0];
    } catch (error) {
      if (isError(error) && error.name === 'DBClusterSnapshotNotFoundFault') {
        throw notFound();
      }
      throw forwarded(
        `Reading snapshot '${snapshotId}' of Aurora cluster ${clusterIdentifier} (${region}) failed`,
        error,
      );
    }
    // A snapshot of another cluster holds none of this database's data.
    if (!found || found.DBClusterIdentifier !== clusterIdentifier) {
      throw notFound();
    }
    const cluster = await this.#describeCluster(subject.cluster);
    const snapshot = this.#toApi(
      found,
      subject.cluster,
      cluster?.BackupRetentionPeriod ??
        this.#retentionDays[subject.cluster.environment],
    );
    if (snapshot.status !== 'available') {
      throw new InputError(
        `Snapshot '${snapshotId}' of Aurora cluster ${clusterIdentifier} is ${
          found.Status ?? 'in an unknown state'
        }; only an available snapshot can be restored`,
      );
    }
    if (
      snapshot.expiresAt &&
      Date.parse(snapshot.expiresAt) <= this.#now().getTime()
    ) {
      throw new InputError(
        `Snapshot '${snapshotId}' of Aurora cluster ${clusterIdentifier} is outside the retention window (it expired on ${snapshot.expiresAt})`,
      );
    }
    return snapshot;
  }

  /**
   * Asks AWS for the window now (never the cache): it moves every few
   * minutes, and a time a page showed as restorable may have left it.
   */
  async getRestorablePointInTime(
    subject: SnapshotSubject,
    at: Date,
  ): Promise<RestorablePoint> {
    const { clusterIdentifier } = aurora(subject.cluster);
    const cluster = await this.#describeCluster(subject.cluster);
    const earliest = cluster?.EarliestRestorableTime;
    const latest = cluster?.LatestRestorableTime;
    if (!earliest || !latest) {
      throw new InputError(
        `Aurora cluster ${clusterIdentifier} has no restore window (no automated backups); choose a snapshot instead of a point in time`,
      );
    }
    if (at < earliest || at > latest) {
      throw new InputError(
        `${isoSecond(at)} is outside the restore window of Aurora cluster ${clusterIdentifier}: ${describeWindow(
          { earliest, latest },
        )}`,
      );
    }
    return { id: pointInTimeId(at), createdAt: at.toISOString() };
  }

  async take(subject: SnapshotSubject): Promise<DatabaseSnapshot> {
    throw new InputError(
      `Database ${subject.namespace}/${subject.name} is on Aurora cluster '${subject.cluster.name}', whose snapshots are taken by AWS (automated daily snapshots); on-demand snapshots are only for self-hosted clusters`,
    );
  }

  async openDump(subject: SnapshotSubject): Promise<SnapshotDump> {
    throw new InputError(
      `Aurora cluster '${subject.cluster.name}' has cluster snapshots, not dump files; restore them through a temporary cluster`,
    );
  }

  #client(region: string): RDSClient {
    let client = this.#clients.get(region);
    if (!client) {
      client = this.#clientFor(region);
      this.#clients.set(region, client);
    }
    return client;
  }

  #view(settings: ClusterSettings): Promise<ClusterView> {
    const now = Date.now();
    const cached = this.#cache.get(settings.name);
    if (cached && now - cached.at < this.#cacheTtlMs) {
      return cached.view;
    }
    const view = this.#describe(settings);
    this.#cache.set(settings.name, { at: now, view });
    // A failure is reported once, not cached.
    view.catch(() => this.#cache.delete(settings.name));
    return view;
  }

  #describeCluster(settings: ClusterSettings): Promise<DBCluster | undefined> {
    const { region, clusterIdentifier } = aurora(settings);
    return this.#client(region)
      .send(
        new DescribeDBClustersCommand({
          DBClusterIdentifier: clusterIdentifier,
        }),
      )
      .then(
        output => output.DBClusters?.[0],
        error => {
          throw forwarded(
            `Describing Aurora cluster ${clusterIdentifier} (${region}) failed`,
            error,
          );
        },
      );
  }

  async #describe(settings: ClusterSettings): Promise<ClusterView> {
    const { region, clusterIdentifier } = aurora(settings);
    const client = this.#client(region);
    const where = `Aurora cluster ${clusterIdentifier} (${region})`;
    const clusterCall = this.#describeCluster(settings);
    const snapshots: DBClusterSnapshot[] = [];
    try {
      for await (const page of paginateDescribeDBClusterSnapshots(
        { client, pageSize: 100 },
        { DBClusterIdentifier: clusterIdentifier },
      )) {
        snapshots.push(...(page.DBClusterSnapshots ?? []));
      }
    } catch (error) {
      clusterCall.catch(() => {});
      throw forwarded(`Listing the snapshots of ${where} failed`, error);
    }
    return { cluster: await clusterCall, snapshots };
  }

  #toApi(
    snapshot: DBClusterSnapshot,
    settings: ClusterSettings,
    retentionDays: number,
  ): DatabaseSnapshot {
    const created = snapshot.SnapshotCreateTime ?? snapshot.ClusterCreateTime;
    const automated = snapshot.SnapshotType === 'automated';
    return {
      id: snapshot.DBClusterSnapshotIdentifier ?? '',
      source: 'aurora-cluster-snapshot',
      type: automated ? 'automated' : 'manual',
      status: toStatus(snapshot.Status),
      createdAt: (created ?? new Date(0)).toISOString(),
      // Manual snapshots are kept until someone deletes them.
      ...(automated && created
        ? {
            expiresAt: new Date(
              created.getTime() + retentionDays * DAY_MS,
            ).toISOString(),
          }
        : {}),
      ...(snapshot.AllocatedStorage !== undefined
        ? { sizeBytes: snapshot.AllocatedStorage * GIB }
        : {}),
      cluster: settings.name,
      ...(snapshot.EngineVersion
        ? { engineVersion: snapshot.EngineVersion }
        : {}),
      ...(toStatus(snapshot.Status) === 'failed'
        ? { error: `AWS reports status '${snapshot.Status ?? 'unknown'}'` }
        : {}),
    };
  }
}

/**
 * The start of the next daily backup window (`hh:mm-hh:mm`, UTC), when
 * Aurora takes its automated snapshot.
 */
export function nextBackup(
  window: string,
  now: Date,
): { nextScheduledAt?: string } {
  const match = /^(\d{2}):(\d{2})-\d{2}:\d{2}$/.exec(window);
  if (!match) {
    return {};
  }
  const next = new Date(now);
  next.setUTCHours(Number(match[1]), Number(match[2]), 0, 0);
  if (next <= now) {
    next.setUTCDate(next.getUTCDate() + 1);
  }
  return { nextScheduledAt: next.toISOString() };
}

function aurora(settings: ClusterSettings): {
  region: string;
  clusterIdentifier: string;
} {
  if (!settings.aurora) {
    throw new InputError(
      `Cluster '${settings.name}' has no aurora settings (region, clusterIdentifier)`,
    );
  }
  return settings.aurora;
}

/** The AWS error with what was being done; throttling says it was retried. */
function forwarded(context: string, error: unknown): Error {
  const attempts = (error as { $metadata?: { attempts?: number } })?.$metadata
    ?.attempts;
  return new ForwardedError(
    attempts && attempts > 1
      ? `${context} after ${attempts} attempts`
      : context,
    error,
  );
}
