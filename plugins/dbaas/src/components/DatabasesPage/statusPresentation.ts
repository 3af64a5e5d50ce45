import type { DatabaseStatus } from '@dbaas/plugin-dbaas-common';

/** How a status looks: its colour and icon follow its tone. */
export type StatusTone =
  | 'ok'
  | 'progress'
  | 'error'
  | 'warning'
  | 'inactive'
  | 'unknown';

export interface StatusPresentation {
  label: string;
  /** What the status means, for a tooltip. */
  description: string;
  tone: StatusTone;
}

export const STATUS_PRESENTATION: Record<DatabaseStatus, StatusPresentation> = {
  requested: {
    label: 'Requested',
    description: 'The pull request asking for it is open',
    tone: 'progress',
  },
  merged: {
    label: 'Merged',
    description: 'The pull request is merged; provisioning has not started',
    tone: 'progress',
  },
  provisioning: {
    label: 'Provisioning',
    description: 'Being created in the cluster',
    tone: 'progress',
  },
  ready: {
    label: 'Ready',
    description: 'The database, its roles and its secrets exist',
    tone: 'ok',
  },
  failed: {
    label: 'Failed',
    description: 'Provisioning failed',
    tone: 'error',
  },
  abandoned: {
    label: 'Abandoned',
    description: 'The pull request was closed without merging',
    tone: 'inactive',
  },
  'deletion-requested': {
    label: 'Deletion requested',
    description: 'A pull request removing it is open',
    tone: 'progress',
  },
  deleted: {
    label: 'Deleted',
    description: 'Gone from the apps repository and the cluster',
    tone: 'inactive',
  },
  orphaned: {
    label: 'Orphaned',
    description:
      'Protected, removed from the apps repository, still in the cluster',
    tone: 'warning',
  },
  unmanaged: {
    label: 'Unmanaged',
    description: 'In the cluster, never defined in the apps repository',
    tone: 'warning',
  },
  restored: {
    label: 'Restored copy',
    description:
      'Created by a restore; dropped when it expires unless kept (a pull request then adds it to the apps repository)',
    tone: 'progress',
  },
};

/** The label of a status, or the raw value for one this version does not know. */
export function statusLabel(status: string): string {
  return STATUS_PRESENTATION[status as DatabaseStatus]?.label ?? status;
}
