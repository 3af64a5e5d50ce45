import {
  DatabaseRecoverySummary,
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
  const ageMs = Math.max(0, now.getTime() - since.getTime());
  const over = ageMs > targets.rpoMs;
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
  if (record.recoveryPointError && over) {
    return { ...common, status: 'unknown', reason: record.recoveryPointError };
  }
  if (!over) {
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
  if (record.rtoFailure) {
    return {
      targetSeconds,
      ...measured,
      status: 'missed',
      reason: record.rtoFailure,
    };
  }
  if (record.rtoEstimateMs === undefined) {
    return {
      targetSeconds,
      status: 'unknown',
      reason:
        'no restore or drill of this database or its cluster measured yet',
    };
  }
  return {
    targetSeconds,
    ...measured,
    status: record.rtoEstimateMs > targets.rtoMs ? 'missed' : 'met',
  };
}

/** What a listing shows of both. */
export function recoverySummary(
  record: RecoveryStatusRecord | undefined,
  targets: ObjectiveTargets,
  now: Date,
): DatabaseRecoverySummary {
  const rpo = rpoObjective(record, targets, now);
  const rto = rtoObjective(record, targets);
  return {
    rpo: rpo.status,
    rto: rto.status,
    missed: rpo.status === 'missed' || rto.status === 'missed',
    rpoTargetSeconds: rpo.targetSeconds,
    ...(rpo.ageSeconds !== undefined ? { rpoAgeSeconds: rpo.ageSeconds } : {}),
    rtoTargetSeconds: rto.targetSeconds,
    ...(rto.estimateSeconds !== undefined
      ? { rtoEstimateSeconds: rto.estimateSeconds }
      : {}),
    ...(record?.lastDrillState && record.lastDrillAt
      ? {
          lastDrill: {
            state: record.lastDrillState,
            at: record.lastDrillAt.toISOString(),
          },
        }
      : {}),
  };
}
