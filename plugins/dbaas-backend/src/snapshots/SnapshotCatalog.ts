import {
  DatabaseSnapshot,
  DatabaseSnapshotsResponse,
  SnapshotType,
} from '@dbaas/plugin-dbaas-common';
import { ClusterSettings } from '@dbaas/plugin-dbaas-node';

/** The database a snapshot question is about, resolved from the inventory. */
export interface SnapshotSubject {
  namespace: string;
  name: string;
  /** `<namespace>-<name>` */
  databaseName: string;
  cluster: ClusterSettings;
}

/**
 * A logical snapshot's dump file, checked against its recorded checksum
 * before it is handed out.
 */
export interface SnapshotDumpFile {
  path: string;
  /** `sha256:<hex>` */
  checksum: string;
  sizeBytes: number;
}

/** How a snapshot is taken. */
export interface TakeSnapshotOptions {
  /** Stops pg_dump (e.g. when the scheduled task times out). */
  signal?: AbortSignal;
}

/**
 * Snapshots of databases, whatever the provider (Aurora cluster snapshots,
 * or the suite's logical pg_dump snapshots on self-hosted clusters).
 */
export interface SnapshotCatalog {
  /** Newest first, with the restore window and retention. */
  list(subject: SnapshotSubject): Promise<DatabaseSnapshotsResponse>;
  /**
   * One snapshot the database can be restored from. NotFoundError for an
   * unknown id or another database's snapshot; InputError when it is not
   * restorable (not available, or outside the retention window).
   */
  getRestorable(
    subject: SnapshotSubject,
    snapshotId: string,
  ): Promise<DatabaseSnapshot>;
  /**
   * Takes a snapshot now (self-hosted clusters); resolves once it is
   * available. ConflictError while another snapshot of the database runs;
   * InputError on Aurora (cluster snapshots are taken by AWS Backup/RDS).
   */
  take(
    subject: SnapshotSubject,
    type: Extract<SnapshotType, 'on-demand' | 'final' | 'scheduled'>,
    options?: TakeSnapshotOptions,
  ): Promise<DatabaseSnapshot>;
  /**
   * Self-hosted clusters: the dump file of a pg_dump snapshot, verified
   * against its checksum (InputError if it does not match).
   */
  openDump(
    subject: SnapshotSubject,
    snapshotId: string,
  ): Promise<SnapshotDumpFile>;
}
