import { describeValue } from './describeValue';
import type { DatabaseRef, NamingProblem } from './naming';

/**
 * True when both refer to the same database, which is a duplicate rather
 * than a collision.
 *
 * @public
 */
export function isSameDatabase(a: DatabaseRef, b: DatabaseRef): boolean {
  return a.namespace === b.namespace && a.name === b.name;
}

function joinDatabaseName(ref: DatabaseRef): string {
  return `${ref.namespace}-${ref.name}`;
}

/**
 * Finds another database whose `<namespace>-<name>` equals the candidate's,
 * such as `a`/`b-c` for `a-b`/`c`. Every derived name (roles, secrets,
 * catalog entity) would then be shared, so only one of them may exist.
 *
 * @public
 */
export function findCollision<T extends DatabaseRef>(
  candidate: DatabaseRef,
  existing: Iterable<T>,
): T | undefined {
  const databaseName = joinDatabaseName(candidate);
  for (const other of existing) {
    if (
      !isSameDatabase(candidate, other) &&
      joinDatabaseName(other) === databaseName
    ) {
      return other;
    }
  }
  return undefined;
}

function describeRef(ref: DatabaseRef): string {
  return `${describeValue(ref.namespace)}/${describeValue(ref.name)}`;
}

/**
 * The problem reported when `candidate` collides with `other`.
 *
 * @public
 */
export function collisionProblem(
  candidate: DatabaseRef,
  other: DatabaseRef,
): NamingProblem {
  return {
    field: 'name',
    rule: 'collision',
    message: `${describeRef(candidate)} would create database ${describeValue(
      joinDatabaseName(candidate),
    )}, which ${describeRef(other)} already uses`,
  };
}

/**
 * The problem reported when the very same database is already defined in the
 * apps repository or requested by an open pull request; `where` says where,
 * e.g. "payments/ledger/values.yaml on main" or "pull request #12 (<url>)".
 *
 * @public
 */
export function existsProblem(ref: DatabaseRef, where: string): NamingProblem {
  return {
    field: 'name',
    rule: 'exists',
    message: `${describeRef(ref)} already exists: ${describeValue(where)}`,
  };
}
