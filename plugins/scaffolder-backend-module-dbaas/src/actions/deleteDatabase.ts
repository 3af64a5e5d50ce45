import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { deriveDatabaseNames } from '@dbaas/plugin-dbaas-common';
import {
  databaseFolderPaths,
  deleteDatabaseEdit,
  suiteBranchName,
} from '@dbaas/plugin-dbaas-node';
import { examples } from './deleteDatabase.examples';
import { authorizeTenantChange } from './shared/authorizeTenantChange';

import { checkDatabaseRef } from './shared/checkDatabaseRef';
import { DbaasActionEnvironment } from './shared/DbaasActionEnvironment';
import { locateDefinedDatabaseOnce } from './shared/locateDefinedDatabase';
import { outputSchema } from './shared/outputSchema';
import { proposeDatabaseChange } from './shared/proposeDatabaseChange';
import { deletePullRequestText } from './shared/pullRequestText';
import { requestedBy } from './shared/requestedBy';
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
      checkDatabaseRef({ namespace, name }, env.reservedNamespaces);
      await authorizeTenantChange(
        env,
        await ctx.getInitiatorCredentials(),
        namespace,
      );
      const appsRepo = env.appsRepoFor();
      const branchName = suiteBranchName(
        'delete',
        namespace,
        name,
        ctx.task.id,
      );
      const defined = await locateDefinedDatabaseOnce(
        ctx,
        env.checkerFor(appsRepo),
        { namespace, name },
        branchName,
      );
      const names = deriveDatabaseNames(namespace, name, {
        secretPathTemplate: env.secretPathTemplate,
      });
      const text = deletePullRequestText({
        names,
        mode: defined.mode,
        folderPath: databaseFolderPaths({
          basePath: env.settings.basePath,
          namespace,
          folder: defined.folder,
        }).folder,
        requestedBy: await requestedBy(ctx),
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
      );
    },
  });
}
