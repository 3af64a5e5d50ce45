import { DatabaseMode } from '@dbaas/plugin-dbaas-common';
import { AppsRepoChange, GitopsSettings } from '@dbaas/plugin-dbaas-node';

function union(a: string[] | undefined, b: string[]): string[] | undefined {
  const all = [...new Set([...(a ?? []), ...b])];
  return all.length > 0 ? all : undefined;
}

/**
 * Adds the configured labels and reviewers for protected databases (e.g.
 * the platform team) to those the request asked for.
 */
export function withDefaultReviewers(
  change: AppsRepoChange,
  mode: DatabaseMode,
  settings: Pick<GitopsSettings, 'protectedDatabases'>,
): AppsRepoChange {
  if (mode !== 'protected') {
    return change;
  }
  const extra = settings.protectedDatabases;
  return {
    ...change,
    labels: union(change.labels, extra.labels),
    reviewers: union(change.reviewers, extra.reviewers),
    teamReviewers: union(change.teamReviewers, extra.teamReviewers),
  };
}
