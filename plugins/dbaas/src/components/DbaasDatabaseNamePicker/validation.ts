import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import {
  NamingProblem,
  validateDatabaseName,
  validateDatabaseRequest,
} from '@dbaas/plugin-dbaas-common';
import { namespaceFromFormData } from './namespaceField';
import type { DbaasDatabaseNamePickerUiOptions } from './schema';

/**
 * The problems of a database name that the browser can find on its own.
 * With the namespace known, the check also covers the length of the
 * `<namespace>-<name>-admin` role; namespace problems are left to the
 * namespace field.
 */
export function localNameProblems(
  name: string,
  namespace?: string,
): NamingProblem[] {
  if (namespace === undefined) {
    return validateDatabaseName(name);
  }
  return validateDatabaseRequest({ namespace, name }).filter(
    problem => problem.field === 'name',
  );
}

/**
 * Blocks the scaffolder form on names the naming rules reject. Availability
 * (reserved namespaces, collisions) is only advisory in the form: the
 * backend checks it again when the request is made.
 *
 * @public
 */
export const dbaasDatabaseNamePickerValidation: CustomFieldValidator<
  string,
  DbaasDatabaseNamePickerUiOptions
> = (name, validation, context) => {
  const namespace = namespaceFromFormData(
    context.formData,
    context.uiSchema?.['ui:options']?.namespaceField,
  );
  for (const problem of localNameProblems(name, namespace)) {
    validation.addError(problem.message);
  }
};
