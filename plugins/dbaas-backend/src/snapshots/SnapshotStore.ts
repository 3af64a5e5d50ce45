import { SnapshotEvidence } from './evidence/SnapshotEvidence';

/** Why a logical snapshot was taken. */
export type LocalSnapshotType = 'scheduled' | 'on-demand' | 'final';

/** `deleted` rows are pruned snapshots kept for billing history. */
export type StoredSnapshotStatus =
  | 'creating'
  | 'available'
  | 'failed'
  | 'deleted';

/** One row of `dbaas_snapshots`. */
export interface StoredSnapshot {
  id: string;
  cluster: string;
  databaseName: string;
  namespace: string;
  name: string;
  type: LocalSnapshotType;
  status: StoredSnapshotStatus;
  createdAt: Date;
  completedAt?: Date;
  expiresAt: Date;
  heartbeatAt: Date;
  deletedAt?: Date;
  sizeBytes?: number;
  checksum?: string;
  engineVersion?: string;
  error?: string;
}

export type NewSnapshot = Pick<
  StoredSnapshot,
  | 'id'
  | 'cluster'
  | 'databaseName'
  | 'namespace'
  | 'name'
  | 'type'
  | 'createdAt'
  | 'expiresAt'
>;

/**
 * The metadata of logical snapshots. The store is the only coordination
 * between replicas: it admits one running (`creating`) snapshot per
 * database, and every transition out of `creating` is conditional on still
 * being `creating`, so a replica that lost its row to the crash cleanup
 * cannot resurrect it.
 */
export interface SnapshotStore {
  /**
   * Records a snapshot as `creating`, or returns the snapshot of the same
   * database that is already being created.
   */
  begin(
    snapshot: NewSnapshot,
  ): Promise<{ started: true } | { started: false; running: StoredSnapshot }>;
  heartbeat(id: string, at: Date): Promise<void>;
  /**
   * False when the row is no longer `creating` (taken over as stale). The
   * evidence, when given, is recorded with it: both or neither.
   */
  complete(
    id: string,
    result: {
      sizeBytes: number;
      checksum: string;
      engineVersion: string;
      completedAt: Date;
      evidence?: SnapshotEvidence;
    },
  ): Promise<boolean>;
  /** False when the row is no longer `creating`. */
  fail(
    id: string,
    error: string,
    at: Date,
    engineVersion?: string,
  ): Promise<boolean>;
  get(id: string): Promise<StoredSnapshot | undefined>;
  /** Every snapshot of a database that was not pruned, newest first. */
  listForDatabase(
    cluster: string,
    databaseName: string,
  ): Promise<StoredSnapshot[]>;
  /** `creating` rows whose heartbeat is older than `before`. */
  listStale(before: Date): Promise<StoredSnapshot[]>;
  /** Available and failed snapshots whose retention ended by `now`. */
  listExpired(now: Date): Promise<StoredSnapshot[]>;
  /**
   * The newest available snapshot of each of the given databases of a
   * cluster, keyed by database name.
   */
  newestAvailable(cluster: string): Promise<Map<string, StoredSnapshot>>;
  /** Marks a pruned snapshot; its file is already gone. */
  markDeleted(id: string, at: Date): Promise<void>;
  /** Forgets failed and pruned snapshots for good. */
  purge(ids: string[]): Promise<void>;
  /** Rows of pruned snapshots deleted before `before`. */
  purgeDeletedBefore(before: Date): Promise<number>;
  /**
   * Bytes of the snapshots of each database of a cluster that were
   * available at `at`: completed by then and not yet pruned.
   */
  availableBytesByDatabase(
    cluster: string,
    at: Date,
  ): Promise<Map<string, number>>;
}
