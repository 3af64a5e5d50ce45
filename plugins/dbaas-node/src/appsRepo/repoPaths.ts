import { posix } from 'node:path';
import { InputError } from '@backstage/errors';
import { VALUES_FILE } from '../definitions/databaseChanges';
import type { FileEdit } from './types';

/**
 * Checks that a path is a plain relative path inside the apps repository:
 * no `..`, `.`, empty or `.git` segments, no backslashes or control
 * characters. Both repository kinds check every path they read or write.
 */
export function checkRepoPath(path: unknown): string {
  if (
    typeof path !== 'string' ||
    path === '' ||
    path.startsWith('/') ||
    /[\u0000-\u001f\u007f\\]/.test(path) || // eslint-disable-line no-control-regex
    posix.normalize(path) !== path ||
    path
      .split('/')
      .some(
        s => s === '' || s === '.' || s === '..' || s.toLowerCase() === '.git',
      )
  ) {
    throw new InputError(
      `Refusing to use ${JSON.stringify(String(path)).slice(
        0,
        200,
      )}: not a plain relative path inside the apps repository`,
    );
  }
  return path;
}

/** Validates a change's edits; the last edit of a path wins. */
export function checkEdits(edits: unknown): FileEdit[] {
  if (!Array.isArray(edits)) {
    throw new InputError('A change must return a list of file edits');
  }
  const byPath = new Map<string, FileEdit>();
  for (const edit of edits as FileEdit[]) {
    checkRepoPath(edit?.path);
    if (edit.content !== null && typeof edit.content !== 'string') {
      throw new InputError(
        `The edit of ${edit.path} must be a string or null (to delete it)`,
      );
    }
    byPath.delete(edit.path);
    byPath.set(edit.path, { path: edit.path, content: edit.content });
  }
  return [...byPath.values()];
}

/**
 * Whether a path is a database definition:
 * `<basePath>/<namespace>/<folder>/values.yaml`, `basePath` normalized
 * (`''` for the repository root). Both repository kinds list definitions
 * with it.
 */
export function isDefinitionPath(basePath: string, path: string): boolean {
  const prefix = basePath === '' ? '' : `${basePath}/`;
  if (!path.startsWith(prefix)) return false;
  const segments = path.slice(prefix.length).split('/');
  return segments.length === 3 && segments[2] === VALUES_FILE;
}
