import { DBAAS_BRANCH_PREFIX } from '@dbaas/plugin-dbaas-node';

export type DatabaseChangeKind = 'create' | 'update' | 'delete';

/**
 * The branch of one task's change. It is the same for every retry of the
 * task (task recovery, a retried step), so a retry finds its branch and pull
 * request again; a second task for the same database is refused earlier as
 * a duplicate.
 */
export function branchNameFor(
  kind: DatabaseChangeKind,
  namespace: string,
  name: string,
  taskId: string,
): string {
  const task = taskId.replace(/[^a-zA-Z0-9]/g, '').slice(0, 12) || 'task';
  return `${DBAAS_BRANCH_PREFIX}${kind}/${namespace}/${name}/${task}`;
}
