import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { GithubCredentialsProvider } from '@backstage/integration';
import { Octokit } from '@octokit/rest';
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
import { withGitHubErrorContext } from './apiErrors';
import { CachedGitObjects } from './CachedGitObjects';
import { ConditionalRequests } from './ConditionalRequests';
import { GitHubApi } from './GitHubApi';
import { GitHubArchiveReader } from './GitHubArchive';
import { GitHubBaseBranchReader } from './GitHubBaseBranchReader';
import { GitHubBranchClaimOptions } from './GitHubBranchClaims';
import { GitObjectCache } from './GitObjectCache';
import { InMemoryGitObjectCache } from './InMemoryGitObjectCache';
import {
  DEFAULT_MAX_CHANGE_PAGES,
  GitHubChangeLister,
} from './GitHubChangeLister';
import {
  GitHubChangeProposer,
  checkGitHubBranchName,
} from './GitHubChangeProposer';
import { octokitFromIntegrations } from './octokitFromIntegrations';
import { parseGitHubRepoUrl } from './repoUrl';
import { GitHubRetryOptions, installGitHubRetries } from './retry';

const DEFAULT_MAX_ROUNDS = 5;
/** See {@link GitHubAppsRepositoryOptions.archiveThreshold}. */
const DEFAULT_ARCHIVE_THRESHOLD = 50;

function checkArchiveThreshold(value: number | undefined): number {
  if (value === undefined) return DEFAULT_ARCHIVE_THRESHOLD;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new InputError(
      `archiveThreshold (dbaas.gitops.archiveThreshold) must be a number of files, 0 or more; got ${value}`,
    );
  }
  return value;
}

/**
 * Options of {@link GitHubAppsRepository}'s constructor.
 *
 * @public
 */
export interface GitHubAppsRepositoryOptions {
  /** An Octokit 19 client; a retry hook is installed on it. */
  octokit: Octokit;
  owner: string;
  repo: string;
  /** Defaults to `main`. */
  baseBranch?: string;
  /** Folder holding the namespaces; defaults to the repository root. */
  basePath?: string;
  logger?: LoggerService;
  retry?: GitHubRetryOptions;
  /** How many times a change is rebuilt on a base branch that keeps moving (default 5). */
  maxRebuilds?: number;
  /**
   * When another request's branch of the same name counts as under way
   * rather than abandoned (see {@link GitHubBranchClaimOptions}).
   */
  claims?: GitHubBranchClaimOptions;
  /**
   * Pages of 100 pull requests {@link GitHubAppsRepository.listChanges}
   * reads at most (default 10: the 1000 most recently updated).
   */
  maxChangePages?: number;
  /**
   * Where blobs and tree listings read from GitHub are kept, by sha; by
   * default an {@link InMemoryGitObjectCache} of this instance. Pass a
   * shared one (the dbaas backend's `DatabaseGitObjectCache`) so that a
   * restart or another replica reads only what changed.
   */
  objectCache?: GitObjectCache;
  /**
   * When listing the definitions finds more than this many `values.yaml`
   * blobs missing from {@link GitHubAppsRepositoryOptions.objectCache} (a
   * new installation, an emptied cache, a merge of many changes), they are
   * read from the commit's archive (`GET /repos/{o}/{r}/tarball/{sha}`):
   * one API call, whose download does not count against the rate limit,
   * instead of one `GET /git/blobs/{sha}` each. Each file is checked
   * against its blob sha; what does not match or is not there is read by
   * blob. Default 50: below it the blobs cost at most 50 calls (1 % of
   * 5,000 an hour) and transfer only those files, where the archive
   * transfers the whole repository; above it the one call wins. `0` uses
   * the archive whenever a blob is missing, `Infinity` never.
   */
  archiveThreshold?: number;
}

/**
 * Options of {@link GitHubAppsRepository.fromConfig}; each falls back to
 * `dbaas.gitops.*`.
 *
 * @public
 */
export interface GitHubAppsRepositoryConfigOptions {
  /** `https://github.com/acme/apps` or `github.com?owner=acme&repo=apps`. */
  repoUrl?: string;
  baseBranch?: string;
  basePath?: string;
  logger?: LoggerService;
  retry?: GitHubRetryOptions;
  /** Defaults to `DefaultGithubCredentialsProvider` (token or GitHub App). */
  credentialsProvider?: GithubCredentialsProvider;
  /** See {@link GitHubAppsRepositoryOptions.objectCache}. */
  objectCache?: GitObjectCache;
  /**
   * See {@link GitHubAppsRepositoryOptions.archiveThreshold}; falls back to
   * `dbaas.gitops.archiveThreshold`.
   */
  archiveThreshold?: number;
}

/**
 * The apps repository on GitHub or GitHub Enterprise. A change becomes one
 * branch and one pull request, written with the Git Data API in as few calls
 * as possible. For a new database folder (values.yaml + application.yaml):
 *
 * 1. `GET /branches/{base}` - the base head commit and its tree; skipped
 *    when the change names a base commit it knows (`baseSha`, e.g. the
 *    inventory's), whose tree listing gives the root tree too
 * 2. `GET /git/trees/{tree}?recursive=1` - on the edit's first read; files
 *    that do not exist cost nothing more, existing ones one blob each
 * 3. `POST /git/trees` - `base_tree` plus inline contents (no blob calls)
 * 4. `POST /git/commits` - with `Dbaas-Change` and `Dbaas-Task` trailers
 * 5. `POST /git/refs` - the branch, one per database: the lock
 * 6. `POST /pulls` - whose `base.sha` tells for free whether the base moved
 *    (when it did, one compare tells whether the change's files did)
 *
 * then labels and reviewers, only when asked. Retries are safe: the branch
 * name is deterministic, "Reference already exists" and "A pull request
 * already exists" lead to the existing branch and pull request, a branch
 * of the same task (its commits carry `Dbaas-Change: <branch>` and
 * `Dbaas-Task: <task>`) is brought up to date with a merge commit and a
 * fast-forward update, never a force push; another task's branch is
 * refused while its request holds it and taken over (fast forward from its
 * head) once it is finished or abandoned (see `GitHubBranchClaims`); a
 * branch someone else pushed to is left alone with a `ConflictError`.
 *
 * @public
 */
export class GitHubAppsRepository implements AppsRepository {
  /**
   * Connects through Backstage's `integrations.github` (token or GitHub App,
   * `apiBaseUrl` for GitHub Enterprise). Options fall back to
   * `dbaas.gitops.repoUrl`, `dbaas.gitops.baseBranch`, `dbaas.gitops.basePath`.
   */
  static fromConfig(
    config: Config,
    options: GitHubAppsRepositoryConfigOptions = {},
  ): GitHubAppsRepository {
    const gitops = config.getOptionalConfig('dbaas.gitops');
    const repoUrl = options.repoUrl ?? gitops?.getOptionalString('repoUrl');
    if (!repoUrl) {
      throw new InputError(
        'No apps repository configured: set dbaas.gitops.repoUrl (e.g. https://github.com/acme/apps)',
      );
    }
    const ref = parseGitHubRepoUrl(repoUrl);
    return new GitHubAppsRepository({
      octokit: octokitFromIntegrations(
        config,
        ref,
        options.credentialsProvider,
      ),
      owner: ref.owner,
      repo: ref.repo,
      baseBranch: options.baseBranch ?? gitops?.getOptionalString('baseBranch'),
      basePath: options.basePath ?? gitops?.getOptionalString('basePath'),
      logger: options.logger,
      retry: options.retry,
      objectCache: options.objectCache,
      archiveThreshold:
        options.archiveThreshold ??
        gitops?.getOptionalNumber('archiveThreshold'),
    });
  }

  readonly baseBranch: string;
  /** Normalized base path, `''` for the root. */
  readonly basePath: string;
  readonly owner: string;
  readonly repo: string;

  // One collaborator per concern, split like LocalGitAppsRepository's:
  // reading the base branch, listing the suite's changes, proposing one.
  // GitHubApi (with retry.ts) is the transport; errors get their context
  // here, in one place.
  readonly #reader: GitHubBaseBranchReader;
  readonly #changes: GitHubChangeLister;
  readonly #proposer: GitHubChangeProposer;

  constructor(options: GitHubAppsRepositoryOptions) {
    installGitHubRetries(options.octokit, options.retry, options.logger);
    this.owner = options.owner;
    this.repo = options.repo;
    this.baseBranch = options.baseBranch ?? 'main';
    this.basePath = normalizeBasePath(options.basePath);
    const api = new GitHubApi(options.octokit, options.owner, options.repo);
    // The inventory's reads: conditional requests for what a sync repeats,
    // git objects by sha through the cache.
    const conditional = new ConditionalRequests(options.octokit);
    const objects = new CachedGitObjects(
      api,
      options.objectCache ?? new InMemoryGitObjectCache(),
      options.logger,
    );
    this.#reader = new GitHubBaseBranchReader(
      api,
      this.baseBranch,
      this.basePath,
      objects,
      conditional,
      {
        reader: new GitHubArchiveReader(api, { logger: options.logger }),
        threshold: checkArchiveThreshold(options.archiveThreshold),
      },
    );
    this.#changes = new GitHubChangeLister({
      api,
      objects,
      conditional,
      baseBranch: this.baseBranch,
      maxPages: Math.max(1, options.maxChangePages ?? DEFAULT_MAX_CHANGE_PAGES),
      logger: options.logger,
    });
    this.#proposer = new GitHubChangeProposer({
      api,
      baseBranch: this.baseBranch,
      maxRounds: Math.max(1, options.maxRebuilds ?? DEFAULT_MAX_ROUNDS),
      claims: options.claims,
      logger: options.logger,
    });
  }

  get #slug() {
    return `${this.owner}/${this.repo}`;
  }

  async readFile(path: string): Promise<string | undefined> {
    return withGitHubErrorContext(`Could not read ${path}`, () =>
      this.#reader.readFile(path),
    );
  }

  /**
   * Every definition on the base branch. While the branch has not moved
   * this costs one conditional call answered `304`; after a move, the
   * branch, the tree listing unless the object cache holds it, and one blob
   * per definition file the cache does not hold (see
   * {@link GitHubAppsRepositoryOptions.objectCache}), or one archive of the
   * commit when more than `archiveThreshold` are missing.
   */
  async listDefinitionFiles(): Promise<RepoFile[]> {
    return withGitHubErrorContext(
      'Could not list the database definitions',
      () => this.#reader.listDefinitionFiles(),
    );
  }

  get listedBaseSha(): string | undefined {
    return this.#reader.listedCommitSha;
  }

  async listOpenChanges(): Promise<OpenChange[]> {
    return withGitHubErrorContext('Could not list the open changes', () =>
      this.#changes.listOpen(),
    );
  }

  /**
   * The suite's pull requests against the base branch, most recently
   * updated first, forks ignored: one call per 100 pull requests; with
   * `updatedSince` paging stops at the first older one (a sync with nothing
   * new costs one call, a conditional one answered `304` when no pull
   * request of the base branch changed); at most `maxChangePages` pages
   * (default 10). See `listSuiteChanges` for the details.
   */
  async listChanges(
    options: { updatedSince?: Date } = {},
  ): Promise<SuiteChange[]> {
    return withGitHubErrorContext('Could not list the changes', () =>
      this.#changes.list(options.updatedSince),
    );
  }

  async previewChange(change: AppsRepoChange): Promise<ChangePreview> {
    return withGitHubErrorContext(
      `Could not preview ${change.branchName}`,
      () => this.#proposer.preview(change),
    );
  }

  async proposeChange(change: AppsRepoChange): Promise<ProposedChange> {
    const branch = checkGitHubBranchName(change.branchName, this.baseBranch);
    return withGitHubErrorContext(
      `Could not propose ${branch} to ${this.#slug}`,
      () => this.#proposer.propose(change, branch),
    );
  }
}
