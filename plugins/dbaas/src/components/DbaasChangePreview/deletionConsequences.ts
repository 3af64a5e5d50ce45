import type { DatabaseMode } from '@dbaas/plugin-dbaas-common';

/**
 * What merging the removal of a database does, by mode (docs/status-rules.md:
 * rules 10 and 12, "drops", what a status change causes).
 */
export function deletionConsequences(
  databaseName: string,
  mode: DatabaseMode,
): { title: string; points: string[] } {
  if (mode === 'protected') {
    return {
      title: `${databaseName} is protected: its data stays`,
      points: [
        'Merging the pull request only removes it from the apps repository. Deletion protection keeps the database, its data, its -read, -write and -admin roles and their secrets in the cluster: nothing is dropped, so no final snapshot is taken either.',
        'Its status becomes orphaned (its owners are notified). It keeps its catalog page and can still be restored from its snapshots, but nothing manages it any more: no scheduled snapshots, no reconciling of roles and grants.',
        'Defining it again in the apps repository (same namespace, name, mode protected; the pull request says where) brings it back under management with its data. Deleting the data for good is done by hand by a platform engineer.',
      ],
    };
  }
  return {
    title: `${databaseName} is standard: its data is deleted`,
    points: [
      'Merging the pull request deletes the database, its -read, -write and -admin roles and their secrets. Apps using it lose their connection.',
      "On self-hosted clusters the suite first takes a final snapshot, and drops nothing if that fails. The final snapshot is kept as long as the environment's other snapshots (by default 7 days in test and dev, 35 in production and staging), then pruned. The portal cannot restore a deleted database: ask the platform team within that time.",
      'On Aurora clusters ArgoCD and the chart remove it and the suite takes no snapshot of its own; only the cluster snapshots taken before still hold it, until they expire.',
      'To keep the data instead, change its mode to protected first.',
    ],
  };
}
