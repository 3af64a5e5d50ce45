import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/**
 * Output and `ui:options` of the `DbaasTenantPicker` field.
 *
 * @public
 */
export const DbaasTenantPickerFieldSchema = makeFieldSchema({
  output: z => z.string(),
  uiOptions: z =>
    z.object({
      allowedNamespaces: z
        .array(z.string())
        .optional()
        .describe(
          'Offer only these namespaces, among those the user’s groups own. Defaults to every owned namespace.',
        ),
    }),
});

/**
 * `ui:options` of the `DbaasTenantPicker` field.
 *
 * @public
 */
export type DbaasTenantPickerUiOptions = {
  /**
   * Offer only these namespaces, among those the user's groups own. Every
   * owned namespace when absent.
   */
  allowedNamespaces?: string[];
};

/** Props the scaffolder passes to the field component. */
export type DbaasTenantPickerProps = typeof DbaasTenantPickerFieldSchema.TProps;
