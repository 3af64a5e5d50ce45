import { Readable } from 'node:stream';
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
 * A logical snapshot's dump (`pg_dump --format=custom`), where it is kept:
 * a file in the snapshot directory or an object in the snapshot bucket.
 */
export interface SnapshotDump {
  /** For logs: a path or an `s3://` URL. */
  location: string;
  /** `sha256:<hex>`, as recorded when the snapshot was taken. */
  checksum: string;
  sizeBytes: number;
  /**
   * A local file holding the dump, already checked whole against the
   * checksum: pg_restore reads it itself, in parallel. Unset for a dump in
   * object storage, which is only streamed (`read`).
   */
  path?: string;
  /**
   * The dump's bytes from the start. The stream fails at its end when they
   * do not match the checksum and size (InputError): only a reader that
   * saw it end without an error has read the recorded dump.
   */
  read(signal?: AbortSignal): Promise<Readable>;
}

/**
 * What a restore request records of its source: a snapshot's id and
 * moment, or for a point-in-time restore `pitr:<moment>` and the moment.
 */
export type RestorablePoint = Pick<DatabaseSnapshot, 'id' | 'createdAt'>;

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
   * The source of a point-in-time restore (Aurora: the cluster's
   * continuous backup). InputError naming the window when `at` is outside
   * the cluster's restore window, or on clusters without one (self-hosted
   * clusters have only their snapshots).
   */
  getRestorablePointInTime(
    subject: SnapshotSubject,
    at: Date,
  ): Promise<RestorablePoint>;
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
   * Self-hosted clusters: the dump of a pg_dump snapshot. InputError when
   * it is missing or does not match what was recorded (a file is checked
   * whole; an object by its size and sha256 tag, and its bytes as `read`
   * streams them).
   */
  openDump(subject: SnapshotSubject, snapshotId: string): Promise<SnapshotDump>;
}
