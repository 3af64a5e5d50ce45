import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import {
  NamingProblem,
  ValidateDatabaseResponse,
  describeValue,
  validateDatabaseName,
  validateDatabaseRequest,
} from '@dbaas/plugin-dbaas-common';
import { DbaasApi, dbaasApiRef } from '../../api/DbaasApi';
import { describeError } from '../common/describeError';
import { plainMessage, plainMessages } from '../common/plainMessage';
import { toError } from '../common/toError';
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
 * Why the name cannot be requested, in plain words, each once: the naming
 * rules first (no backend call while one is broken), then what the backend
 * says about the pair (reserved namespace, taken, collision). When the
 * backend cannot be asked, that is the problem: the request would fail the
 * same way.
 */
export async function nameProblems(
  dbaasApi: Pick<DbaasApi, 'validateDatabase'>,
  name: string,
  namespace: string | undefined,
): Promise<string[]> {
  const local = localNameProblems(name, namespace);
  if (local.length > 0 || namespace === undefined) {
    return plainMessages(local.map(problem => problem.message));
  }
  let response: ValidateDatabaseResponse;
  try {
    response = await dbaasApi.validateDatabase({ namespace, name });
  } catch (error) {
    return [
      plainMessage(
        `Could not check whether ${describeValue(
          name,
        )} is available: ${describeError(toError(error))}`,
      ),
    ];
  }
  return unavailableMessages(response, name, namespace);
}

/** The backend's problems with a pair, in plain words, each once. */
export function unavailableMessages(
  response: ValidateDatabaseResponse,
  name: string,
  namespace: string,
): string[] {
  const messages = response.problems.map(problem => problem.message);
  if (!response.valid && messages.length === 0) {
    messages.push(
      `${describeValue(name)} is not available in ${describeValue(namespace)}`,
    );
  }
  return plainMessages(messages);
}

/**
 * Blocks the scaffolder form (Next, and so Create) on a name the naming
 * rules reject or the backend reports as not available (reserved
 * namespace, already requested or defined, a collision): the form waits
 * for the backend's answer. An empty value is left to the schema's
 * `required`; a missing namespace to the namespace field.
 *
 * @public
 */
export const dbaasDatabaseNamePickerValidation: CustomFieldValidator<
  string,
  DbaasDatabaseNamePickerUiOptions
> = async (name, validation, context) => {
  if (typeof name !== 'string' || name === '') {
    return;
  }
  const namespace = namespaceFromFormData(
    context.formData,
    context.uiSchema?.['ui:options']?.namespaceField,
  );
  const dbaasApi = context.apiHolder.get(dbaasApiRef);
  const messages = dbaasApi
    ? await nameProblems(dbaasApi, name, namespace)
    : plainMessages(
        localNameProblems(name, namespace).map(problem => problem.message),
      );
  for (const message of messages) {
    validation.addError(message);
  }
};
