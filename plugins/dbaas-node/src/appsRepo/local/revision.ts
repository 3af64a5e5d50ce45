import { InputError } from '@backstage/errors';
import { checkRepoPath } from '../repoPaths';
import type { ReadFile } from '../types';
import { BatchObject, GitRunner, parseCatFileBatch } from './git';

/**
 * Reads objects (`<commit>:<path>` or object ids) with one
 * `git cat-file --batch`; `undefined` for a missing one.
 */
export async function readBlobs(
  git: GitRunner,
  names: string[],
): Promise<Array<BatchObject | undefined>> {
  if (names.length === 0) {
    return [];
  }
  const { stdout } = await git.run(['cat-file', '--batch'], {
    input: `${names.join('\n')}\n`,
  });
  return parseCatFileBatch(stdout, names.length);
}

/**
 * Reads the files of one commit for a change's `edit(read)` (and for
 * `readFile`): one `git cat-file --batch` per file, `undefined` for a
 * missing file, an `InputError` for a folder.
 */
export function revisionReader(git: GitRunner, commit: string): ReadFile {
  return async (path: string) => {
    checkRepoPath(path);
    const [object] = await readBlobs(git, [`${commit}:${path}`]);
    if (!object) {
      return undefined;
    }
    if (object.type !== 'blob') {
      throw new InputError(`${path} is a ${object.type}, not a file`);
    }
    return object.content.toString('utf8');
  };
}
