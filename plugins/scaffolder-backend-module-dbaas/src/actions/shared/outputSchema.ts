import { z as zod } from 'zod/v3';

type Z = typeof zod;

/** The outputs of every dbaas action (DESIGN "Scaffolder actions"). */
export const outputSchema = {
  pullRequestUrl: (z: Z) =>
    z.string({
      description:
        "The pull request (for a local apps repository, the database's portal page, which lists the merge commit); empty in a dry run",
    }),
  pullRequestNumber: (z: Z) =>
    z.number({ description: 'The pull request number; 0 in a dry run' }),
  branchName: (z: Z) => z.string({ description: 'The branch of the change' }),
  databaseName: (z: Z) =>
    z.string({
      description: 'The database in the cluster: <namespace>-<name>',
    }),
  entityRef: (z: Z) =>
    z.string({ description: 'The catalog entity of the database' }),
  diff: (z: Z) =>
    z
      .string({
        description: 'Dry run only: the unified diff it would propose',
      })
      .optional(),
};
