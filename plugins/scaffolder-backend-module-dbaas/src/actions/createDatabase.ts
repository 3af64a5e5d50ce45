import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  DATABASE_MODES,
  deriveDatabaseNames,
  validateDatabaseName,
} from '@dbaas/plugin-dbaas-common';
import {
  createDatabaseEdit,
  databaseFolderPaths,
  suiteBranchName,
} from '@dbaas/plugin-dbaas-node';
import { examples } from './createDatabase.examples';
import { authorizeTenantChange } from './shared/authorizeTenantChange';
import { checkNewDatabase } from './shared/checkNewDatabase';

import { checkDatabaseRef } from './shared/checkDatabaseRef';
import { DbaasActionEnvironment } from './shared/DbaasActionEnvironment';
import { outputSchema } from './shared/outputSchema';
import { proposeDatabaseChange } from './shared/proposeDatabaseChange';
import { createPullRequestText } from './shared/pullRequestText';
import { requestedBy } from './shared/requestedBy';
import { withDefaultReviewers } from './shared/withDefaultReviewers';

/**
 * `dbaas:database:create`: opens a pull request adding a database to the
 * apps repository (`<namespace>/<folder>/values.yaml`, and
 * `application.yaml` when the folder is new).
 *
 * @public
 */
export function createDbaasDatabaseCreateAction(env: DbaasActionEnvironment) {
  return createTemplateAction({
    id: 'dbaas:database:create',
    description:
      'Requests a PostgreSQL database: opens a pull request that adds it to the GitOps apps repository.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        namespace: z =>
          z.string({ description: 'Tenant: the Kubernetes namespace' }),
        name: z =>
          z.string({
            description:
              'Database name inside the namespace; the database is <namespace>-<name>',
          }),
        mode: z =>
          z
            .enum(DATABASE_MODES, {
              description:
                'standard, or protected (deletion protection: removing it from the repository keeps the data)',
            })
            .optional(),
        folder: z =>
          z
            .string({
              description:
                'Folder under the namespace holding values.yaml; defaults to the name',
            })
            .optional(),
        slackChannel: z =>
          z
            .string({ description: 'Slack channel for alerts about it' })
            .optional(),
        chartVersion: z =>
          z
            .string({
              description:
                'idp-postgresql chart version for a new folder; defaults to dbaas.gitops.chartVersion',
            })
            .optional(),
        description: z =>
          z
            .string({ description: 'Description in application.yaml' })
            .optional(),
        repoUrl: z =>
          z
            .string({
              description:
                'Apps repository URL; defaults to dbaas.gitops.repoUrl. Only that one or one of dbaas.gitops.allowedRepoUrls (compared by host, owner and name)',
            })
            .optional(),
        draft: z =>
          z
            .boolean({ description: 'Open the pull request as a draft' })
            .optional(),
        reviewers: z =>
          z
            .array(z.string(), { description: 'GitHub users to request' })
            .optional(),
        teamReviewers: z =>
          z
            .array(z.string(), { description: 'GitHub teams to request' })
            .optional(),
        labels: z =>
          z
            .array(z.string(), { description: 'Labels for the pull request' })
            .optional(),
      },
      output: outputSchema,
    },
    async handler(ctx) {
      const { namespace, name } = ctx.input;
      const mode = ctx.input.mode ?? 'standard';
      const folder = ctx.input.folder ?? name;
      const appsRepo = env.appsRepoFor(ctx.input.repoUrl);

      const branchName = suiteBranchName('create', namespace, name);
      // Checked once per task: a recovered task that already opened its
      // pull request would otherwise find its own database and refuse.
      const checked = await ctx.checkpoint({
        key: `dbaas.checked.${branchName}`,
        fn: async () => {
          checkDatabaseRef({ namespace, name }, env.reservedNamespaces);
          const folderProblems = validateDatabaseName(folder);
          if (folderProblems.length > 0) {
            throw new InputError(
              `Invalid folder: ${folderProblems
                .map(p => p.message)
                .join('; ')}`,
            );
          }
          await authorizeTenantChange(
            env,
            await ctx.getInitiatorCredentials(),
            namespace,
          );
          return {
            ...(await checkNewDatabase(ctx, env, appsRepo, {
              namespace,
              name,
            })),
          };
        },
      });

      const names = deriveDatabaseNames(namespace, name, {
        secretPathTemplate: env.secretPathTemplate,
      });
      const chartVersion = ctx.input.chartVersion ?? env.settings.chartVersion;
      const location = {
        basePath: env.settings.basePath,
        namespace,
        folder,
        name,
      };
      const text = createPullRequestText({
        names,
        mode,
        folderPath: databaseFolderPaths({
          basePath: env.settings.basePath,
          namespace,
          folder,
        }).folder,
        requestedBy: await requestedBy(ctx),
        taskId: ctx.task.id,
        chartVersion,
      });
      await proposeDatabaseChange(
        ctx,
        appsRepo,
        withDefaultReviewers(
          {
            ...text,
            branchName,
            baseSha: checked.baseSha,
            edit: createDatabaseEdit({
              ...location,
              mode,
              chartVersion,
              slackChannel: ctx.input.slackChannel,
              description: ctx.input.description,
            }),
            draft: ctx.input.draft,
            labels: ctx.input.labels,
            reviewers: ctx.input.reviewers,
            teamReviewers: ctx.input.teamReviewers,
          },
          mode,
          env.settings,
        ),
        names,
        env.refreshInventory,
        env.databasePageUrl,
      );
    },
  });
}
