import { DBAAS_BRANCH_PREFIX } from './types';

/**
 * What a suite branch changes.
 *
 * @public
 */
export type DatabaseChangeKind = 'create' | 'update' | 'delete';

const KINDS: readonly DatabaseChangeKind[] = ['create', 'update', 'delete'];

/**
 * The branch of a change to one database:
 * `dbaas/<create|update|delete>/<namespace>/<name>`. One branch per database
 * and kind, not per task: GitHub creates a ref atomically, so the branch is
 * the lock that lets only one of two requests for the same database at
 * once (a double click, two people) open a pull request; the commit's
 * `Dbaas-Task` trailer tells whose it is. A later request takes the branch
 * over once its pull request is merged or closed. The inventory reads the
 * database back from it with {@link parseSuiteBranch}.
 *
 * @public
 */
export function suiteBranchName(
  kind: DatabaseChangeKind,
  namespace: string,
  name: string,
): string {
  return `${DBAAS_BRANCH_PREFIX}${kind}/${namespace}/${name}`;
}

/**
 * The database and kind of change of a suite branch, or `undefined` for any
 * other branch. Reads both `dbaas/<kind>/<namespace>/<name>` and the
 * per-task form of earlier versions, `dbaas/<kind>/<namespace>/<name>/<task>`,
 * which repositories still hold.
 *
 * @public
 */
export function parseSuiteBranch(branchName: string):
  | {
      kind: DatabaseChangeKind;
      namespace: string;
      name: string;
      /** Only in branches of earlier versions, which named the task. */
      task?: string;
    }
  | undefined {
  if (!branchName.startsWith(DBAAS_BRANCH_PREFIX)) {
    return undefined;
  }
  const parts = branchName.slice(DBAAS_BRANCH_PREFIX.length).split('/');
  if ((parts.length !== 3 && parts.length !== 4) || parts.some(p => p === '')) {
    return undefined;
  }
  const [kind, namespace, name, task] = parts;
  if (!KINDS.includes(kind as DatabaseChangeKind)) {
    return undefined;
  }
  return {
    kind: kind as DatabaseChangeKind,
    namespace,
    name,
    ...(task === undefined ? {} : { task }),
  };
}
