import { createHash } from 'node:crypto';
import { RestoreTarget } from '@dbaas/plugin-dbaas-common';

/** What an approval is bound to: changing any of it voids approvals. */
export interface RestoreIdentity {
  databaseName: string;
  snapshotId: string;
  target: RestoreTarget;
  targetDatabaseName: string;
}

/** sha256 (hex) of the request's identity; what approvals are bound to. */
export function restoreFingerprint(identity: RestoreIdentity): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        identity.databaseName,
        identity.snapshotId,
        identity.target,
        identity.targetDatabaseName,
      ]),
    )
    .digest('hex');
}

/**
 * Replacing a protected database's data is the one restore that cannot be
 * undone by simply dropping a database: it takes two people.
 */
export function approvalsRequiredFor(
  mode: 'standard' | 'protected',
  target: RestoreTarget,
): number {
  return mode === 'protected' && target === 'in-place' ? 2 : 1;
}

/** `<name>-restored-<yyyymmddhhmm>` in UTC. */
export function defaultTargetName(name: string, at: Date): string {
  const stamp = at.toISOString().slice(0, 16).replace(/[-T:]/g, '');
  return `${name}-restored-${stamp}`;
}
