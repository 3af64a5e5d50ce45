import { posix } from 'node:path';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  DatabaseMode,
  NamingProblem,
  isDatabaseMode,
  validateDatabaseName,
  validateDatabaseRequest,
} from '@dbaas/plugin-dbaas-common';
import type { FileEdit, ReadFile } from '../appsRepo/types';
import {
  renderApplicationYaml,
  updateApplicationChartVersion,
  validateChartVersion,
} from './applicationYaml';
import {
  DEFAULT_DATABASE_MODE,
  addDatabaseEntry,
  removeDatabaseEntry,
  updateDatabaseEntry,
} from './valuesYaml';
import { showValue } from './yamlSource';

/**
 * The file holding a folder's database list.
 *
 * @public
 */
export const VALUES_FILE = 'values.yaml';

/**
 * The file telling ArgoCD which chart deploys a folder.
 *
 * @public
 */
export const APPLICATION_FILE = 'application.yaml';

/**
 * Where a database is defined: `<basePath>/<namespace>/<folder>/values.yaml`.
 *
 * @public
 */
export interface DatabaseLocation {
  /** Folder of the apps repository holding the namespaces; `''` is the root. */
  basePath: string;
  namespace: string;
  /** Folder under the namespace; follows the database naming rules. */
  folder: string;
  name: string;
}

/** @public */
export interface CreateDatabaseEditInput extends DatabaseLocation {
  /** Defaults to `standard`. */
  mode?: DatabaseMode;
  slackChannel?: string;
  /** Defaults to the folder name. */
  description?: string;
  chartVersion: string;
}

/** @public */
export interface UpdateDatabaseEditInput extends DatabaseLocation {
  mode?: DatabaseMode;
  /** Applies to the whole folder (every database in its values.yaml). */
  chartVersion?: string;
}

/** @public */
export type DeleteDatabaseEditInput = DatabaseLocation;

/**
 * Computes the files a change writes from the revision it is built on.
 *
 * @public
 */
export type DatabaseEdit = (read: ReadFile) => Promise<FileEdit[]>;

/**
 * Normalizes the configured base path (`''`, `apps`, `/apps/`, `./apps`);
 * refuses `..`, `.git` and empty segments.
 *
 * @public
 */
export function normalizeBasePath(basePath: string | undefined): string {
  if (basePath === undefined) {
    return '';
  }
  if (typeof basePath !== 'string') {
    throw new InputError('The apps repository base path must be a string');
  }
  const trimmed = basePath.replace(/^(\.\/)+/, '').replace(/^\/+|\/+$/g, '');
  if (trimmed === '' || trimmed === '.') {
    return '';
  }
  const segments = trimmed.split('/');
  if (
    segments.some(
      s => s === '' || s === '.' || s === '..' || s.toLowerCase() === '.git',
    ) ||
    /[\u0000-\u001f\\]/.test(trimmed) // eslint-disable-line no-control-regex
  ) {
    throw new InputError(
      `Invalid apps repository base path ${showValue(
        basePath,
      )}: use a relative folder such as "apps" or "" for the root`,
    );
  }
  return segments.join('/');
}

/**
 * The paths of a database folder's files. Joins without validating; the
 * edit builders validate the namespace and folder first.
 *
 * @public
 */
export function databaseFolderPaths(
  location: Pick<DatabaseLocation, 'basePath' | 'namespace' | 'folder'>,
): { folder: string; values: string; application: string } {
  const folderPath = posix.join(
    normalizeBasePath(location.basePath),
    location.namespace,
    location.folder,
  );
  return {
    folder: folderPath,
    values: posix.join(folderPath, VALUES_FILE),
    application: posix.join(folderPath, APPLICATION_FILE),
  };
}

function failOnProblems(
  subject: string,
  problems: Array<Pick<NamingProblem, 'message'>>,
): void {
  if (problems.length > 0) {
    throw new InputError(
      `Invalid ${subject}: ${problems.map(p => p.message).join('; ')}`,
    );
  }
}

/**
 * Validates a location before anything is read: the namespace and name by
 * the naming rules (reserved namespaces are the caller's policy, not checked
 * here), the folder by the database naming rules, and the base path.
 */
function checkLocation(location: DatabaseLocation) {
  const { namespace, name, folder } = location;
  failOnProblems(
    'database request',
    validateDatabaseRequest({ namespace, name }, { reservedNamespaces: [] }),
  );
  failOnProblems(
    'folder',
    validateDatabaseName(folder).map(p => ({
      message: p.message.replace(/database name/g, 'folder name'),
    })),
  );
  return databaseFolderPaths(location);
}

function checkModeInput(mode: unknown): void {
  if (mode !== undefined && !isDatabaseMode(mode)) {
    throw new InputError(
      `Invalid mode ${showValue(mode)}: expected standard or protected`,
    );
  }
}

function describeRef({ namespace, name }: DatabaseLocation): string {
  return `${namespace}/${name}`;
}

/**
 * The edit that adds a database to `<basePath>/<namespace>/<folder>/values.yaml`,
 * creating the folder's `application.yaml` too when the folder is new.
 * Validates its input at once (`InputError`); the returned edit throws
 * `ConflictError` when the folder already lists the database and
 * `InputError` when its values.yaml is malformed.
 *
 * @public
 */
export function createDatabaseEdit(
  input: CreateDatabaseEditInput,
): DatabaseEdit {
  const paths = checkLocation(input);
  checkModeInput(input.mode);
  const mode = input.mode ?? DEFAULT_DATABASE_MODE;
  const applicationYaml = renderApplicationYaml({
    name: input.folder,
    description: input.description,
    slackChannel: input.slackChannel,
    chartVersion: input.chartVersion,
  });
  const { name } = input;

  return async read => {
    const values = await read(paths.values);
    const edits: FileEdit[] = [
      {
        path: paths.values,
        content: addDatabaseEntry(values, { name, mode }, paths.values),
      },
    ];
    // A new folder gets its application.yaml; an existing one keeps its own
    // (even one left without values.yaml).
    if (values === undefined && (await read(paths.application)) === undefined) {
      edits.push({ path: paths.application, content: applicationYaml });
    }
    return edits;
  };
}

/**
 * The edit that changes a database's mode and/or its folder's chart version.
 * Returns no edits when the repository already says so. The returned edit
 * throws `NotFoundError` when the database or file is missing.
 *
 * @public
 */
export function updateDatabaseEdit(
  input: UpdateDatabaseEditInput,
): DatabaseEdit {
  const paths = checkLocation(input);
  checkModeInput(input.mode);
  if (input.chartVersion !== undefined) {
    validateChartVersion(input.chartVersion);
  }
  if (input.mode === undefined && input.chartVersion === undefined) {
    throw new InputError(
      `Nothing to update for ${describeRef(
        input,
      )}: give a mode or a chartVersion`,
    );
  }
  const { mode, chartVersion, name } = input;

  return async read => {
    const values = await read(paths.values);
    if (values === undefined) {
      throw new NotFoundError(
        `Database ${describeRef(input)} is not defined: ${
          paths.values
        } does not exist`,
      );
    }
    const edits: FileEdit[] = [];
    const nextValues = updateDatabaseEntry(
      values,
      name,
      { mode },
      paths.values,
    );
    if (nextValues !== values) {
      edits.push({ path: paths.values, content: nextValues });
    }
    if (chartVersion !== undefined) {
      const application = await read(paths.application);
      if (application === undefined) {
        throw new NotFoundError(
          `Cannot set the chart version of ${describeRef(input)}: ${
            paths.application
          } does not exist`,
        );
      }
      const nextApplication = updateApplicationChartVersion(
        application,
        chartVersion,
        paths.application,
      );
      if (nextApplication !== application) {
        edits.push({ path: paths.application, content: nextApplication });
      }
    }
    return edits;
  };
}

/**
 * The edit that removes a database from its folder's values.yaml, deleting
 * the folder's values.yaml and application.yaml when no database and no
 * other setting remains. The returned edit throws `NotFoundError` when the
 * database is not there.
 *
 * @public
 */
export function deleteDatabaseEdit(
  input: DeleteDatabaseEditInput,
): DatabaseEdit {
  const paths = checkLocation(input);
  const { name } = input;

  return async read => {
    const values = await read(paths.values);
    if (values === undefined) {
      throw new NotFoundError(
        `Database ${describeRef(input)} is not defined: ${
          paths.values
        } does not exist`,
      );
    }
    const next = removeDatabaseEntry(values, name, paths.values);
    if (next !== null) {
      return [{ path: paths.values, content: next }];
    }
    const edits: FileEdit[] = [{ path: paths.values, content: null }];
    if ((await read(paths.application)) !== undefined) {
      edits.push({ path: paths.application, content: null });
    }
    return edits;
  };
}
