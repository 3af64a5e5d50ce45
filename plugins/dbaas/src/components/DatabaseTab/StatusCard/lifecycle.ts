import type { DatabaseStatus } from '@dbaas/plugin-dbaas-common';

/** How far a step of the lifecycle is. */
export type LifecycleStepState = 'done' | 'current' | 'pending' | 'failed';

export interface LifecycleStep {
  label: string;
  state: LifecycleStepState;
  /** A current step that is also an end reached (ready, deleted): ticked. */
  reached?: boolean;
  /** A word under the label, for side states. */
  caption?: string;
}

/** The path of a database that goes well: pull request to ready. */
const MAIN_TRACK = ['requested', 'merged', 'provisioning', 'ready'] as const;

function mainTrack(
  current: (typeof MAIN_TRACK)[number] | 'past',
): LifecycleStep[] {
  const index =
    current === 'past' ? MAIN_TRACK.length : MAIN_TRACK.indexOf(current);
  return MAIN_TRACK.map((label, i) => {
    let state: LifecycleStepState = 'pending';
    if (i < index) {
      state = 'done';
    } else if (i === index) {
      state = 'current';
    }
    return label === 'ready' && state === 'current'
      ? { label, state, reached: true }
      : { label, state };
  });
}

/**
 * The lifecycle of a database as steps: requested -> merged -> provisioning
 * -> ready, then its removal. Side states sit on the step where they
 * happened: `failed` on provisioning, `abandoned` on merged (the pull
 * request was closed instead). An `unmanaged` database has no lifecycle the
 * suite knows of: no steps.
 */
export function lifecycleSteps(status: DatabaseStatus): LifecycleStep[] {
  switch (status) {
    case 'requested':
    case 'merged':
    case 'provisioning':
    case 'ready':
      return mainTrack(status);
    case 'failed':
      return [
        { label: 'requested', state: 'done' },
        { label: 'merged', state: 'done' },
        { label: 'provisioning', state: 'failed', caption: 'failed' },
        { label: 'ready', state: 'pending' },
      ];
    case 'abandoned':
      return [
        { label: 'requested', state: 'done' },
        { label: 'merged', state: 'failed', caption: 'abandoned' },
        { label: 'provisioning', state: 'pending' },
        { label: 'ready', state: 'pending' },
      ];
    case 'deletion-requested':
      return [
        ...mainTrack('past'),
        { label: 'deletion-requested', state: 'current' },
        { label: 'deleted', state: 'pending' },
      ];
    case 'deleted':
      return [
        ...mainTrack('past'),
        { label: 'deletion-requested', state: 'done' },
        { label: 'deleted', state: 'current', reached: true },
      ];
    case 'orphaned':
      return [
        ...mainTrack('past'),
        { label: 'removed from the repository', state: 'done' },
        {
          label: 'orphaned',
          state: 'current',
          caption: 'still in the cluster',
        },
      ];
    case 'restored':
      return [
        {
          label: 'restored',
          state: 'current',
          caption: 'copy, not in the repository',
        },
        { label: 'kept', state: 'pending' },
        { label: 'ready', state: 'pending' },
      ];
    case 'unmanaged':
    default:
      return [];
  }
}
