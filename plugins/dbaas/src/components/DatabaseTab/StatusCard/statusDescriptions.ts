import type { DatabaseMode, DatabaseStatus } from '@dbaas/plugin-dbaas-common';

/** What each status means for the people waiting on the database. */
export const STATUS_DESCRIPTIONS: Record<DatabaseStatus, string> = {
  requested:
    'A pull request to the apps repository asks for this database; it is created once the pull request is merged.',
  merged:
    'The pull request is merged; the database is created in the cluster shortly (usually within 1-3 minutes).',
  provisioning:
    'The database, its read, write and admin roles and their secrets are being created in the cluster.',
  ready:
    'The database, its roles and their secrets exist: apps and people can connect.',
  failed:
    'The cluster did not reach the state the apps repository asks for (creating or dropping the database failed); the last error and the history say why.',
  abandoned:
    'The pull request asking for this database was closed without merging; nothing was created.',
  'deletion-requested':
    'A pull request removing this database from the apps repository is open.',
  deleted:
    'The database is gone from the apps repository and from the cluster.',
  orphaned:
    'This protected database was removed from the apps repository but, thanks to deletion protection, is still in the cluster with its data. It must be brought back under management (ask the platform team).',
  unmanaged:
    'This database is in the cluster but was never defined in the apps repository, so the suite does not manage it.',
  restored:
    'A copy a restore created next to the original. It is not in the apps repository: it is dropped with its roles and secrets when it expires, unless someone keeps it (a pull request then adds it to the apps repository).',
};

/** What the mode means when the database is removed from the repository. */
export const MODE_DESCRIPTIONS: Record<DatabaseMode, string> = {
  protected:
    'Deletion protection: removing it from the apps repository keeps the database and its data in the cluster (it becomes orphaned).',
  standard:
    'Removing it from the apps repository drops the database, after a final snapshot.',
};

/** How a status is drawn: fine, on its way, needs attention, broken, over. */
export type StatusTone = 'ok' | 'pending' | 'warning' | 'error' | 'aborted';

export const STATUS_TONES: Record<DatabaseStatus, StatusTone> = {
  requested: 'pending',
  merged: 'pending',
  provisioning: 'pending',
  ready: 'ok',
  failed: 'error',
  abandoned: 'aborted',
  'deletion-requested': 'warning',
  deleted: 'aborted',
  orphaned: 'warning',
  unmanaged: 'warning',
  restored: 'pending',
};
