import type { RestoredCopyOrigin } from '@dbaas/plugin-dbaas-common';
import { formatAbsoluteTime } from './formatTime';

/** `restored from payments/ledger at 26 Nov 2026, 02:00`. */
export function restoredFromText(origin: RestoredCopyOrigin): string {
  return `restored from ${origin.source.namespace}/${
    origin.source.name
  } at ${formatAbsoluteTime(origin.snapshotCreatedAt)}`;
}

/**
 * What the mode means for a restored copy, which is not (yet) in the apps
 * repository: removing it from there is not how it goes away.
 */
export function restoredCopyModeText(origin: RestoredCopyOrigin): string {
  switch (origin.state) {
    case 'kept':
      return 'A restored copy being kept: it no longer expires, and once its pull request is merged it is an ordinary standard database (removing it from the apps repository then drops it, after a final snapshot).';
    case 'dropping':
    case 'dropped':
      return 'A restored copy being dropped with its roles and secrets.';
    case 'expiring':
    default:
      return origin.expiresAt
        ? `A restored copy, not in the apps repository: it is dropped with its roles and secrets at ${formatAbsoluteTime(
            origin.expiresAt,
          )} unless someone keeps it (Keep on its restore) or deletes it sooner.`
        : 'A restored copy, not in the apps repository: it stays until someone keeps it (Keep on its restore) or deletes it.';
  }
}
