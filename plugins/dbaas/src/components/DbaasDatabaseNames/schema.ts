import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/**
 * Output and `ui:options` of the `DbaasDatabaseNames` field: the names the
 * requested database gets, one line each, for the form and its Review step.
 *
 * @public
 */
export const DbaasDatabaseNamesFieldSchema = makeFieldSchema({
  output: z =>
    z.object({
      database: z.string().optional(),
      roles: z.string().optional(),
      kubernetesSecrets: z.string().optional(),
      secretManagerPaths: z.string().optional(),
    }),
  uiOptions: z =>
    z.object({
      namespaceField: z
        .string()
        .optional()
        .describe(
          'Name of the form field holding the tenant namespace. Defaults to `namespace`.',
        ),
      nameField: z
        .string()
        .optional()
        .describe(
          'Name of the form field holding the database name. Defaults to `name`.',
        ),
    }),
});

/**
 * `ui:options` of the `DbaasDatabaseNames` field.
 *
 * @public
 */
export type DbaasDatabaseNamesUiOptions = {
  /** The form field holding the tenant namespace; `namespace` by default. */
  namespaceField?: string;
  /** The form field holding the database name; `name` by default. */
  nameField?: string;
};

/**
 * The value of the `DbaasDatabaseNames` field: each kind of name on one
 * line, as the Review step lists them.
 *
 * @public
 */
export type DbaasDatabaseNamesValue = {
  database?: string;
  roles?: string;
  kubernetesSecrets?: string;
  secretManagerPaths?: string;
};

/** Props the scaffolder passes to the field component. */
export type DbaasDatabaseNamesProps =
  typeof DbaasDatabaseNamesFieldSchema.TProps;
