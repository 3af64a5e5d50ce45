import { RestoreState, RestoreStep } from '@dbaas/plugin-dbaas-common';
import {
  NewRestoreRecord,
  RestoreProgress,
  RestoreRecord,
  StoredApproval,
  StoredLogEntry,
} from './RestoreRecord';

export const REQUESTS = 'dbaas_restore_requests';
export const APPROVALS = 'dbaas_restore_approvals';
export const LOG = 'dbaas_restore_log';

type Row = Record<string, any>;

const date = (value: unknown): Date | undefined =>
  value === null || value === undefined ? undefined : new Date(value as any);

const text = (value: unknown): string | undefined =>
  value === null || value === undefined ? undefined : String(value);

export function toRecord(row: Row, approvals: StoredApproval[]): RestoreRecord {
  return {
    id: row.id,
    namespace: row.namespace,
    name: row.name,
    databaseName: row.database_name,
    cluster: row.cluster,
    mode: row.mode,
    snapshotId: row.snapshot_id,
    snapshotCreatedAt: date(row.snapshot_created_at)!,
    target: row.target,
    targetDatabaseName: row.target_database_name,
    reason: row.reason,
    state: row.state as RestoreState,
    requestedBy: row.requested_by,
    requestedAt: date(row.requested_at)!,
    expiresAt: date(row.expires_at)!,
    updatedAt: date(row.updated_at)!,
    fingerprint: row.fingerprint,
    approvalsRequired: Number(row.approvals_required),
    approvals,
    rejection: row.rejected_by
      ? {
          by: row.rejected_by,
          at: date(row.rejected_at)!,
          reason: text(row.rejection_reason),
        }
      : undefined,
    finalizeRequired: Boolean(row.finalize_required),
    finalizeTimeLimitMs:
      row.finalize_time_limit_ms === null ||
      row.finalize_time_limit_ms === undefined
        ? undefined
        : Number(row.finalize_time_limit_ms),
    finalizeDeadline: date(row.finalize_deadline),
    finalization: row.finalized_by
      ? {
          by: row.finalized_by,
          at: date(row.finalized_at)!,
          comment: text(row.finalize_comment),
        }
      : undefined,
    cleanupOutcome: text(row.cleanup_outcome) as
      | RestoreRecord['cleanupOutcome']
      | undefined,
    cancellation: row.cancelled_by
      ? {
          by: row.cancelled_by,
          at: date(row.cancelled_at)!,
          reason: text(row.cancellation_reason),
        }
      : undefined,
    steps: row.steps ? (JSON.parse(row.steps) as RestoreStep[]) : undefined,
    currentStep: text(row.current_step) as RestoreStep | undefined,
    phase: text(row.phase) as RestoreProgress['phase'],
    stepAttempts: Number(row.step_attempts ?? 0),
    workState: JSON.parse(row.work_state ?? '{}'),
    error: text(row.error),
    leaseOwner: text(row.lease_owner),
    leaseExpiresAt: date(row.lease_expires_at),
    nextAttemptAt: date(row.next_attempt_at),
    startedAt: date(row.started_at),
    finishedAt: date(row.finished_at),
    safetyCopy: row.safety_copy_name
      ? {
          databaseName: row.safety_copy_name,
          dropAfter: date(row.safety_copy_drop_after)!,
          droppedAt: date(row.safety_copy_dropped_at),
        }
      : undefined,
  };
}

export function newRow(record: NewRestoreRecord): Row {
  return {
    id: record.id,
    namespace: record.namespace,
    name: record.name,
    database_name: record.databaseName,
    cluster: record.cluster,
    mode: record.mode,
    snapshot_id: record.snapshotId,
    snapshot_created_at: record.snapshotCreatedAt,
    target: record.target,
    target_database_name: record.targetDatabaseName,
    reason: record.reason,
    state: 'pending-approval',
    requested_by: record.requestedBy,
    requested_at: record.requestedAt,
    expires_at: record.expiresAt,
    updated_at: record.requestedAt,
    fingerprint: record.fingerprint,
    approvals_required: record.approvalsRequired,
    finalize_required: record.finalizeRequired ?? false,
    finalize_time_limit_ms: record.finalizeTimeLimitMs ?? null,
    step_attempts: 0,
    work_state: '{}',
  };
}

/** Columns of a progress patch; absent keys are left alone, `undefined` values cleared. */
export function progressColumns(patch: Partial<RestoreProgress>): Row {
  const columns: Row = {};
  const set = (key: keyof RestoreProgress, column: string, value: unknown) => {
    if (key in patch) {
      columns[column] = value ?? null;
    }
  };
  set('steps', 'steps', patch.steps && JSON.stringify(patch.steps));
  set('currentStep', 'current_step', patch.currentStep);
  set('phase', 'phase', patch.phase);
  set('stepAttempts', 'step_attempts', patch.stepAttempts ?? 0);
  set('workState', 'work_state', JSON.stringify(patch.workState ?? {}));
  set('error', 'error', patch.error);
  set('nextAttemptAt', 'next_attempt_at', patch.nextAttemptAt);
  set('startedAt', 'started_at', patch.startedAt);
  set('finishedAt', 'finished_at', patch.finishedAt);
  set('cleanupOutcome', 'cleanup_outcome', patch.cleanupOutcome);
  set('finalizeDeadline', 'finalize_deadline', patch.finalizeDeadline);
  return columns;
}

export function toApproval(row: Row): StoredApproval {
  return {
    by: row.approved_by,
    at: date(row.approved_at)!,
    comment: text(row.comment),
    fingerprint: row.fingerprint,
  };
}

export function toLogEntry(row: Row): StoredLogEntry {
  return {
    at: date(row.at)!,
    step: text(row.step) as RestoreStep | undefined,
    level: row.level,
    message: row.message,
  };
}

export function logRow(requestId: string, entry: StoredLogEntry): Row {
  return {
    request_id: requestId,
    at: entry.at,
    step: entry.step ?? null,
    level: entry.level,
    message: entry.message,
  };
}
