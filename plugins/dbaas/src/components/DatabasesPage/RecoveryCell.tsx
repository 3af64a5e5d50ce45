import Typography from '@material-ui/core/Typography';
import type {
  DatabaseRecoverySummary,
  DatabaseSummary,
  ObjectiveStatus,
} from '@dbaas/plugin-dbaas-common';
import { formatDuration } from '@dbaas/plugin-dbaas-common';
import { ObjectiveChip } from '../recovery/ObjectiveChip';

/** The objectives' state in one word: missed wins, then unknown. */
export function overallObjectiveStatus(
  recovery: DatabaseRecoverySummary,
): ObjectiveStatus {
  if (recovery.rpo === 'missed' || recovery.rto === 'missed') {
    return 'missed';
  }
  return recovery.rpo === 'met' && recovery.rto === 'met' ? 'met' : 'unknown';
}

/**
 * `RPO met: newest recovery point 20 min old; RTO met: restores in 42 s;
 * last drill passed` (the targets are on the Database tab).
 */
export function describeRecovery(recovery: DatabaseRecoverySummary): string {
  const rpo = `RPO ${recovery.rpo}${
    recovery.rpoAgeSeconds !== undefined
      ? `: newest recovery point ${formatDuration(recovery.rpoAgeSeconds)} old`
      : ''
  }`;
  const rto = `RTO ${recovery.rto}${
    recovery.rtoEstimateSeconds !== undefined
      ? `: restores in ${formatDuration(recovery.rtoEstimateSeconds)}`
      : ''
  }`;
  const drill = recovery.lastDrill ? `; last drill ${recovery.lastDrill}` : '';
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
