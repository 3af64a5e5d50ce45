import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/**
 * Output and `ui:options` of the `DbaasDatabaseNamePicker` field.
 *
 * @public
 */
export const DbaasDatabaseNamePickerFieldSchema = makeFieldSchema({
  output: z => z.string(),
  uiOptions: z =>
    z.object({
      namespaceField: z
        .string()
        .optional()
        .describe(
          'Name of the form field holding the tenant namespace the database belongs to. Defaults to `namespace`.',
        ),
    }),
});

/**
 * `ui:options` of the `DbaasDatabaseNamePicker` field.
 *
 * @public
 */
export type DbaasDatabaseNamePickerUiOptions = {
  /** The form field holding the tenant namespace; `namespace` by default. */
  namespaceField?: string;
};

/** Props the scaffolder passes to the field component. */
export type DbaasDatabaseNamePickerProps =
  typeof DbaasDatabaseNamePickerFieldSchema.TProps;
