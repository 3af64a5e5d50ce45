import { RecoveryTimeBasis } from '@dbaas/plugin-dbaas-common';

/** A restore that ran to its end: a drill that passed or a real restore. */
export interface RecoveryRun {
  kind: 'drill' | 'restore';
  namespace: string;
  name: string;
  cluster: string;
  finishedAt: Date;
  /** From the start of the restore to the restored data verified (or swapped in). */
  durationMs: number;
  /** Size of the dump it restored, when known (logical snapshots). */
  sizeBytes?: number;
}

export interface RecoveryTimeEstimate {
  estimateMs: number;
  basis: RecoveryTimeBasis;
}

/** Own runs an estimate is taken from, newest first. */
export const OWN_RUNS = 10;
/** Runs of other databases of the cluster, without own ones. */
export const CLUSTER_RUNS = 20;
const PERCENTILE = 0.9;

/** Nearest-rank percentile of a non-empty list. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
}

/**
 * How long restoring a database takes now, from restores that ran.
 *
 * The runs are the database's own (newest {@link OWN_RUNS}), or, while it
 * has none, those of other databases of its cluster (newest
 * {@link CLUSTER_RUNS}). A restore reads and rebuilds its dump, so its
 * time grows with the dump's size: each run is scaled up linearly to the
 * database's newest snapshot where that is larger than what the run
 * restored, and never scaled down (the fixed part of a restore — tool
 * start, connection, verification — does not shrink with the data). The
 * estimate is the 90th percentile (nearest rank) of the scaled runs: with a
 * few runs, about the slowest.
 */
export function estimateRecoveryTime(options: {
  own: RecoveryRun[];
  cluster: RecoveryRun[];
  /** The newest snapshot's size, when known. */
  currentSizeBytes?: number;
}): RecoveryTimeEstimate | undefined {
  const { currentSizeBytes } = options;
  const own = newest(options.own, OWN_RUNS);
  const scope = own.length > 0 ? 'database' : 'cluster';
  const runs = own.length > 0 ? own : newest(options.cluster, CLUSTER_RUNS);
  if (runs.length === 0) {
    return undefined;
  }
  let scaled = 0;
  const durations = runs.map(run => {
    if (
      currentSizeBytes !== undefined &&
      run.sizeBytes !== undefined &&
      run.sizeBytes > 0 &&
      currentSizeBytes > run.sizeBytes
    ) {
      scaled += 1;
      return Math.round(run.durationMs * (currentSizeBytes / run.sizeBytes));
    }
    return run.durationMs;
  });
  const drills = runs.filter(r => r.kind === 'drill').length;
  const restores = runs.length - drills;
  const what = [
    drills > 0 ? `${drills} drill${drills === 1 ? '' : 's'}` : '',
    restores > 0 ? `${restores} restore${restores === 1 ? '' : 's'}` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  const whose =
    scope === 'database'
      ? 'of this database'
      : 'of other databases on its cluster';
  const scaling =
    scaled > 0 && currentSizeBytes !== undefined
      ? `, ${scaled} scaled up to the newest snapshot's ${gib(
          currentSizeBytes,
        )}`
      : '';
  return {
    estimateMs: percentile(durations, PERCENTILE),
    basis: {
      scope,
      runs: runs.length,
      newestRunAt: runs[0].finishedAt.toISOString(),
      method: `90th percentile of ${what} ${whose}${scaling}`,
    },
  };
}

function newest(runs: RecoveryRun[], limit: number): RecoveryRun[] {
  return [...runs]
    .sort((a, b) => b.finishedAt.getTime() - a.finishedAt.getTime())
    .slice(0, limit);
}
