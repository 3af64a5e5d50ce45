import {
  DatabaseRecoverySummary,
  ObjectiveStatus,
  RecoveryPointObjective,
  RecoveryTimeObjective,
} from '@dbaas/plugin-dbaas-common';
import { ObjectiveTargets } from './ObjectiveSettings';
import { RecoveryStatusRecord } from './RecoveryStatusStore';

const seconds = (ms: number) => Math.round(ms / 1000);

/**
 * The RPO of a database at `now`, from what the objectives task last
 * stored. The age is computed now, so a miss shows as soon as it happens,
 * not only at the next evaluation. When the last read of the recovery
 * point failed, the stored point is older than or as old as the real one:
 * `met` still holds, `missed` is only possible and shows as `unknown`.
 */
export function rpoObjective(
  record: RecoveryStatusRecord | undefined,
  targets: ObjectiveTargets,
  now: Date,
): RecoveryPointObjective {
  const targetSeconds = seconds(targets.rpoMs);
  if (!record) {
    return {
      targetSeconds,
      status: 'unknown',
      reason: 'not evaluated yet',
    };
  }
  const since = record.recoveryPointAt ?? record.exposedSince;
  const ageMs = rpoAgeMs(record, now);
  const status = rpoStatus(record, targets, ageMs);
  const common = {
    targetSeconds,
    ageSeconds: seconds(ageMs),
    evaluatedAt: record.evaluatedAt.toISOString(),
    ...(record.recoveryPointAt
      ? {
          recoveryPointAt: record.recoveryPointAt.toISOString(),
          source: record.recoveryPointSource,
          ...(record.recoveryPointId
            ? { snapshotId: record.recoveryPointId }
            : {}),
        }
      : {}),
  };
  if (status === 'unknown') {
    return { ...common, status, reason: record.recoveryPointError };
  }
  if (status === 'met') {
    return {
      ...common,
      status: 'met',
      ...(record.recoveryPointAt
        ? {}
        : { reason: 'no snapshot yet; the database is younger than the RPO' }),
    };
  }
  return {
    ...common,
    status: 'missed',
    missedSince: (
      record.rpoMissedSince ?? new Date(since.getTime() + targets.rpoMs)
    ).toISOString(),
    ...(record.recoveryPointAt ? {} : { reason: 'no snapshot yet' }),
  };
}

/**
 * The RTO of a database: the measured estimate against the objective. A
 * drill that failed (with no restore or drill succeeding since) misses it:
 * recovery is not proven to work.
 */
export function rtoObjective(
  record: RecoveryStatusRecord | undefined,
  targets: ObjectiveTargets,
): RecoveryTimeObjective {
  const targetSeconds = seconds(targets.rtoMs);
  if (!record) {
    return { targetSeconds, status: 'unknown', reason: 'not evaluated yet' };
  }
  const measured =
    record.rtoEstimateMs !== undefined
      ? {
          estimateSeconds: seconds(record.rtoEstimateMs),
          ...(record.rtoBasis ? { basis: record.rtoBasis } : {}),
        }
      : {};
  const status = rtoStatus(record, targets);
  if (record.rtoFailure) {
    return { targetSeconds, ...measured, status, reason: record.rtoFailure };
  }
  if (status === 'unknown') {
    return {
      targetSeconds,
      status,
      reason:
        'no restore or drill of this database or its cluster measured yet',
    };
  }
  return { targetSeconds, ...measured, status };
}

/**
 * What a listing shows of both: the same statuses as {@link rpoObjective}
 * and {@link rtoObjective} (it is computed for thousands of databases per
 * `GET /databases`, so without their texts and timestamps).
 */
export function recoverySummary(
  record: RecoveryStatusRecord | undefined,
  targets: ObjectiveTargets,
  now: Date,
): DatabaseRecoverySummary {
  if (!record) {
    return { rpo: 'unknown', rto: 'unknown' };
  }
  const ageMs = rpoAgeMs(record, now);
  const summary: DatabaseRecoverySummary = {
    rpo: rpoStatus(record, targets, ageMs),
    rto: rtoStatus(record, targets),
    rpoAgeSeconds: seconds(ageMs),
  };
  if (record.rtoEstimateMs !== undefined) {
    summary.rtoEstimateSeconds = seconds(record.rtoEstimateMs);
  }
  if (
    record.lastDrillState === 'passed' ||
    record.lastDrillState === 'failed'
  ) {
    summary.lastDrill = record.lastDrillState;
  }
  return summary;
}

/** From the recovery point (or, without one, the data's start) to now. */
function rpoAgeMs(record: RecoveryStatusRecord, now: Date): number {
  const since = record.recoveryPointAt ?? record.exposedSince;
  return Math.max(0, now.getTime() - since.getTime());
}

function rpoStatus(
  record: RecoveryStatusRecord,
  targets: ObjectiveTargets,
  ageMs: number,
): ObjectiveStatus {
  if (ageMs <= targets.rpoMs) {
    return 'met';
  }
  return record.recoveryPointError ? 'unknown' : 'missed';
}

function rtoStatus(
  record: RecoveryStatusRecord,
  targets: ObjectiveTargets,
): ObjectiveStatus {
  if (record.rtoFailure) {
    return 'missed';
  }
  if (record.rtoEstimateMs === undefined) {
    return 'unknown';
  }
  return record.rtoEstimateMs > targets.rtoMs ? 'missed' : 'met';
}
