import type { RestoredCopy } from './restoredCopyTypes';
import type { RestoreState } from './types';

/**
 * `new-database` (the default) restores next to the original, into
 * `<db>-restored-<yyyymmddhhmm>` with its own roles; `in-place` replaces the
 * original's data and keeps the previous data as a safety copy.
 *
 * @public
 */
export type RestoreTarget = 'new-database' | 'in-place';

/** @public */
export const RESTORE_TARGETS: readonly RestoreTarget[] = [
  'new-database',
  'in-place',
];

/**
 * Body of `POST /databases/:namespace/:name/restores`.
 *
 * @public
 */
export interface CreateRestoreRequest {
  /** The snapshot to restore; give this or `pointInTime`. */
  snapshotId?: string;
  /**
   * Aurora: restore the database as it was at this moment (ISO 8601 with
   * its zone, to the second), anywhere inside the cluster's restore window
   * (`restoreWindow` of the snapshot listing, `pointInTime: true`); give
   * this or `snapshotId`.
   */
  pointInTime?: string;
  target: RestoreTarget;
  /** Why: shown to approvers and kept in the audit trail. */
  reason: string;
  /**
   * Only for `new-database`: the name (inside the namespace) of the new
   * database. Default `<db>-restored-<yyyymmddhhmm>` (UTC, request time).
   */
  targetName?: string;
}

/**
 * One approval of a restore request. It is bound to the request's
 * fingerprint at the time it was given.
 *
 * @public
 */
export interface RestoreApproval {
  /** User entity ref. */
  by: string;
  /** ISO 8601 */
  at: string;
  comment?: string;
}

/** @public */
export interface RestoreDecision {
  /** User entity ref. */
  by: string;
  /** ISO 8601 */
  at: string;
  reason?: string;
}

/**
 * The workflow's steps in order. Local clusters skip the `temp-cluster-*`
 * and `dump` steps; `new-database` targets skip `preview`, `swap` and
 * `drop-safety-copy`; in-place restores whose mode needs no finalize
 * (`dbaas.restore.finalize`) skip `preview`.
 *
 * @public
 */
export const RESTORE_STEPS = [
  'preflight',
  'temp-cluster-create',
  'temp-cluster-wait',
  'dump',
  'restore',
  'verify',
  'preview',
  'swap',
  'grants',
  'cleanup',
  'drop-safety-copy',
] as const;

/** @public */
export type RestoreStep = (typeof RESTORE_STEPS)[number];

/**
 * A line of a restore request's step log.
 *
 * @public
 */
export interface RestoreLogEntry {
  /** ISO 8601 */
  at: string;
  step?: RestoreStep;
  level: 'info' | 'warning' | 'error';
  message: string;
}

/**
 * A restore request with its decisions and step log
 * (`GET /restores/:id`).
 *
 * @public
 */
export interface RestoreRequest {
  id: string;
  namespace: string;
  name: string;
  /** `<namespace>-<name>`: the database restored from. */
  databaseName: string;
  cluster: string;
  mode: 'standard' | 'protected';
  /**
   * The snapshot restored; for a point-in-time restore
   * `pitr:<pointInTime>`.
   */
  snapshotId: string;
  /** ISO 8601: the moment the snapshot's data is from. */
  snapshotCreatedAt: string;
  /** ISO 8601: set for a point-in-time restore, the moment restored to. */
  pointInTime?: string;
  target: RestoreTarget;
  /** The database that receives the data (the original for `in-place`). */
  targetDatabaseName: string;
  reason: string;
  state: RestoreState;
  /** User entity ref. */
  requestedBy: string;
  /** ISO 8601 */
  requestedAt: string;
  /** ISO 8601: a request still pending then is `expired`. */
  expiresAt: string;
  /** ISO 8601 */
  updatedAt: string;
  /**
   * Hash of (database, snapshot, target, target database). An approval is
   * valid only for the fingerprint it was given for.
   */
  fingerprint: string;
  /** 2 for protected databases restored in place, else 1. */
  approvalsRequired: number;
  approvals: RestoreApproval[];
  rejection?: RestoreDecision;
  cancellation?: RestoreDecision;
  /**
   * In-place restores: the workflow stops in `awaiting-finalize` after the
   * preview, until the swap is finalized (`POST /restores/:id/finalize`).
   */
  finalizeRequired: boolean;
  /**
   * ISO 8601, set on entering `awaiting-finalize`: the restored copy is
   * dropped unless the swap is finalized before then.
   */
  finalizeDeadline?: string;
  /** Who finalized the swap, when. */
  finalization?: RestoreFinalization;
  /** The step running, or the one that failed. */
  currentStep?: RestoreStep;
  /** Why the restore failed (cleanup has run). */
  error?: string;
  /** In-place restores: where the previous data is kept, until when. */
  safetyCopy?: { databaseName: string; dropAfter: string; dropped?: boolean };
  log: RestoreLogEntry[];
  /**
   * `new-database` restores that succeeded: the database they created,
   * what becomes of it, and what the caller may do with it.
   */
  copy?: RestoredCopy;
  /** What the caller may do now (computed per caller). */
  allowedActions: Array<'approve' | 'reject' | 'cancel' | 'finalize'>;
}

/**
 * The decision that lets an in-place restore swap its verified copy in.
 *
 * @public
 */
export interface RestoreFinalization {
  /** User entity ref. */
  by: string;
  /** ISO 8601 */
  at: string;
  comment?: string;
}

/**
 * Body of `POST /restores/:id/finalize`.
 *
 * @public
 */
export interface FinalizeRestoreRequest {
  /** Kept with the decision in the step log and the audit trail. */
  comment?: string;
}

/**
 * One table in the preview of an in-place restore: the restored copy (the
 * snapshot's content) against the live database.
 *
 * @public
 */
export interface RestorePreviewTable {
  schema: string;
  name: string;
  /**
   * `in-both`; `added-since-snapshot`: only in the live database, so the
   * swap takes it away (it stays in the safety copy);
   * `dropped-since-snapshot`: only in the snapshot, so the swap brings it
   * back.
   */
  presence: 'in-both' | 'added-since-snapshot' | 'dropped-since-snapshot';
  /** A partitioned table: its rows are counted in its partitions, listed too. */
  partitioned?: boolean;
  /** Exact rows in the restored copy; absent when added since the snapshot. */
  rowsAtSnapshot?: number;
  /**
   * Exact rows in the live database when it was counted; absent when
   * dropped since the snapshot or when it could not be counted.
   */
  rowsNow?: number;
  /** Why `rowsNow` is missing for a table in the live database (e.g. locked). */
  rowsNowError?: string;
  /** Columns only in the live database: their values go with the swap. */
  columnsAddedSince: string[];
  /** Columns only in the snapshot: they come back with the swap. */
  columnsDroppedSince: string[];
  /** Columns in both whose type differs. */
  columnsRetyped: Array<{
    name: string;
    typeAtSnapshot: string;
    typeNow: string;
  }>;
}

/**
 * `GET /restores/:id/preview`: what an in-place swap would change, per
 * table. The snapshot side is counted once in the restored copy; the live
 * side is counted again when asked while the restore awaits its finalize.
 *
 * @public
 */
export interface RestorePreview {
  restoreId: string;
  /** The live database the swap replaces. */
  databaseName: string;
  /** The restored, verified copy that the swap puts in its place. */
  scratchDatabaseName: string;
  snapshotId: string;
  /** ISO 8601: the moment the snapshot's data is from. */
  snapshotCreatedAt: string;
  /** ISO 8601: when the restored copy was counted. */
  snapshotCountedAt: string;
  /** ISO 8601: when the live database was last counted. */
  liveCountedAt?: string;
  /** Why the live database could not be counted (again), if it could not. */
  liveError?: string;
  /** ISO 8601: while awaiting finalize, when the restored copy is dropped. */
  finalizeDeadline?: string;
  totals: {
    rowsAtSnapshot: number;
    /** Absent when some live table could not be counted. */
    rowsNow?: number;
    tablesAddedSince: number;
    tablesDroppedSince: number;
    tablesWithOtherRowCounts: number;
    columnsAddedSince: number;
    columnsDroppedSince: number;
  };
  /** Tables with a difference first, then the others; by schema and name. */
  tables: RestorePreviewTable[];
}

/**
 * `GET /restores?status=&namespace=&name=`: newest first.
 *
 * @public
 */
export interface ListRestoresResponse {
  items: RestoreRequest[];
}
