import type { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { LocalRepoConnection } from './LocalRepoConnection';

/**
 * When the base branch is checked out and the index and work tree were
 * clean at `oldSha`, moves them to `newSha` (a two-tree merge, as
 * `git checkout` does; untracked files are never overwritten). Otherwise
 * leaves them alone: they belong to whoever is working there. Never fails:
 * the merge is already published, so a problem here is only logged.
 */
export async function syncWorkTree(
  connection: LocalRepoConnection,
  oldSha: string,
  newSha: string,
  logger?: LoggerService,
): Promise<void> {
  const { git, bare } = await connection.ready();
  if (bare) {
    return;
  }
  try {
    const head = await git.exec(['symbolic-ref', '-q', 'HEAD']);
    if (
      head.code !== 0 ||
      head.stdout.toString('utf8').trim() !== connection.baseRef
    ) {
      return;
    }
    await git.run(['update-index', '-q', '--refresh'], { okCodes: [0, 1] });
    const staged = await git.run(
      ['diff-index', '--cached', '--quiet', oldSha, '--'],
      { okCodes: [0, 1] },
    );
    const unstaged = await git.run(['diff-files', '--quiet'], {
      okCodes: [0, 1],
    });
    if (staged.code !== 0 || unstaged.code !== 0) {
      logger?.warn(
        `The work tree of ${connection.path} has local changes; ${connection.baseBranch} moved to ${newSha} but the work tree was left as is`,
      );
      return;
    }
    await git.run(['read-tree', '-u', '-m', oldSha, newSha]);
  } catch (error) {
    logger?.warn(
      `Could not update the work tree of ${connection.path} to ${newSha}: ${
        isError(error) ? error.message : String(error)
      }`,
    );
  }
}
