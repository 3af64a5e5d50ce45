import {
  DatabaseRef,
  validateDatabaseRequest,
} from '@dbaas/plugin-dbaas-common';

const pad = (value: number) => value.toString().padStart(2, '0');

/**
 * `<db>-restored-<yyyymmddhhmm>`, the minute in UTC: the name a restore to a
 * new database gets unless the requester chooses one.
 */
export function defaultRestoreTargetName(name: string, at: Date): string {
  const stamp = `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(
    at.getUTCDate(),
  )}${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}`;
  return `${name}-restored-${stamp}`;
}

/**
 * Why `targetName` cannot be the new database in `ref`'s namespace: the
 * naming rules (including the 63-byte limit of `<namespace>-<name>-admin`)
 * and that it is not the database restored from. Empty when it can.
 */
export function targetNameProblems(
  ref: DatabaseRef,
  targetName: string,
): string[] {
  if (targetName === ref.name) {
    return [
      `“${targetName}” is the database restored from; choose “In place” to restore into it`,
    ];
  }
  return validateDatabaseRequest({
    namespace: ref.namespace,
    name: targetName,
  }).map(problem => problem.message);
}
