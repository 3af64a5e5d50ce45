import { isError } from '@backstage/errors';
import {
  DatabaseMode,
  validateDatabaseRequest,
  validateNamespace,
} from '@dbaas/plugin-dbaas-common';
import type { RepoFile } from '../appsRepo/types';
import { VALUES_FILE, normalizeBasePath } from './databaseChanges';
import { parseDatabaseDefinitions } from './valuesYaml';
import { showValue } from './yamlSource';

/**
 * A database found in the apps repository.
 *
 * @public
 */
export interface DefinedDatabase {
  namespace: string;
  folder: string;
  name: string;
  mode: DatabaseMode;
  /** Path of the values.yaml that lists it. */
  path: string;
}

/**
 * A definition file, or an entry of one, that could not be used.
 *
 * @public
 */
export interface DefinitionProblem {
  path: string;
  message: string;
}

/**
 * Parses every `<basePath>/<namespace>/<folder>/values.yaml` among `files`
 * (other files are ignored). Malformed files, and entries whose namespace or
 * name break the naming rules, are skipped and reported in `problems`.
 * Databases come in path order, then file order.
 *
 * @public
 */
export function findDefinedDatabases(
  files: RepoFile[],
  basePath: string,
): { databases: DefinedDatabase[]; problems: DefinitionProblem[] } {
  const base = normalizeBasePath(basePath);
  const prefix = base === '' ? '' : `${base}/`;
  const databases: DefinedDatabase[] = [];
  const problems: DefinitionProblem[] = [];
  const definedAt = new Map<string, string>();

  const paths = files.map(f => f.path).sort();
  const byPath = new Map(files.map(f => [f.path, f]));
  const sorted = paths.map(p => byPath.get(p)!);
  for (const file of sorted) {
    if (!file.path.startsWith(prefix)) {
      continue;
    }
    const segments = file.path.slice(prefix.length).split('/');
    if (segments.length !== 3 || segments[2] !== VALUES_FILE) {
      continue;
    }
    const [namespace, folder] = segments;
    const namespaceProblems = validateNamespace(namespace, {
      reservedNamespaces: [],
    });
    if (namespaceProblems.length > 0) {
      problems.push({
        path: file.path,
        message: `Skipped: the folder is not a valid namespace: ${namespaceProblems
          .map(p => p.message)
          .join('; ')}`,
      });
      continue;
    }

    let definitions;
    try {
      definitions = parseDatabaseDefinitions(file.content, file.path);
    } catch (error) {
      problems.push({
        path: file.path,
        message: isError(error) ? error.message : String(error),
      });
      continue;
    }
    for (const { name, mode } of definitions) {
      const nameProblems = validateDatabaseRequest(
        { namespace, name },
        { reservedNamespaces: [] },
      );
      if (nameProblems.length > 0) {
        problems.push({
          path: file.path,
          message: `Skipped database ${showValue(name)}: ${nameProblems
            .map(p => p.message)
            .join('; ')}`,
        });
        continue;
      }
      const key = `${namespace}/${name}`;
      const earlier = definedAt.get(key);
      if (earlier !== undefined) {
        problems.push({
          path: file.path,
          message: `Skipped database ${showValue(
            name,
          )}: ${namespace}/${name} is already defined in ${earlier}`,
        });
        continue;
      }
      definedAt.set(key, file.path);
      databases.push({ namespace, folder, name, mode, path: file.path });
    }
  }
  return { databases, problems };
}
