import { InputError } from '@backstage/errors';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { DerivedDatabaseNames } from '@dbaas/plugin-dbaas-common';
import { AppsRepoChange, AppsRepository } from '@dbaas/plugin-dbaas-node';
import { JsonObject } from '@backstage/types';

/** The outputs every dbaas action gives (DESIGN "Scaffolder actions"). */
export interface DatabaseChangeOutput {
  pullRequestUrl: string;
  pullRequestNumber: number;
  branchName: string;
  databaseName: string;
  entityRef: string;
  /** Only in a dry run: the unified diff the pull request would propose. */
  diff?: string;
}

/**
 * Opens the pull request (or, in a dry run, only computes its diff) and sets
 * the action's outputs. The remote side effect runs inside a checkpoint, so
 * a recovered task does not open a second pull request.
 */
export async function proposeDatabaseChange(
  ctx: ActionContext<any, any>,
  appsRepo: AppsRepository,
  change: AppsRepoChange,
  names: DerivedDatabaseNames,
  refreshInventory?: (appsRepo: AppsRepository) => Promise<void>,
  databasePageUrl?: (names: DerivedDatabaseNames) => string,
): Promise<void> {
  const common = {
    branchName: change.branchName,
    databaseName: names.databaseName,
    entityRef: names.entityRef,
  };
  if (ctx.isDryRun) {
    const preview = await appsRepo.previewChange(change);
    if (preview.edits.length === 0) {
      throw new InputError('The change would not modify the apps repository');
    }
    ctx.logger.info(
      `Dry run: would open a pull request "${change.title}" on branch ${change.branchName}:\n${preview.diff}`,
    );
    setOutputs(ctx, {
      ...common,
      pullRequestUrl: '',
      pullRequestNumber: 0,
      diff: preview.diff,
    });
    return;
  }

  // The branch is per database; the task id in its commits tells a retry
  // of this task from another request for the same database.
  const proposed = await ctx.checkpoint({
    key: `dbaas.propose.${change.branchName}`,
    fn: async () =>
      ({
        ...(await appsRepo.proposeChange({ ...change, taskId: ctx.task.id })),
      } as unknown as JsonObject),
  });
  const url = browsableUrl(String(proposed.url), names, databasePageUrl);
  ctx.logger.info(
    proposed.merged
      ? `Merged ${change.branchName} into ${appsRepo.baseBranch}: ${url}`
      : `Opened pull request #${proposed.number}: ${url}`,
  );
  setOutputs(ctx, {
    ...common,
    pullRequestUrl: url,
    pullRequestNumber: Number(proposed.number),
  });
  if (refreshInventory) {
    await refreshInventory(appsRepo).catch(error =>
      ctx.logger.warn(
        `The dbaas inventory will show the change at its next sync (refresh failed: ${error})`,
      ),
    );
  }
}

/**
 * The change's URL as a browser opens it: a local apps repository's
 * `file://…#<commit>` becomes the database's portal page, which lists the
 * change (a path within the portal when `app.baseUrl` is unknown); never a
 * `file://` URL in the task's output.
 */
export function browsableUrl(
  url: string,
  names: DerivedDatabaseNames,
  databasePageUrl?: (names: DerivedDatabaseNames) => string,
): string {
  if (!url.startsWith('file:')) {
    return url;
  }
  const commit = url.includes('#') ? url.slice(url.indexOf('#') + 1) : '';
  const page = databasePageUrl
    ? databasePageUrl(names)
    : `/dbaas/databases/${encodeURIComponent(
        names.namespace,
      )}/${encodeURIComponent(names.name)}`;
  return commit ? `${page}?change=${encodeURIComponent(commit)}` : page;
}

function setOutputs(
  ctx: ActionContext<any, any>,
  output: DatabaseChangeOutput,
) {
  for (const [key, value] of Object.entries(output)) {
    if (value !== undefined) {
      ctx.output(key, value);
    }
  }
}
