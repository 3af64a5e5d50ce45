/**
 * Where a snapshot comes from: an Aurora cluster snapshot (the whole
 * cluster, all its databases) or a logical `pg_dump --format=custom` of one
 * database on a self-hosted cluster.
 *
 * @public
 */
export type SnapshotSource = 'aurora-cluster-snapshot' | 'pg_dump';

/**
 * Why a snapshot was taken.
 *
 * - `automated`: Aurora's daily automated snapshot
 * - `manual`: an Aurora manual snapshot
 * - `scheduled`: the suite's daily logical snapshot
 * - `on-demand`: asked for by an owner
 * - `final`: taken just before a standard database was dropped
 *
 * @public
 */
export type SnapshotType =
  | 'automated'
  | 'manual'
  | 'scheduled'
  | 'on-demand'
  | 'final';

/** @public */
export type SnapshotStatus = 'creating' | 'available' | 'failed' | 'deleting';

/**
 * One snapshot a database can be restored from.
 *
 * @public
 */
export interface DatabaseSnapshot {
  /** Opaque id, unique per database; what a restore request names. */
  id: string;
  source: SnapshotSource;
  type: SnapshotType;
  status: SnapshotStatus;
  /** ISO 8601: when the data was captured. */
  createdAt: string;
  /** ISO 8601: when retention removes it (absent for manual Aurora snapshots). */
  expiresAt?: string;
  /**
   * Bytes: the dump file for `pg_dump`; the cluster's allocated storage
   * for Aurora snapshots (they hold every database of the cluster).
   */
  sizeBytes?: number;
  /** `sha256:<hex>` of the dump file (pg_dump snapshots). */
  checksum?: string;
  /** The cluster the snapshot was taken on. */
  cluster: string;
  /** PostgreSQL (engine) version of the source. */
  engineVersion?: string;
  /** Why a snapshot failed. */
  error?: string;
}

/**
 * The period a database can be restored to.
 *
 * @public
 */
export interface RestoreWindow {
  /** ISO 8601: the oldest restorable moment. */
  earliest: string;
  /** ISO 8601: the newest restorable moment. */
  latest: string;
  /**
   * True when any second inside can be restored (Aurora's continuous
   * backup: a restore request may name a `pointInTime`); otherwise only
   * the listed snapshots.
   */
  pointInTime?: boolean;
}

/**
 * `GET /databases/:namespace/:name/snapshots`: newest first.
 *
 * @public
 */
export interface DatabaseSnapshotsResponse {
  namespace: string;
  name: string;
  databaseName: string;
  cluster?: string;
  /** Days a snapshot is kept on this database's environment. */
  retentionDays: number;
  /** Absent when there is no available snapshot. */
  restoreWindow?: RestoreWindow;
  /** ISO 8601: the next scheduled snapshot, when known. */
  nextScheduledAt?: string;
  items: DatabaseSnapshot[];
}
