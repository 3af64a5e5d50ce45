import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/**
 * Output and `ui:options` of the `DbaasChangePreview` field.
 *
 * @public
 */
export const DbaasChangePreviewFieldSchema = makeFieldSchema({
  output: z => z.string(),
  uiOptions: z =>
    z.object({
      action: z
        .enum(['dbaas:database:update', 'dbaas:database:delete'])
        .describe(
          "The action whose pull request is previewed; its inputs are read from the form's fields of the same names.",
        ),
    }),
});

/**
 * `ui:options` of the `DbaasChangePreview` field.
 *
 * @public
 */
export type DbaasChangePreviewUiOptions = {
  /** `dbaas:database:update` or `dbaas:database:delete`. */
  action: 'dbaas:database:update' | 'dbaas:database:delete';
};

/** Props the scaffolder passes to the field component. */
export type DbaasChangePreviewProps =
  typeof DbaasChangePreviewFieldSchema.TProps;
