import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { RepoFile } from '../types';
import { GitRunner } from './git';
import { checkRepoPath } from '../repoPaths';

/**
 * Options of {@link initLocalAppsRepository}.
 *
 * @public
 */
export interface InitLocalAppsRepositoryOptions {
  path: string;
  /** Defaults to `main`. */
  baseBranch?: string;
  /** Files of the first commit (e.g. a few tenants and databases). */
  files?: RepoFile[];
  /** Defaults to `Seed the apps repository`. */
  message?: string;
  author?: { name: string; email: string };
  logger?: LoggerService;
}

/**
 * Creates the embedded apps repository when it is not there yet: `git init`
 * with the base branch checked out, and a first commit holding `files`.
 * Leaves an existing repository whose base branch exists untouched.
 * Returns whether it created (or seeded) anything.
 *
 * @public
 */
export async function initLocalAppsRepository(
  options: InitLocalAppsRepositoryOptions,
): Promise<{ created: boolean }> {
  const baseBranch = options.baseBranch ?? 'main';
  const path = resolve(options.path);
  await mkdir(path, { recursive: true });
  const git = new GitRunner(
    await realpath(path),
    options.author ?? { name: 'dbaas', email: 'dbaas@localhost' },
  );
  if ((await git.exec(['check-ref-format', `refs/heads/${baseBranch}`])).code) {
    throw new InputError(`Invalid base branch ${JSON.stringify(baseBranch)}`);
  }

  const isRepository =
    (await git.exec(['rev-parse', '--is-bare-repository'])).code === 0;
  if (isRepository) {
    const base = await git.exec([
      'rev-parse',
      '--verify',
      '--quiet',
      `refs/heads/${baseBranch}^{commit}`,
    ]);
    if (base.code === 0) {
      return { created: false };
    }
    const anyCommit = await git.exec([
      'rev-parse',
      '--verify',
      '--quiet',
      'HEAD',
    ]);
    if (anyCommit.code === 0) {
      throw new InputError(
        `The repository ${path} has no branch ${baseBranch}; create it or configure dbaas.gitops.baseBranch`,
      );
    }
  } else {
    await git.run(['init', '--quiet', `--initial-branch=${baseBranch}`]);
  }

  const dir = await mkdtemp(join(tmpdir(), 'dbaas-seed-'));
  const env = { GIT_INDEX_FILE: join(dir, 'index') };
  try {
    const entries: string[] = [];
    for (const file of options.files ?? []) {
      checkRepoPath(file.path);
      const blob = (
        await git.text(['hash-object', '-w', '--stdin'], {
          input: file.content,
        })
      ).trim();
      entries.push(`100644 ${blob}\t${file.path}`);
    }
    if (entries.length > 0) {
      await git.run(['update-index', '--add', '-z', '--index-info'], {
        env,
        input: `${entries.join('\0')}\0`,
      });
    }
    const tree = await git.text(['write-tree'], { env });
    const commit = await git.text(
      ['commit-tree', '--no-gpg-sign', tree, '-F', '-'],
      { input: `${options.message ?? 'Seed the apps repository'}\n` },
    );
    await git.run(['update-ref', '--stdin'], {
      input: `create refs/heads/${baseBranch} ${commit}\n`,
    });
    const bare = await git.text(['rev-parse', '--is-bare-repository']);
    if (bare !== 'true') {
      await git.run(['symbolic-ref', 'HEAD', `refs/heads/${baseBranch}`]);
      await git.run(['read-tree', '-u', '-m', commit]);
    }
    options.logger?.info(
      `Created the local apps repository ${path} (${baseBranch} at ${commit})`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { created: true };
}
