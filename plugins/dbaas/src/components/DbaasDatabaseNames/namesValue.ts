import {
  RequestedDatabaseNames,
  ROLE_ACCESS,
  deriveDatabaseNames,
  validateDatabaseRequest,
} from '@dbaas/plugin-dbaas-common';
import type { DbaasDatabaseNamesValue } from './schema';

function perRole(names: Record<string, string>): string {
  return ROLE_ACCESS.map(access => names[access]).join(', ');
}

/**
 * The names a (namespace, name) pair gives, as the field's value: what the
 * browser derives on its own (database, roles, Kubernetes Secrets) at once,
 * and the secret manager paths once the backend, which knows the
 * configured path template, has answered. Empty while the pair breaks a
 * naming rule (the name field says why).
 */
export function namesValue(
  namespace: string | undefined,
  name: string | undefined,
  fromBackend: RequestedDatabaseNames | undefined,
): DbaasDatabaseNamesValue {
  if (
    namespace === undefined ||
    name === undefined ||
    validateDatabaseRequest({ namespace, name }, { reservedNamespaces: [] })
      .length > 0
  ) {
    return {};
  }
  const derived = deriveDatabaseNames(namespace, name);
  return {
    database: derived.databaseName,
    roles: perRole(derived.roles),
    kubernetesSecrets: perRole(derived.kubernetesSecrets),
    ...(fromBackend && fromBackend.databaseName === derived.databaseName
      ? { secretManagerPaths: perRole(fromBackend.secretManagerPaths) }
      : {}),
  };
}
