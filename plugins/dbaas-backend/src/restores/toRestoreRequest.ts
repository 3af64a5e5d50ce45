import { RestoreRequest } from '@dbaas/plugin-dbaas-common';
import { pointInTimeOf } from '../snapshots/pointInTime';
import { RestoreRecord, StoredLogEntry } from './store/RestoreRecord';

/** The API shape of a stored request, with what this caller may do. */
export function toRestoreRequest(
  record: RestoreRecord,
  log: StoredLogEntry[],
  allowedActions: RestoreRequest['allowedActions'],
): RestoreRequest {
  return {
    id: record.id,
    namespace: record.namespace,
    name: record.name,
    databaseName: record.databaseName,
    cluster: record.cluster,
    mode: record.mode,
    snapshotId: record.snapshotId,
    snapshotCreatedAt: record.snapshotCreatedAt.toISOString(),
    ...(pointInTimeOf(record.snapshotId)
      ? { pointInTime: record.snapshotCreatedAt.toISOString() }
      : {}),
    target: record.target,
    targetDatabaseName: record.targetDatabaseName,
    reason: record.reason,
    state: record.state,
    requestedBy: record.requestedBy,
    requestedAt: record.requestedAt.toISOString(),
    expiresAt: record.expiresAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    fingerprint: record.fingerprint,
    approvalsRequired: record.approvalsRequired,
    approvals: record.approvals.map(a => ({
      by: a.by,
      at: a.at.toISOString(),
      ...(a.comment ? { comment: a.comment } : {}),
    })),
    ...(record.rejection
      ? {
          rejection: {
            by: record.rejection.by,
            at: record.rejection.at.toISOString(),
            ...(record.rejection.reason
              ? { reason: record.rejection.reason }
              : {}),
          },
        }
      : {}),
    ...(record.cancellation
      ? {
          cancellation: {
            by: record.cancellation.by,
            at: record.cancellation.at.toISOString(),
            ...(record.cancellation.reason
              ? { reason: record.cancellation.reason }
              : {}),
          },
        }
      : {}),
    finalizeRequired: record.finalizeRequired,
    ...(record.finalizeDeadline
      ? { finalizeDeadline: record.finalizeDeadline.toISOString() }
      : {}),
    ...(record.finalization
      ? {
          finalization: {
            by: record.finalization.by,
            at: record.finalization.at.toISOString(),
            ...(record.finalization.comment
              ? { comment: record.finalization.comment }
              : {}),
          },
        }
      : {}),
    ...(record.currentStep ? { currentStep: record.currentStep } : {}),
    ...(record.error ? { error: record.error } : {}),
    ...(record.safetyCopy
      ? {
          safetyCopy: {
            databaseName: record.safetyCopy.databaseName,
            dropAfter: record.safetyCopy.dropAfter.toISOString(),
            ...(record.safetyCopy.droppedAt ? { dropped: true } : {}),
          },
        }
      : {}),
    log: log.map(entry => ({
      at: entry.at.toISOString(),
      ...(entry.step ? { step: entry.step } : {}),
      level: entry.level,
      message: entry.message,
    })),
    allowedActions,
  };
}
