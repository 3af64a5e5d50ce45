import {
  RESTORE_STEPS,
  RestoreRequest,
  RestoreStep,
  RestoreTarget,
  SnapshotSource,
} from '@dbaas/plugin-dbaas-common';

/** Steps only a restore from an Aurora cluster snapshot runs. */
const AURORA_ONLY_STEPS: readonly RestoreStep[] = [
  'temp-cluster-create',
  'temp-cluster-wait',
  'dump',
];

/** Steps only an in-place restore runs. */
const IN_PLACE_ONLY_STEPS: readonly RestoreStep[] = [
  'swap',
  'drop-safety-copy',
];

/** What each step does, in the words of someone waiting for it. */
export const STEP_DESCRIPTIONS: Record<RestoreStep, string> = {
  preflight:
    'Checks the snapshot, the target name, the tools and that no other restore is active',
  'temp-cluster-create':
    'Creates a temporary Aurora cluster from the cluster snapshot',
  'temp-cluster-wait': 'Waits for the temporary cluster to become available',
  dump: 'Dumps the database from the temporary cluster',
  restore: 'Restores the data into a new, separate database',
  verify: 'Compares the restored database with the snapshot',
  preview:
    'Compares the restored copy with the live database (rows per table, tables and columns added or dropped since), then waits for the swap to be finalized',
  swap: 'Short maintenance step: disconnects clients and swaps the restored database in; the previous data becomes the safety copy',
  grants: 'Gives the read, write and admin roles their privileges',
  cleanup: 'Removes temporary databases and clusters',
  'drop-safety-copy':
    'Drops the safety copy of the previous data once its keep time is over',
};

/**
 * The steps a restore runs, in order. Local (pg_dump) snapshots skip the
 * temporary cluster and the dump; a new-database target skips the swap and
 * the safety copy; only an in-place restore that waits to be finalized
 * runs the preview. With the source unknown, every step that may run is
 * listed.
 */
export function stepsFor(
  target: RestoreTarget,
  source?: SnapshotSource,
  finalizeRequired = false,
): RestoreStep[] {
  return RESTORE_STEPS.filter(
    step =>
      !(target === 'new-database' && IN_PLACE_ONLY_STEPS.includes(step)) &&
      !(source === 'pg_dump' && AURORA_ONLY_STEPS.includes(step)) &&
      !(step === 'preview' && !(target === 'in-place' && finalizeRequired)),
  );
}

/** Whether a step is only run for Aurora snapshots. */
export function isAuroraOnlyStep(step: RestoreStep): boolean {
  return AURORA_ONLY_STEPS.includes(step);
}

/**
 * Where the request's snapshot came from, as far as its progress tells: an
 * Aurora-only step in the log means Aurora; reaching the restore without
 * one means a local dump. Undefined before the workflow says either.
 */
export function inferSnapshotSource(
  request: RestoreRequest,
): SnapshotSource | undefined {
  const seen = new Set<RestoreStep>(
    request.log.flatMap(entry => (entry.step ? [entry.step] : [])),
  );
  if (request.currentStep) {
    seen.add(request.currentStep);
  }
  if ([...seen].some(isAuroraOnlyStep)) {
    return 'aurora-cluster-snapshot';
  }
  const afterDump = RESTORE_STEPS.slice(RESTORE_STEPS.indexOf('restore'));
  if ([...seen].some(step => afterDump.includes(step))) {
    return 'pg_dump';
  }
  return undefined;
}

/** How far a step got. */
export type StepProgress =
  | 'done'
  | 'active'
  | 'awaiting'
  | 'failed'
  | 'pending'
  | 'skipped'
  | 'scheduled';

export interface StepState {
  step: RestoreStep;
  progress: StepProgress;
}

/**
 * Each step of the request with how far it got, from its state, current
 * step and log.
 */
export function stepStates(
  request: RestoreRequest,
  source?: SnapshotSource,
): StepState[] {
  const steps = stepsFor(
    request.target,
    source ?? inferSnapshotSource(request),
    request.finalizeRequired,
  );
  const logged = new Set(request.log.map(entry => entry.step));
  const current = request.currentStep ? steps.indexOf(request.currentStep) : -1;
  // Running again after awaiting its finalize without being finalized.
  const discarding =
    !!request.cancellation ||
    (!!request.finalizeDeadline && !request.finalization);

  return steps.map((step, index) => {
    switch (request.state) {
      case 'running':
        if (current < 0) {
          return { step, progress: index === 0 ? 'active' : 'pending' };
        }
        if (index < current) {
          // Cancelled or expired before the swap, the cleanup runs: the
          // steps between the preview and it never did.
          return {
            step,
            progress: discarding && !logged.has(step) ? 'skipped' : 'done',
          };
        }
        return { step, progress: index === current ? 'active' : 'pending' };
      case 'awaiting-finalize':
        if (index < current) {
          return { step, progress: 'done' };
        }
        return {
          step,
          progress: index === current ? 'awaiting' : 'pending',
        };
      case 'succeeded':
        // The safety copy outlives the run: it is dropped days later.
        if (step === 'drop-safety-copy' && !request.safetyCopy?.dropped) {
          return { step, progress: 'scheduled' };
        }
        return { step, progress: 'done' };
      case 'failed':
        if (current < 0) {
          return { step, progress: logged.has(step) ? 'done' : 'skipped' };
        }
        if (index < current) {
          return { step, progress: 'done' };
        }
        if (index === current) {
          return { step, progress: 'failed' };
        }
        // Cleanup runs after a failure; the steps between did not.
        return { step, progress: logged.has(step) ? 'done' : 'skipped' };
      case 'pending-approval':
      case 'approved':
        return { step, progress: 'pending' };
      default:
        // Rejected, cancelled or expired before running.
        return { step, progress: logged.has(step) ? 'done' : 'skipped' };
    }
  });
}
