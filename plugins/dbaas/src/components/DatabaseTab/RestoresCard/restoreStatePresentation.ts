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
  'awaiting-finalize': {
    tone: 'waiting',
    description:
      'Restored and verified in a separate copy; the live database is untouched until someone finalizes the swap',
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
    description: 'Cancelled before the swap; the live database was not touched',
  },
  expired: {
    tone: 'inactive',
    description:
      'Not approved, or not finalized, in time; the live database was not touched',
  },
};
