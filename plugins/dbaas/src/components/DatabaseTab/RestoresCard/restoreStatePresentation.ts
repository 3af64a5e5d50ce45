import type { RestoreState } from '@dbaas/plugin-dbaas-common';

export type RestoreTone = 'waiting' | 'progress' | 'ok' | 'error' | 'inactive';

/** What each state means to someone waiting for their data. */
export const RESTORE_STATE_PRESENTATION: Record<
  RestoreState,
  { tone: RestoreTone; description: string }
> = {
  'pending-approval': {
    tone: 'waiting',
    description: 'Waiting for approval; nothing has been touched yet',
  },
  approved: {
    tone: 'progress',
    description: 'Approved; the restore starts shortly',
  },
  running: {
    tone: 'progress',
    description: 'The restore is running',
  },
  succeeded: {
    tone: 'ok',
    description: 'The restore finished and was verified',
  },
  failed: {
    tone: 'error',
    description:
      'The restore failed and cleaned up after itself; the original database is untouched',
  },
  rejected: {
    tone: 'inactive',
    description: 'Rejected by an approver; nothing was touched',
  },
  cancelled: {
    tone: 'inactive',
    description: 'Cancelled before it ran; nothing was touched',
  },
  expired: {
    tone: 'inactive',
    description: 'Not approved in time; nothing was touched',
  },
};
