import Typography from '@material-ui/core/Typography';
import type {
  DatabaseRecoverySummary,
  DatabaseSummary,
  ObjectiveStatus,
} from '@dbaas/plugin-dbaas-common';
import { formatDuration } from '../recovery/formatDuration';
import { ObjectiveChip } from '../recovery/ObjectiveChip';

/** The objectives' state in one word: missed wins, then unknown. */
export function overallObjectiveStatus(
  recovery: DatabaseRecoverySummary,
): ObjectiveStatus {
  if (recovery.missed) {
    return 'missed';
  }
  return recovery.rpo === 'met' && recovery.rto === 'met' ? 'met' : 'unknown';
}

/** `RPO 3 h of 1 d 1 h (met); RTO 42 s of 4 h (met); last drill passed`. */
export function describeRecovery(recovery: DatabaseRecoverySummary): string {
  const rpo = `RPO ${
    recovery.rpoAgeSeconds !== undefined
      ? `${formatDuration(recovery.rpoAgeSeconds)} of `
      : 'target '
  }${formatDuration(recovery.rpoTargetSeconds)} (${recovery.rpo})`;
  const rto = `RTO ${
    recovery.rtoEstimateSeconds !== undefined
      ? `${formatDuration(recovery.rtoEstimateSeconds)} of `
      : 'target '
  }${formatDuration(recovery.rtoTargetSeconds)} (${recovery.rto})`;
  const drill = recovery.lastDrill
    ? `; last drill ${recovery.lastDrill.state}`
    : '';
  return `${rpo}; ${rto}${drill}`;
}

/** Which objectives are missed: `RPO`, `RTO` or `RPO, RTO`. */
function missedNames(recovery: DatabaseRecoverySummary): string {
  return [
    recovery.rpo === 'missed' ? 'RPO' : '',
    recovery.rto === 'missed' ? 'RTO' : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/**
 * The recovery objectives of a database in the inventory: met, missed
 * (naming which) or unknown, with the numbers on hover; a dash for
 * databases that have none (not ready).
 */
export function RecoveryCell({ database }: { database: DatabaseSummary }) {
  const { recovery } = database;
  if (!recovery) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        component="span"
        title="Recovery objectives apply to ready databases"
      >
        —
      </Typography>
    );
  }
  const status = overallObjectiveStatus(recovery);
  return (
    <ObjectiveChip
      status={status}
      label={status === 'missed' ? missedNames(recovery) : undefined}
      title={describeRecovery(recovery)}
    />
  );
}
