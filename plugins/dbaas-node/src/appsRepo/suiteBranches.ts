import { DBAAS_BRANCH_PREFIX } from './types';

/**
 * What a suite branch changes.
 *
 * @public
 */
export type DatabaseChangeKind = 'create' | 'update' | 'delete';

const KINDS: readonly DatabaseChangeKind[] = ['create', 'update', 'delete'];

/**
 * The branch of one task's change:
 * `dbaas/<create|update|delete>/<namespace>/<name>/<task>`. It is the same
 * for every retry of the task (task recovery, a retried step), so a retry
 * finds its branch and pull request again; a second task for the same
 * database is refused earlier as a duplicate. The inventory reads the
 * database back from it with {@link parseSuiteBranch}.
 *
 * @public
 */
export function suiteBranchName(
  kind: DatabaseChangeKind,
  namespace: string,
  name: string,
  taskId: string,
): string {
  const task = taskId.replace(/[^a-zA-Z0-9]/g, '').slice(0, 12) || 'task';
  return `${DBAAS_BRANCH_PREFIX}${kind}/${namespace}/${name}/${task}`;
}

/**
 * The database and kind of change of a suite branch, or `undefined` for any
 * other branch.
 *
 * @public
 */
export function parseSuiteBranch(branchName: string):
  | {
      kind: DatabaseChangeKind;
      namespace: string;
      name: string;
      task: string;
    }
  | undefined {
  if (!branchName.startsWith(DBAAS_BRANCH_PREFIX)) {
    return undefined;
  }
  const parts = branchName.slice(DBAAS_BRANCH_PREFIX.length).split('/');
  if (parts.length !== 4 || parts.some(p => p === '')) {
    return undefined;
  }
  const [kind, namespace, name, task] = parts;
  if (!KINDS.includes(kind as DatabaseChangeKind)) {
    return undefined;
  }
  return { kind: kind as DatabaseChangeKind, namespace, name, task };
}
