import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { describeValue, validateNamespace } from '@dbaas/plugin-dbaas-common';
import { plainMessages } from '../common/plainMessage';
import type { DbaasTenantPickerUiOptions } from './schema';

/**
 * `ui:options.allowedNamespaces`, or undefined when absent. Templates are
 * not checked against the options schema, so anything but a list of
 * strings is ignored rather than misread (a string's `includes` would match
 * substrings).
 */
export function allowedNamespacesOption(
  uiOptions: DbaasTenantPickerUiOptions | undefined,
): string[] | undefined {
  const allowed: unknown = uiOptions?.allowedNamespaces;
  return Array.isArray(allowed)
    ? allowed.filter((item): item is string => typeof item === 'string')
    : undefined;
}

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
  const problems = validateNamespace(namespace).map(problem => problem.message);
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
  const allowedNamespaces = allowedNamespacesOption(
    context.uiSchema?.['ui:options'],
  );
  for (const message of plainMessages(
    localNamespaceProblems(namespace, allowedNamespaces),
  )) {
    validation.addError(message);
  }
};
