import {
  DEFAULT_NAMESPACE,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { formatDatabaseAnnotation } from './databaseAnnotation';
import { ROLE_ACCESS, RoleAccess, validateDatabaseRequest } from './naming';
import {
  DEFAULT_SECRET_PATH_TEMPLATE,
  renderSecretPath,
} from './secretPathTemplate';

/**
 * Every name the platform creates for one database.
 *
 * @public
 */
export interface DerivedDatabaseNames {
  namespace: string;
  name: string;
  /** `<namespace>-<name>`, the PostgreSQL database. */
  databaseName: string;
  /** `<namespace>-<name>-<access>`, the PostgreSQL roles. */
  roles: Record<RoleAccess, string>;
  /** Kubernetes Secrets in the tenant namespace; named like the roles. */
  kubernetesSecrets: Record<RoleAccess, string>;
  /** Secret manager paths, from the secret path template. */
  secretManagerPaths: Record<RoleAccess, string>;
  /** `metadata.name` of the catalog Resource. */
  entityName: string;
  /** `resource:default/<namespace>-<name>`. */
  entityRef: string;
  /** Value of the `dbaas.io/database` annotation. */
  annotation: string;
}

/** @public */
export interface DeriveDatabaseNamesOptions {
  /** Defaults to {@link DEFAULT_SECRET_PATH_TEMPLATE}. */
  secretPathTemplate?: string;
}

function perRole(nameFor: (access: RoleAccess) => string) {
  return Object.fromEntries(
    ROLE_ACCESS.map(access => [access, nameFor(access)]),
  ) as Record<RoleAccess, string>;
}

/**
 * Derives the database, role, secret and catalog names of a database.
 *
 * Throws `InputError` listing every problem when the namespace or name is
 * malformed or too long, and `Error` when the secret path template is
 * invalid. Reserved namespaces and collisions are not checked here: they
 * depend on configuration and on other databases, see
 * {@link validateDatabaseRequest}.
 *
 * @public
 */
export function deriveDatabaseNames(
  namespace: string,
  name: string,
  options?: DeriveDatabaseNamesOptions,
): DerivedDatabaseNames {
  const problems = validateDatabaseRequest(
    { namespace, name },
    { reservedNamespaces: [] },
  );
  if (problems.length > 0) {
    throw new InputError(
      `Invalid database: ${problems.map(p => p.message).join('; ')}`,
    );
  }

  const template = options?.secretPathTemplate ?? DEFAULT_SECRET_PATH_TEMPLATE;
  const databaseName = `${namespace}-${name}`;
  const roles = perRole(access => `${databaseName}-${access}`);

  return {
    namespace,
    name,
    databaseName,
    roles,
    kubernetesSecrets: { ...roles },
    secretManagerPaths: perRole(access =>
      renderSecretPath(template, {
        namespace,
        name,
        database: databaseName,
        role: roles[access],
        access,
      }),
    ),
    entityName: databaseName,
    entityRef: databaseEntityRef(databaseName),
    annotation: formatDatabaseAnnotation({ namespace, name }),
  };
}

/**
 * The catalog entity ref of a database (`resource:default/<namespace>-<name>`),
 * from its already validated `<namespace>-<name>`.
 *
 * @public
 */
export function databaseEntityRef(databaseName: string): string {
  return stringifyEntityRef({
    kind: 'Resource',
    namespace: DEFAULT_NAMESPACE,
    name: databaseName,
  });
}
