import { mkdtemp, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  ConflictError,
  ForwardedError,
  InputError,
  NotFoundError,
  isError,
} from '@backstage/errors';
import { normalizeBasePath } from '../../definitions/databaseChanges';
import { unifiedDiff } from '../diff';
import {
  AppsRepoChange,
  AppsRepository,
  ChangePreview,
  DBAAS_BRANCH_PREFIX,
  FileEdit,
  OpenChange,
  ProposedChange,
  ReadFile,
  RepoFile,
  SuiteChange,
} from '../types';
import { GitRunner, parseCatFileBatch } from './git';
import { LocalChangeLister } from './localChanges';
import { checkEdits, checkRepoPath } from '../repoPaths';

/**
 * Options of {@link LocalGitAppsRepository}.
 *
 * @public
 */
export interface LocalGitAppsRepositoryOptions {
  /** The repository's directory (the work tree of a non-bare repository, or a bare repository). */
  path: string;
  /** Defaults to `main`. */
  baseBranch?: string;
  /** Folder holding the namespaces; defaults to the repository root. */
  basePath?: string;
  logger?: LoggerService;
  /** Author and committer of the suite's commits; defaults to `dbaas <dbaas@localhost>`. */
  author?: { name: string; email: string };
  /**
   * How many times a change is rebuilt on a base branch that moved while it
   * was being written. Defaults to 8.
   */
  maxAttempts?: number;
}

/** The identity of the suite's commits when none is configured. */
const DEFAULT_AUTHOR = { name: 'dbaas', email: 'dbaas@localhost' };
const DEFAULT_MAX_ATTEMPTS = 8;
const VALUES_FILE = 'values.yaml';

function delay(ms: number): Promise<void> {
  return new Promise(done => setTimeout(done, ms));
}

// The merge commit is the local "pull request": it carries the description
// too, so `git log` tells what a pull request would have said.
function commitMessage(change: AppsRepoChange): string {
  const subject = String(
    change.commitMessage || change.title || change.branchName,
  ).trimEnd();
  const body = change.body?.trim();
  return body ? `${subject}\n\n${body}\n` : `${subject}\n`;
}

function errorName(error: unknown): string | undefined {
  return isError(error) ? error.name : undefined;
}

/**
 * The embedded apps repository: a git repository on this machine. A change
 * is committed on its branch and merged into the base branch at once (a
 * fast-forward), like a pull request that is approved on the spot.
 *
 * Writes never touch the work tree or the index people may be using: the
 * commit is made with plumbing (`hash-object`, a temporary index,
 * `write-tree`, `commit-tree`) and published with one atomic
 * `update-ref --stdin` transaction that moves the branch and the base branch
 * only if they still point where the change was built. When the base moved
 * meanwhile (another writer, another process, a person committing), the
 * change is rebuilt on the new head, so nobody's entries are lost and no
 * commit is ever overwritten. Afterwards, if the base branch is checked out
 * and the work tree is clean, the work tree is brought up to date.
 *
 * @public
 */
export class LocalGitAppsRepository implements AppsRepository {
  /**
   * Reads `dbaas.gitops.local.path` (required; relative to the working
   * directory), `dbaas.gitops.baseBranch` and `dbaas.gitops.basePath`.
   */
  static fromConfig(
    config: Config,
    options: Pick<LocalGitAppsRepositoryOptions, 'logger' | 'author'> = {},
  ): LocalGitAppsRepository {
    const gitops = config.getConfig('dbaas.gitops');
    return new LocalGitAppsRepository({
      path: gitops.getString('local.path'),
      baseBranch: gitops.getOptionalString('baseBranch'),
      basePath: gitops.getOptionalString('basePath'),
      ...options,
    });
  }

  readonly baseBranch: string;
  /** Absolute path of the repository. */
  readonly path: string;
  /** Normalized base path, `''` for the root. */
  readonly basePath: string;

  private readonly logger?: LoggerService;
  private readonly author: { name: string; email: string };
  private readonly maxAttempts: number;
  private gitPromise?: Promise<{ git: GitRunner; bare: boolean }>;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly changes: LocalChangeLister;

  constructor(options: LocalGitAppsRepositoryOptions) {
    if (typeof options.path !== 'string' || options.path.trim() === '') {
      throw new InputError('The local apps repository needs a path');
    }
    this.path = resolve(options.path);
    this.baseBranch = options.baseBranch ?? 'main';
    this.basePath = normalizeBasePath(options.basePath);
    this.logger = options.logger;
    this.author = options.author ?? DEFAULT_AUTHOR;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    this.changes = new LocalChangeLister({
      repoUrl: pathToFileURL(this.path).href,
      baseHead: git => this.baseHead(git),
    });
  }

  private get baseRef(): string {
    return `refs/heads/${this.baseBranch}`;
  }

  // ---------------------------------------------------------------- setup

  /** The git runner, once the path is known to be a repository. */
  private async ready(): Promise<{ git: GitRunner; bare: boolean }> {
    if (!this.gitPromise) {
      this.gitPromise = this.open();
      // A failure (say the repository is not there yet) is not remembered.
      this.gitPromise.catch(() => {
        this.gitPromise = undefined;
      });
    }
    return this.gitPromise;
  }

  private async open(): Promise<{ git: GitRunner; bare: boolean }> {
    let isDirectory = false;
    try {
      isDirectory = (await stat(this.path)).isDirectory();
    } catch {
      throw new NotFoundError(
        `The local apps repository ${this.path} does not exist`,
      );
    }
    if (!isDirectory) {
      throw new InputError(
        `The local apps repository ${this.path} is not a directory`,
      );
    }
    const git = new GitRunner(await realpath(this.path), this.author);
    const probe = await git.exec(['rev-parse', '--is-bare-repository']);
    if (probe.code !== 0) {
      throw new InputError(
        `The local apps repository ${this.path} is not a git repository (run \`git init\` there, or point dbaas.gitops.local.path at one)`,
      );
    }
    const branchOk = await git.exec(['check-ref-format', this.baseRef]);
    if (branchOk.code !== 0) {
      throw new InputError(
        `Invalid base branch ${JSON.stringify(this.baseBranch).slice(0, 200)}`,
      );
    }
    return { git, bare: probe.stdout.toString('utf8').trim() === 'true' };
  }

  private async resolveRef(
    git: GitRunner,
    ref: string,
  ): Promise<string | undefined> {
    const result = await git.run(
      ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`],
      { okCodes: [0, 1, 128] },
    );
    return result.code === 0
      ? result.stdout.toString('utf8').trim()
      : undefined;
  }

  private async baseHead(git: GitRunner): Promise<string> {
    const sha = await this.resolveRef(git, this.baseRef);
    if (!sha) {
      throw new NotFoundError(
        `The base branch ${this.baseBranch} does not exist in the local apps repository ${this.path}`,
      );
    }
    return sha;
  }

  // ---------------------------------------------------------------- reading

  private async readBlobs(
    git: GitRunner,
    names: string[],
  ): Promise<Array<{ type: string; content: Buffer } | undefined>> {
    if (names.length === 0) {
      return [];
    }
    const { stdout } = await git.run(['cat-file', '--batch'], {
      input: `${names.join('\n')}\n`,
    });
    return parseCatFileBatch(stdout, names.length);
  }

  /** Reads files of one commit; `undefined` for a missing file. */
  private reader(git: GitRunner, commit: string): ReadFile {
    return async (path: string) => {
      checkRepoPath(path);
      const [object] = await this.readBlobs(git, [`${commit}:${path}`]);
      if (!object) {
        return undefined;
      }
      if (object.type !== 'blob') {
        throw new InputError(`${path} is a ${object.type}, not a file`);
      }
      return object.content.toString('utf8');
    };
  }

  async readFile(path: string): Promise<string | undefined> {
    const { git } = await this.ready();
    return this.reader(git, await this.baseHead(git))(path);
  }

  async listDefinitionFiles(): Promise<RepoFile[]> {
    const { git } = await this.ready();
    const head = await this.baseHead(git);
    const args = ['--literal-pathspecs', 'ls-tree', '-r', '-z', head];
    if (this.basePath !== '') {
      args.push('--', this.basePath);
    }
    const { stdout } = await git.run(args);
    const prefix = this.basePath === '' ? '' : `${this.basePath}/`;
    const found: Array<{ path: string; oid: string }> = [];
    for (const line of stdout.toString('utf8').split('\0')) {
      const tab = line.indexOf('\t');
      if (tab === -1) {
        continue;
      }
      const [, type, oid] = line.slice(0, tab).split(' ');
      const path = line.slice(tab + 1);
      if (type !== 'blob' || !path.startsWith(prefix)) {
        continue;
      }
      const segments = path.slice(prefix.length).split('/');
      if (segments.length === 3 && segments[2] === VALUES_FILE) {
        found.push({ path, oid });
      }
    }
    const objects = await this.readBlobs(
      git,
      found.map(f => f.oid),
    );
    return found.map((f, i) => ({
      path: f.path,
      content: objects[i]?.content.toString('utf8') ?? '',
    }));
  }

  /**
   * Always empty: a local repository merges every change the moment it is
   * proposed, so no change ever stays open. (A branch left unmerged can only
   * come from someone else; {@link LocalGitAppsRepository.proposeChange}
   * refuses to overwrite it.)
   */
  async listOpenChanges(): Promise<OpenChange[]> {
    return [];
  }

  /**
   * Every suite branch (`refs/heads/dbaas/...`) as a change: `merged` when
   * the base branch contains it (every change this repository proposes, as
   * it merges at once), `open` when not (a branch someone pushed). Number
   * and URL are those `proposeChange` returned; the dates are those of the
   * branch's head commit (author date for `createdAt`, committer date for
   * the others), so `updatedSince` compares committer dates. A sync with
   * nothing new costs one `git for-each-ref`.
   */
  async listChanges(
    options: { updatedSince?: Date } = {},
  ): Promise<SuiteChange[]> {
    const { git } = await this.ready();
    return this.changes.list(git, options.updatedSince);
  }

  async previewChange(change: AppsRepoChange): Promise<ChangePreview> {
    const { git } = await this.ready();
    const baseSha = await this.baseHead(git);
    const read = this.reader(git, baseSha);
    const edits = checkEdits(await change.edit(read));
    return { edits, diff: await unifiedDiff(edits, read), baseSha };
  }

  // ---------------------------------------------------------------- writing

  async proposeChange(change: AppsRepoChange): Promise<ProposedChange> {
    const branch = change.branchName;
    if (
      typeof branch !== 'string' ||
      !branch.startsWith(DBAAS_BRANCH_PREFIX) ||
      branch === this.baseBranch
    ) {
      throw new InputError(
        `Branch ${JSON.stringify(String(branch)).slice(
          0,
          200,
        )} must start with ${DBAAS_BRANCH_PREFIX}`,
      );
    }
    const { git } = await this.ready();
    const valid = await git.exec(['check-ref-format', `refs/heads/${branch}`]);
    if (valid.code !== 0) {
      throw new InputError(
        `${JSON.stringify(branch).slice(0, 200)} is not a valid branch name`,
      );
    }
    // One proposal at a time in this process; other writers (processes,
    // people) are handled by the compare-and-swap below.
    const run = this.queue.then(() => this.proposeNow(git, change));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async proposeNow(
    git: GitRunner,
    change: AppsRepoChange,
  ): Promise<ProposedChange> {
    const branchRef = `refs/heads/${change.branchName}`;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const baseSha = await this.baseHead(git);
      const branchSha = await this.resolveRef(git, branchRef);
      const branchMerged =
        branchSha !== undefined &&
        (await this.isAncestor(git, branchSha, baseSha));
      if (branchSha !== undefined && !branchMerged) {
        throw new ConflictError(
          `Branch ${change.branchName} already exists in ${this.path} and is not merged into ${this.baseBranch}; it was not made by this suite's local repository, so it is left alone. Merge or delete it, then retry.`,
        );
      }

      let edits: FileEdit[];
      try {
        edits = checkEdits(await change.edit(this.reader(git, baseSha)));
      } catch (error) {
        // A retry after success: the change is already there.
        const name = errorName(error);
        if (
          branchMerged &&
          (name === 'ConflictError' || name === 'NotFoundError')
        ) {
          return this.result(git, change.branchName, branchSha!);
        }
        throw error;
      }

      const baseTree = await git.text(['rev-parse', `${baseSha}^{tree}`]);
      const tree = await this.buildTree(git, baseSha, edits);
      if (tree === baseTree) {
        if (branchMerged) {
          return this.result(git, change.branchName, branchSha!);
        }
        // Already as asked, and never proposed before: record the branch at
        // the base head so that a retry finds it.
        if (
          await this.updateRefs(git, change.branchName, [
            { ref: branchRef, newSha: baseSha, oldSha: branchSha },
          ])
        ) {
          return this.result(git, change.branchName, baseSha);
        }
        continue;
      }

      const commit = await git.text(
        ['commit-tree', '--no-gpg-sign', tree, '-p', baseSha, '-F', '-'],
        { input: commitMessage(change) },
      );
      const published = await this.updateRefs(git, change.branchName, [
        { ref: branchRef, newSha: commit, oldSha: branchSha },
        { ref: this.baseRef, newSha: commit, oldSha: baseSha },
      ]);
      if (published) {
        this.logger?.info(
          `Merged ${change.branchName} into ${this.baseBranch} of ${this.path} as ${commit}`,
        );
        await this.syncWorkTree(baseSha, commit);
        return this.result(git, change.branchName, commit);
      }
      this.logger?.debug(
        `${this.baseBranch} of ${this.path} moved while writing ${change.branchName}; rebuilding (attempt ${attempt})`,
      );
      await delay(Math.floor(Math.random() * 20 * attempt));
    }
    throw new ConflictError(
      `Could not merge ${change.branchName}: ${this.baseBranch} of ${this.path} kept moving during ${this.maxAttempts} attempts; retry later`,
    );
  }

  private async isAncestor(
    git: GitRunner,
    ancestor: string,
    descendant: string,
  ): Promise<boolean> {
    const { code } = await git.run(
      ['merge-base', '--is-ancestor', ancestor, descendant],
      { okCodes: [0, 1] },
    );
    return code === 0;
  }

  /** The tree of `baseSha` with `edits` applied, built in a temporary index. */
  private async buildTree(
    git: GitRunner,
    baseSha: string,
    edits: FileEdit[],
  ): Promise<string> {
    await this.checkShapes(git, baseSha, edits);
    const dir = await mkdtemp(join(tmpdir(), 'dbaas-index-'));
    const env = { GIT_INDEX_FILE: join(dir, 'index') };
    try {
      await git.run(['read-tree', baseSha], { env });
      const zeroOid = '0'.repeat(baseSha.length);
      const entries: string[] = [];
      for (const edit of edits) {
        if (edit.content === null) {
          entries.push(`0 ${zeroOid}\t${edit.path}`);
        } else {
          const blob = await git.text(['hash-object', '-w', '--stdin'], {
            input: edit.content,
          });
          entries.push(`100644 ${blob}\t${edit.path}`);
        }
      }
      if (entries.length > 0) {
        await git.run(['update-index', '-z', '--index-info'], {
          env,
          input: `${entries.join('\0')}\0`,
        });
      }
      return await git.text(['write-tree'], { env });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * Refuses edits that would silently turn a file into a folder or a folder
   * into a file (git would replace one with the other), so nothing is lost.
   */
  private async checkShapes(
    git: GitRunner,
    baseSha: string,
    edits: FileEdit[],
  ): Promise<void> {
    const checks: Array<{ path: string; expect: 'tree' | 'blob' }> = [];
    for (const edit of edits) {
      const segments = edit.path.split('/');
      for (let i = 1; i < segments.length; i++) {
        checks.push({ path: segments.slice(0, i).join('/'), expect: 'tree' });
      }
      checks.push({ path: edit.path, expect: 'blob' });
    }
    const { stdout } = await git.run(['cat-file', '--batch-check'], {
      input: `${checks.map(c => `${baseSha}:${c.path}`).join('\n')}\n`,
    });
    const answers = stdout.toString('utf8').split('\n');
    checks.forEach((check, i) => {
      const type = /^[0-9a-f]+ (\S+) \d+$/.exec(answers[i] ?? '')?.[1];
      if (type !== undefined && type !== check.expect) {
        throw new InputError(
          `Cannot write the change: ${check.path} is a ${
            type === 'tree' ? 'folder' : 'file'
          } in ${this.baseBranch}`,
        );
      }
    });
  }

  /**
   * Moves refs in one atomic transaction, each only if it still points at
   * `oldSha` (or does not exist, when `oldSha` is undefined). Returns false
   * when another writer got there first.
   */
  private async updateRefs(
    git: GitRunner,
    branch: string,
    updates: Array<{ ref: string; newSha: string; oldSha?: string }>,
  ): Promise<boolean> {
    const commands = updates.map(u =>
      u.oldSha === undefined
        ? `create ${u.ref} ${u.newSha}`
        : `update ${u.ref} ${u.newSha} ${u.oldSha}`,
    );
    const result = await git.exec(
      ['update-ref', '-m', `dbaas: merge ${branch}`, '--stdin'],
      { input: `${commands.join('\n')}\n` },
    );
    if (result.code === 0) {
      return true;
    }
    for (const u of updates) {
      if ((await this.resolveRef(git, u.ref)) !== u.oldSha) {
        return false; // lost the race
      }
    }
    if (
      /cannot lock ref|unable to create .*\.lock|file exists/i.test(
        result.stderr,
      )
    ) {
      return false; // another writer holds the ref's lock right now
    }
    throw new ForwardedError(
      `git update-ref failed in ${this.path} while merging ${branch}`,
      new Error(
        result.stderr.trim().split('\n')[0] || `exit code ${result.code}`,
      ),
    );
  }

  /**
   * When the base branch is checked out and the index and work tree were
   * clean at `oldSha`, moves them to `newSha` (a two-tree merge, as
   * `git checkout` does; untracked files are never overwritten). Otherwise
   * leaves them alone: they belong to whoever is working there.
   */
  private async syncWorkTree(oldSha: string, newSha: string): Promise<void> {
    const { git, bare } = await this.ready();
    if (bare) {
      return;
    }
    try {
      const head = await git.exec(['symbolic-ref', '-q', 'HEAD']);
      if (
        head.code !== 0 ||
        head.stdout.toString('utf8').trim() !== this.baseRef
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
        this.logger?.warn(
          `The work tree of ${this.path} has local changes; ${this.baseBranch} moved to ${newSha} but the work tree was left as is`,
        );
        return;
      }
      await git.run(['read-tree', '-u', '-m', oldSha, newSha]);
    } catch (error) {
      this.logger?.warn(
        `Could not update the work tree of ${this.path} to ${newSha}: ${
          isError(error) ? error.message : String(error)
        }`,
      );
    }
  }

  private async result(
    git: GitRunner,
    branchName: string,
    commitSha: string,
  ): Promise<ProposedChange> {
    const count = await git.text(['rev-list', '--count', commitSha]);
    return {
      url: `${pathToFileURL(this.path).href}#${commitSha}`,
      number: Number(count),
      branchName,
      merged: true,
      commitSha,
    };
  }
}
