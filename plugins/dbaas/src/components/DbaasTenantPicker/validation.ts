import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { describeValue, validateNamespace } from '@dbaas/plugin-dbaas-common';
import type { DbaasTenantPickerUiOptions } from './schema';

/**
 * The problems of a namespace that the browser can find on its own: the
 * naming rules, the default reserved namespaces, and `allowedNamespaces`.
 * Whether the user's groups own it needs the backend; the picker shows that,
 * and the backend checks it again when the request is made.
 */
export function localNamespaceProblems(
  namespace: string,
  allowedNamespaces?: string[],
): string[] {
  const problems = validateNamespace(namespace).map(
    problem => problem.message,
  );
  if (allowedNamespaces && !allowedNamespaces.includes(namespace)) {
    problems.push(
      `${describeValue(namespace)} is not one of the namespaces allowed here: ${
        allowedNamespaces.map(describeValue).join(', ') || 'none'
      }`,
    );
  }
  return problems;
}

/**
 * Blocks the scaffolder form on a namespace the naming rules reject, that
 * is reserved, or that `ui:options.allowedNamespaces` leaves out. An empty
 * value is left to the schema's `required`.
 *
 * @public
 */
export const dbaasTenantPickerValidation: CustomFieldValidator<
  string,
  DbaasTenantPickerUiOptions
> = (namespace, validation, context) => {
  if (namespace === undefined || namespace === null || namespace === '') {
    return;
  }
  const allowedNamespaces =
    context.uiSchema?.['ui:options']?.allowedNamespaces;
  for (const message of localNamespaceProblems(namespace, allowedNamespaces)) {
    validation.addError(message);
  }
};
