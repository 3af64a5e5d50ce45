import { resolve } from 'node:path';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { normalizeBasePath } from '../../definitions/databaseChanges';
import {
  AppsRepoChange,
  AppsRepository,
  ChangePreview,
  OpenChange,
  ProposedChange,
  RepoFile,
  SuiteChange,
} from '../types';
import { LocalBaseBranchReader } from './LocalBaseBranchReader';
import { LocalChangeLister } from './LocalChangeLister';
import { LocalChangeProposer } from './LocalChangeProposer';
import { LocalRepoConnection } from './LocalRepoConnection';

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

  // One collaborator per concern, split like GitHubAppsRepository's:
  // reading the base branch, listing the suite's changes, proposing one.
  // LocalRepoConnection (with git.ts) is the transport.
  readonly #reader: LocalBaseBranchReader;
  readonly #changes: LocalChangeLister;
  readonly #proposer: LocalChangeProposer;

  constructor(options: LocalGitAppsRepositoryOptions) {
    if (typeof options.path !== 'string' || options.path.trim() === '') {
      throw new InputError('The local apps repository needs a path');
    }
    this.path = resolve(options.path);
    this.baseBranch = options.baseBranch ?? 'main';
    this.basePath = normalizeBasePath(options.basePath);
    const connection = new LocalRepoConnection(
      this.path,
      this.baseBranch,
      options.author ?? DEFAULT_AUTHOR,
    );
    this.#reader = new LocalBaseBranchReader(connection, this.basePath);
    this.#changes = new LocalChangeLister(connection);
    this.#proposer = new LocalChangeProposer(connection, {
      maxAttempts: Math.max(1, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
      logger: options.logger,
    });
  }

  async readFile(path: string): Promise<string | undefined> {
    return this.#reader.readFile(path);
  }

  async listDefinitionFiles(): Promise<RepoFile[]> {
    return this.#reader.listDefinitionFiles();
  }

  get listedBaseSha(): string | undefined {
    return this.#reader.listedCommitSha;
  }

  /**
   * Always empty: a local repository merges every change the moment it is
   * proposed, so no change ever stays open. (A branch left unmerged can only
   * come from someone else; {@link LocalGitAppsRepository.proposeChange}
   * refuses to overwrite it.)
   */
  async listOpenChanges(): Promise<OpenChange[]> {
    return this.#changes.listOpen();
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
    return this.#changes.list(options.updatedSince);
  }

  async previewChange(change: AppsRepoChange): Promise<ChangePreview> {
    return this.#proposer.preview(change);
  }

  async proposeChange(change: AppsRepoChange): Promise<ProposedChange> {
    return this.#proposer.propose(change);
  }
}
