import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { deleteDatabaseEdit } from '@dbaas/plugin-dbaas-node';
import { examples } from './deleteDatabase.examples';
import { DbaasActionEnvironment } from './shared/DbaasActionEnvironment';
import { outputSchema } from './shared/outputSchema';
import { prepareExistingDatabaseChange } from './shared/prepareExistingDatabaseChange';
import { proposeDatabaseChange } from './shared/proposeDatabaseChange';
import { deletePullRequestText } from './shared/pullRequestText';
import { withDefaultReviewers } from './shared/withDefaultReviewers';

/**
 * `dbaas:database:delete`: opens a pull request removing a database from
 * the apps repository. For a protected database the pull request says that
 * the data stays and how to bring it back under management.
 *
 * @public
 */
export function createDbaasDatabaseDeleteAction(env: DbaasActionEnvironment) {
  return createTemplateAction({
    id: 'dbaas:database:delete',
    description:
      'Removes a PostgreSQL database from the apps repository through a pull request (a protected database keeps its data).',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        namespace: z =>
          z.string({ description: 'Tenant: the Kubernetes namespace' }),
        name: z => z.string({ description: 'Database name in the namespace' }),
        reason: z =>
          z.string({
            description: 'Why it is removed (shown in the pull request)',
          }),
      },
      output: outputSchema,
    },
    async handler(ctx) {
      const { namespace, name } = ctx.input;
      const reason = ctx.input.reason.trim();
      if (reason.length < 3) {
        throw new InputError('Give a reason for removing the database');
      }
      const {
        appsRepo,
        branchName,
        names,
        defined,
        folderPath,
        requestedBy: requester,
      } = await prepareExistingDatabaseChange(ctx, env, 'delete', {
        namespace,
        name,
      });
      const text = deletePullRequestText({
        names,
        mode: defined.mode,
        folderPath,
        requestedBy: requester,
        taskId: ctx.task.id,
        reason,
      });
      await proposeDatabaseChange(
        ctx,
        appsRepo,
        withDefaultReviewers(
          {
            ...text,
            branchName,
            edit: deleteDatabaseEdit({
              basePath: env.settings.basePath,
              namespace,
              folder: defined.folder,
              name,
            }),
          },
          defined.mode,
          env.settings,
        ),
        names,
        env.refreshInventory,
        env.databasePageUrl,
      );
    },
  });
}
