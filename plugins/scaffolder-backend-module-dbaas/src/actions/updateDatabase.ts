import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { DATABASE_MODES } from '@dbaas/plugin-dbaas-common';
import { updateDatabaseEdit } from '@dbaas/plugin-dbaas-node';
import { examples } from './updateDatabase.examples';
import { DbaasActionEnvironment } from './shared/DbaasActionEnvironment';
import { outputSchema } from './shared/outputSchema';
import { prepareExistingDatabaseChange } from './shared/prepareExistingDatabaseChange';
import { proposeDatabaseChange } from './shared/proposeDatabaseChange';
import { updatePullRequestText } from './shared/pullRequestText';
import { withDefaultReviewers } from './shared/withDefaultReviewers';

/**
 * `dbaas:database:update`: opens a pull request changing a database's mode
 * or its folder's chart version.
 *
 * @public
 */
export function createDbaasDatabaseUpdateAction(env: DbaasActionEnvironment) {
  return createTemplateAction({
    id: 'dbaas:database:update',
    description:
      "Changes a PostgreSQL database's mode (standard/protected) or chart version through a pull request.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        namespace: z =>
          z.string({ description: 'Tenant: the Kubernetes namespace' }),
        name: z => z.string({ description: 'Database name in the namespace' }),
        mode: z =>
          z.enum(DATABASE_MODES, { description: 'New mode' }).optional(),
        chartVersion: z =>
          z
            .string({
              description:
                "New idp-postgresql chart version (applies to the database's whole folder)",
            })
            .optional(),
      },
      output: outputSchema,
    },
    async handler(ctx) {
      const { namespace, name, mode, chartVersion } = ctx.input;
      if (mode === undefined && chartVersion === undefined) {
        throw new InputError(
          'Nothing to change: give a mode or a chartVersion',
        );
      }
      const {
        appsRepo,
        branchName,
        names,
        defined,
        folderPath,
        requestedBy: requester,
      } = await prepareExistingDatabaseChange(ctx, env, 'update', {
        namespace,
        name,
      });

      const changes = [
        ...(mode && mode !== defined.mode
          ? [`mode: ${defined.mode} → ${mode}`]
          : []),
        ...(chartVersion ? [`chart version → ${chartVersion}`] : []),
      ];
      const text = updatePullRequestText({
        names,
        mode: mode ?? defined.mode,
        folderPath,
        requestedBy: requester,
        taskId: ctx.task.id,
        changes: changes.length > 0 ? changes : ['no change'],
      });
      // Protection being switched on or off is reviewed like a protected
      // database.
      const reviewedAs =
        mode === 'protected' || defined.mode === 'protected'
          ? 'protected'
          : 'standard';
      await proposeDatabaseChange(
        ctx,
        appsRepo,
        withDefaultReviewers(
          {
            ...text,
            branchName,
            edit: updateDatabaseEdit({
              basePath: env.settings.basePath,
              namespace,
              folder: defined.folder,
              name,
              mode,
              chartVersion,
            }),
          },
          reviewedAs,
          env.settings,
        ),
        names,
        env.refreshInventory,
        env.databasePageUrl,
      );
    },
  });
}
