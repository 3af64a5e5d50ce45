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
  snapshotId: string;
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
 * and `dump` steps; `new-database` targets skip `swap` and
 * `drop-safety-copy`.
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
  snapshotId: string;
  /** ISO 8601: the moment the snapshot's data is from. */
  snapshotCreatedAt: string;
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
  /** The step running, or the one that failed. */
  currentStep?: RestoreStep;
  /** Why the restore failed (cleanup has run). */
  error?: string;
  /** In-place restores: where the previous data is kept, until when. */
  safetyCopy?: { databaseName: string; dropAfter: string; dropped?: boolean };
  log: RestoreLogEntry[];
  /** What the caller may do now (computed per caller). */
  allowedActions: Array<'approve' | 'reject' | 'cancel'>;
}

/**
 * `GET /restores?status=&namespace=&name=`: newest first.
 *
 * @public
 */
export interface ListRestoresResponse {
  items: RestoreRequest[];
}
