import { InputError } from '@backstage/errors';
import { describeValue } from './describeValue';
import { DatabaseRef, validateDatabaseRequest } from './naming';

/**
 * Catalog annotation linking an entity to a database, valued
 * `<namespace>/<name>`. Database Resources carry it, and so may Components
 * that want the Database tab.
 *
 * @public
 */
export const DBAAS_DATABASE_ANNOTATION = 'dbaas.io/database';

/**
 * The value of {@link DBAAS_DATABASE_ANNOTATION} for a database.
 *
 * @public
 */
export function formatDatabaseAnnotation(ref: DatabaseRef): string {
  return `${ref.namespace}/${ref.name}`;
}

/**
 * Reads a {@link DBAAS_DATABASE_ANNOTATION} value. Throws `InputError` unless
 * it is `<namespace>/<name>` with both parts well-formed. Reserved namespaces
 * are accepted: whether a namespace may be used is decided when a database is
 * requested, not when an existing one is referenced.
 *
 * @public
 */
export function parseDatabaseAnnotation(value: string): DatabaseRef {
  const shown =
    typeof value === 'string' ? describeValue(value) : String(value);
  const parts = typeof value === 'string' ? value.split('/') : [];
  if (parts.length !== 2) {
    throw new InputError(
      `Invalid ${DBAAS_DATABASE_ANNOTATION} annotation ${shown}: expected \`<namespace>/<name>\``,
    );
  }

  const [namespace, name] = parts;
  const problems = validateDatabaseRequest(
    { namespace, name },
    { reservedNamespaces: [] },
  );
  if (problems.length > 0) {
    throw new InputError(
      `Invalid ${DBAAS_DATABASE_ANNOTATION} annotation ${shown}: ${problems
        .map(p => p.message)
        .join('; ')}`,
    );
  }
  return { namespace, name };
}
