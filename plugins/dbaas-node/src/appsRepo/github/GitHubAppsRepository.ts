import { posix } from 'node:path';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  ConflictError,
  ForwardedError,
  InputError,
  NotFoundError,
  isError,
} from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { Octokit } from '@octokit/rest';
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
  RepoFile,
  SuiteChange,
} from '../types';
import { CommitHead, GitHubApi, NewTreeEntry, PullInfo } from './GitHubApi';
import { parseGitHubRepoUrl } from './repoUrl';
import { GitHubRetryOptions, installGitHubRetries } from './retry';
import { Revision, gitBlobSha } from './revision';
import { DEFAULT_MAX_CHANGE_PAGES, listSuiteChanges } from './suiteChanges';
import { checkEdits, checkRepoPath } from '../repoPaths';

/**
 * Trailer every commit of the suite carries (`Dbaas-Change: <branch>`), so
 * that a branch can be recognised as the suite's own before it is updated.
 *
 * @public
 */
export const DBAAS_CHANGE_TRAILER = 'Dbaas-Change';

const VALUES_FILE = 'values.yaml';
const OPEN_CHANGE_FILES = new Set(['values.yaml', 'application.yaml']);
const DEFAULT_MAX_ROUNDS = 5;

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
   * Pages of 100 pull requests {@link GitHubAppsRepository.listChanges}
   * reads at most (default 10: the 1000 most recently updated).
   */
  maxChangePages?: number;
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
}

/** The branch moved under us (or vanished): build the round again. */
class BranchMoved extends Error {}

function trailer(branch: string) {
  return `${DBAAS_CHANGE_TRAILER}: ${branch}`;
}

function withTrailer(message: string, branch: string): string {
  const text = String(message || branch).trimEnd();
  return text.split('\n').includes(trailer(branch))
    ? `${text}\n`
    : `${text}\n\n${trailer(branch)}\n`;
}

function hasTrailer(message: string, branch: string): boolean {
  return message.split('\n').some(line => line.trim() === trailer(branch));
}

function httpStatus(error: unknown): number | undefined {
  const e = error as { status?: unknown; request?: unknown };
  return typeof e?.status === 'number' && e.request ? e.status : undefined;
}

async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return results;
}

/**
 * The apps repository on GitHub or GitHub Enterprise. A change becomes one
 * branch and one pull request, written with the Git Data API in as few calls
 * as possible. For a new database folder (values.yaml + application.yaml):
 *
 * 1. `GET /branches/{base}` - the base head commit and its tree
 * 2. `GET /git/trees/{tree}?recursive=1` - on the edit's first read; files
 *    that do not exist cost nothing more, existing ones one blob each
 * 3. `POST /git/trees` - `base_tree` plus inline contents (no blob calls)
 * 4. `POST /git/commits`
 * 5. `POST /git/refs` - the branch
 * 6. `POST /pulls` - whose `base.sha` tells for free whether the base moved
 *
 * then labels and reviewers, only when asked. Retries are safe: the branch
 * name is deterministic, "Reference already exists" and "A pull request
 * already exists" lead to the existing branch and pull request, a branch
 * made by the suite (its commits carry `Dbaas-Change: <branch>`) is brought
 * up to date with a merge commit and a fast-forward update, never a force
 * push, and a branch someone else pushed to is left alone with a
 * `ConflictError`.
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
    const { host, owner, repo } = parseGitHubRepoUrl(repoUrl);
    const integrations = ScmIntegrations.fromConfig(config);
    const integration = integrations.github.byHost(host);
    if (!integration) {
      throw new InputError(
        `No GitHub integration for ${host}: add one under integrations.github in the app config`,
      );
    }
    const apiBaseUrl = integration.config.apiBaseUrl;
    if (!apiBaseUrl) {
      throw new InputError(
        `The GitHub integration for ${host} needs an apiBaseUrl (e.g. https://${host}/api/v3)`,
      );
    }
    const credentials =
      options.credentialsProvider ??
      DefaultGithubCredentialsProvider.fromIntegrations(integrations);
    const octokit = new Octokit({
      baseUrl: apiBaseUrl,
      userAgent: 'backstage-dbaas',
    });
    const url = `https://${host}/${owner}/${repo}`;
    // Fresh credentials per attempt: GitHub App tokens expire.
    octokit.hook.before('request', async request => {
      const { headers } = await credentials.getCredentials({ url });
      for (const [name, value] of Object.entries(headers ?? {})) {
        request.headers[name.toLowerCase()] = value;
      }
    });
    return new GitHubAppsRepository({
      octokit,
      owner,
      repo,
      baseBranch: options.baseBranch ?? gitops?.getOptionalString('baseBranch'),
      basePath: options.basePath ?? gitops?.getOptionalString('basePath'),
      logger: options.logger,
      retry: options.retry,
    });
  }

  readonly baseBranch: string;
  /** Normalized base path, `''` for the root. */
  readonly basePath: string;
  readonly owner: string;
  readonly repo: string;

  readonly #api: GitHubApi;
  readonly #logger?: LoggerService;
  readonly #maxRounds: number;
  readonly #maxChangePages: number;

  constructor(options: GitHubAppsRepositoryOptions) {
    installGitHubRetries(options.octokit, options.retry, options.logger);
    this.owner = options.owner;
    this.repo = options.repo;
    this.baseBranch = options.baseBranch ?? 'main';
    this.basePath = normalizeBasePath(options.basePath);
    this.#api = new GitHubApi(options.octokit, options.owner, options.repo);
    this.#logger = options.logger;
    this.#maxRounds = Math.max(1, options.maxRebuilds ?? DEFAULT_MAX_ROUNDS);
    this.#maxChangePages = Math.max(
      1,
      options.maxChangePages ?? DEFAULT_MAX_CHANGE_PAGES,
    );
  }

  get #slug() {
    return `${this.owner}/${this.repo}`;
  }

  // ------------------------------------------------------------- reading

  async readFile(path: string): Promise<string | undefined> {
    checkRepoPath(path);
    return this.#guard(
      `Could not read ${path}`,
      async () => (await this.#api.getFile(path, this.baseBranch))?.content,
    );
  }

  async listDefinitionFiles(): Promise<RepoFile[]> {
    return this.#guard('Could not list the database definitions', async () => {
      const head = await this.#api.getBranch(this.baseBranch);
      const found = await this.#definitionBlobs(head.treeSha);
      const contents = await mapLimit(found, 8, f => this.#api.getBlob(f.sha));
      return found.map((f, i) => ({ path: f.path, content: contents[i] }));
    });
  }

  async listOpenChanges(): Promise<OpenChange[]> {
    return this.#guard('Could not list the open changes', async () => {
      const pulls = (await this.#api.listOpenPulls(this.baseBranch)).filter(
        p =>
          p.headRef?.startsWith(DBAAS_BRANCH_PREFIX) &&
          (!p.headRepo ||
            p.headRepo.toLowerCase() === this.#slug.toLowerCase()),
      );
      return mapLimit(pulls, 4, async pull => {
        const files = (await this.#api.listPullFiles(pull.number)).filter(
          f =>
            f.status !== 'removed' &&
            OPEN_CHANGE_FILES.has(posix.basename(f.filename)),
        );
        const contents = await Promise.all(
          files.map(f => this.#api.getBlob(f.sha)),
        );
        return {
          number: pull.number,
          url: pull.url,
          branchName: pull.headRef,
          title: pull.title,
          files: files.map((f, i) => ({
            path: f.filename,
            content: contents[i],
          })),
        };
      });
    });
  }

  /**
   * The suite's pull requests against the base branch, most recently
   * updated first, forks ignored: one call per 100 pull requests; with
   * `updatedSince` paging stops at the first older one (a sync with nothing
   * new costs one call); at most `maxChangePages` pages (default 10). See
   * `listSuiteChanges` for the details.
   */
  async listChanges(
    options: { updatedSince?: Date } = {},
  ): Promise<SuiteChange[]> {
    return this.#guard('Could not list the changes', () =>
      listSuiteChanges({
        octokit: this.#api.octokit,
        owner: this.owner,
        repo: this.repo,
        base: this.baseBranch,
        updatedSince: options.updatedSince,
        maxPages: this.#maxChangePages,
        logger: this.#logger,
      }),
    );
  }

  async previewChange(change: AppsRepoChange): Promise<ChangePreview> {
    return this.#guard(`Could not preview ${change.branchName}`, async () => {
      const head = await this.#api.getBranch(this.baseBranch);
      const revision = new Revision(this.#api, head);
      const edits = checkEdits(await change.edit(revision.read));
      return {
        edits,
        diff: await unifiedDiff(edits, revision.read),
        baseSha: head.commitSha,
      };
    });
  }

  // ------------------------------------------------------------- writing

  async proposeChange(change: AppsRepoChange): Promise<ProposedChange> {
    const branch = this.#checkBranch(change.branchName);
    return this.#guard(`Could not propose ${branch} to ${this.#slug}`, () =>
      this.#propose(change, branch),
    );
  }

  async #propose(
    change: AppsRepoChange,
    branch: string,
  ): Promise<ProposedChange> {
    let revision = new Revision(
      this.#api,
      await this.#api.getBranch(this.baseBranch),
    );
    /** Head of our branch once this call wrote or verified it. */
    let ours: string | undefined;
    let pull: PullInfo | undefined;
    for (let round = 1; round <= this.#maxRounds; round++) {
      const head = revision.head;
      let edits: FileEdit[];
      try {
        edits = checkEdits(await change.edit(revision.read));
      } catch (error) {
        const done = await this.#alreadyMerged(branch, error);
        if (done) return done;
        throw error;
      }
      const entries = await this.#treeEntries(revision, edits);
      const tree = entries.length
        ? await this.#api.createTree(head.treeSha, entries)
        : head.treeSha;
      if (tree === head.treeSha) {
        // The base already has these files (someone merged the same content).
        return pull && ours
          ? this.#finish(change, branch, pull, ours)
          : this.#nothingToChange(branch);
      }

      try {
        ours = ours
          ? await this.#rebuild(branch, ours, head, tree)
          : await this.#writeBranch(change, branch, head, edits, tree);
      } catch (error) {
        if (!(error instanceof BranchMoved)) throw error;
        ours = undefined;
        revision = new Revision(
          this.#api,
          await this.#api.getBranch(this.baseBranch),
        );
        continue;
      }

      const fresh = !pull;
      pull = pull ?? (await this.#openPull(change, branch));
      const moved = await this.#movedBase(
        revision,
        edits,
        fresh ? pull.baseSha : undefined,
      );
      if (!moved) return this.#finish(change, branch, pull, ours);
      this.#logger?.info(
        `${this.baseBranch} of ${this.#slug} moved to ${
          moved.commitSha
        } while ${branch} was written; rebuilding it on the new head`,
      );
      revision = moved;
    }
    throw new ConflictError(
      `${this.baseBranch} of ${
        this.#slug
      } kept moving while ${branch} was written (${
        this.#maxRounds
      } rounds); retry later`,
    );
  }

  /** Tree entries of the edits; deleting a file that is not there is skipped. */
  async #treeEntries(
    revision: Revision,
    edits: FileEdit[],
  ): Promise<NewTreeEntry[]> {
    const entries: NewTreeEntry[] = [];
    for (const edit of edits) {
      if (edit.content !== null) {
        entries.push({
          path: edit.path,
          mode: '100644',
          type: 'blob',
          content: edit.content,
        });
      } else if ((await revision.blobSha(edit.path)) !== null) {
        entries.push({
          path: edit.path,
          mode: '100644',
          type: 'blob',
          sha: null,
        });
      }
    }
    return entries;
  }

  /** Creates the branch, or reconciles it with an existing one of the same name. */
  async #writeBranch(
    change: AppsRepoChange,
    branch: string,
    head: CommitHead,
    edits: FileEdit[],
    tree: string,
  ): Promise<string> {
    const commit = await this.#api.createCommit(
      withTrailer(change.commitMessage, branch),
      tree,
      [head.commitSha],
    );
    if ((await this.#api.createBranch(branch, commit)) === 'created') {
      return commit;
    }
    // The branch exists: a retry of this change, or an older change of the
    // same name, or (rarely) someone else's work.
    const existing = await this.#api.getBranchSha(branch);
    if (!existing) throw new BranchMoved();
    if (await this.#hasContent(existing, tree, edits)) return existing;

    const comparison = await this.#api.compare(head.commitSha, existing);
    const foreign = comparison.commits.filter(
      c => !hasTrailer(c.message, branch),
    );
    if (foreign.length > 0 || comparison.aheadBy > comparison.commits.length) {
      throw new ConflictError(
        `Branch ${branch} of ${
          this.#slug
        } has commits that were not made by this suite (${
          foreign.map(c => c.sha.slice(0, 7)).join(', ') || 'too many to check'
        }); it is left untouched. Merge or close its pull request, or delete the branch, then retry.`,
      );
    }
    if (comparison.aheadBy === 0) {
      // Nothing on the branch that the base lacks (an old, merged change).
      if ((await this.#api.fastForwardBranch(branch, commit)) === 'updated') {
        return commit;
      }
      throw new BranchMoved();
    }
    return this.#rebuild(branch, existing, head, tree);
  }

  /**
   * Brings our branch up to date without rewriting it: a merge commit of the
   * branch head and the new base head, holding the rebuilt tree, then a
   * fast-forward update.
   */
  async #rebuild(
    branch: string,
    branchHead: string,
    head: CommitHead,
    tree: string,
  ) {
    const merge = await this.#api.createCommit(
      withTrailer(
        `Rebuild ${branch} on ${this.baseBranch} (${head.commitSha.slice(
          0,
          7,
        )})\n\n` +
          `${this.baseBranch} moved; the change was computed again on its new head.`,
        branch,
      ),
      tree,
      [branchHead, head.commitSha],
    );
    if ((await this.#api.fastForwardBranch(branch, merge)) === 'updated') {
      return merge;
    }
    throw new BranchMoved();
  }

  /** Whether the branch already holds exactly the edited files. */
  async #hasContent(branchHead: string, tree: string, edits: FileEdit[]) {
    if ((await this.#api.getCommitTree(branchHead)) === tree) return true;
    const same = await Promise.all(
      edits.map(async edit => {
        const file = await this.#api.getFile(edit.path, branchHead);
        return edit.content === null
          ? file === undefined
          : file?.sha === gitBlobSha(edit.content);
      }),
    );
    return same.every(Boolean);
  }

  async #openPull(change: AppsRepoChange, branch: string): Promise<PullInfo> {
    const created = await this.#api.createPull({
      head: branch,
      base: this.baseBranch,
      title: change.title,
      body: change.body,
      draft: change.draft ?? false,
    });
    if (created !== 'exists') {
      this.#logger?.info(`Opened ${created.url} for ${branch}`);
      return created;
    }
    const open = await this.#api.findPull(branch, this.baseBranch, 'open');
    if (!open) {
      throw new ConflictError(
        `GitHub reports a pull request for ${branch} in ${
          this.#slug
        }, but none is open`,
      );
    }
    return open;
  }

  /**
   * The new base revision when the base branch moved since `revision` in a
   * way that changes this change (a file it read or writes differs);
   * `undefined` otherwise. `seenBaseSha` is the base head GitHub reported
   * with the pull request: when it is ours, nothing moved and no call is
   * needed. (The edit is a pure function of the files it reads, so the same
   * files give the same edits.)
   */
  async #movedBase(
    revision: Revision,
    edits: FileEdit[],
    seenBaseSha: string | undefined,
  ): Promise<Revision | undefined> {
    if (seenBaseSha === revision.commitSha) return undefined;
    const current = await this.#api.getBranch(this.baseBranch);
    if (current.commitSha === revision.commitSha) return undefined;
    const next = new Revision(this.#api, current);
    const paths = new Set([...revision.seen.keys(), ...edits.map(e => e.path)]);
    for (const path of paths) {
      if ((await revision.blobSha(path)) !== (await next.blobSha(path))) {
        return next;
      }
    }
    return undefined;
  }

  async #finish(
    change: AppsRepoChange,
    branch: string,
    pull: PullInfo,
    commitSha: string,
  ): Promise<ProposedChange> {
    const soft = async (what: string, fn: () => Promise<void>) => {
      try {
        await fn();
      } catch (error) {
        const status = httpStatus(error);
        if (status !== 403 && status !== 404 && status !== 422) throw error;
        this.#logger?.warn(
          `Could not ${what} on ${pull.url}: GitHub answered ${status} (${
            isError(error) ? error.message : String(error)
          })`,
        );
      }
    };
    if (change.labels?.length) {
      await soft('add labels', () =>
        this.#api.addLabels(pull.number, change.labels!),
      );
    }
    const reviewers = change.reviewers ?? [];
    const teams = change.teamReviewers ?? [];
    if (reviewers.length || teams.length) {
      await soft('request reviewers', () =>
        this.#api.requestReviewers(pull.number, reviewers, teams),
      );
    }
    return {
      url: pull.url,
      number: pull.number,
      branchName: branch,
      merged: false,
      commitSha,
    };
  }

  /** A retry after the pull request was merged: the edit now refuses, the change is done. */
  async #alreadyMerged(branch: string, error: unknown) {
    const name = isError(error) ? error.name : undefined;
    if (name !== 'ConflictError' && name !== 'NotFoundError') return undefined;
    const pull = await this.#api
      .findPull(branch, this.baseBranch, 'all')
      .catch(() => undefined);
    return pull?.merged ? this.#result(pull, branch) : undefined;
  }

  async #nothingToChange(branch: string): Promise<ProposedChange> {
    const pull = await this.#api.findPull(branch, this.baseBranch, 'all');
    if (pull?.merged || pull?.open) return this.#result(pull, branch);
    throw new ConflictError(
      `Nothing to propose: ${this.baseBranch} of ${
        this.#slug
      } already has the files of ${branch}`,
    );
  }

  #result(pull: PullInfo, branch: string): ProposedChange {
    return {
      url: pull.url,
      number: pull.number,
      branchName: branch,
      merged: pull.merged,
      commitSha: pull.mergeCommitSha ?? pull.headSha ?? '',
    };
  }

  // ------------------------------------------------------------- helpers

  #checkBranch(branch: unknown): string {
    if (
      typeof branch !== 'string' ||
      !branch.startsWith(DBAAS_BRANCH_PREFIX) ||
      branch === this.baseBranch ||
      !/^[A-Za-z0-9._/-]+$/.test(branch) ||
      /\.\.|\/\/|\/$|\.lock$|\/\.|@\{/.test(branch)
    ) {
      throw new InputError(
        `Invalid branch ${JSON.stringify(String(branch)).slice(
          0,
          200,
        )}: it must start with ${DBAAS_BRANCH_PREFIX} and be a valid git branch name`,
      );
    }
    return branch;
  }

  /** `<basePath>/<namespace>/<folder>/values.yaml` blobs of a tree. */
  async #definitionBlobs(
    treeSha: string,
  ): Promise<{ path: string; sha: string }[]> {
    const prefix = this.basePath === '' ? '' : `${this.basePath}/`;
    const isDefinition = (path: string) => {
      if (!path.startsWith(prefix)) return false;
      const segments = path.slice(prefix.length).split('/');
      return segments.length === 3 && segments[2] === VALUES_FILE;
    };
    const { items, truncated } = await this.#api.getTree(treeSha, true);
    if (!truncated) {
      return [...items.entries()]
        .filter(([path, item]) => item.type === 'blob' && isDefinition(path))
        .map(([path, item]) => ({ path, sha: item.sha }))
        .sort((a, b) => (a.path < b.path ? -1 : 1));
    }
    // A very large repository: walk base path -> namespaces -> folders.
    let level = [{ path: '', sha: treeSha }];
    for (const segment of this.basePath ? this.basePath.split('/') : []) {
      const { items: children } = await this.#api.getTree(level[0].sha, false);
      const child = children.get(segment);
      if (!child || child.type !== 'tree') return [];
      level = [{ path: posix.join(level[0].path, segment), sha: child.sha }];
    }
    for (let depth = 0; depth < 2; depth++) {
      const nextLevel = await mapLimit(level, 8, async dir =>
        [...(await this.#api.getTree(dir.sha, false)).items.entries()]
          .filter(([, item]) => item.type === 'tree')
          .map(([name, item]) => ({
            path: posix.join(dir.path, name),
            sha: item.sha,
          })),
      );
      level = nextLevel.flat();
    }
    const found = await mapLimit(level, 8, async dir => {
      const values = (await this.#api.getTree(dir.sha, false)).items.get(
        VALUES_FILE,
      );
      return values?.type === 'blob'
        ? [{ path: posix.join(dir.path, VALUES_FILE), sha: values.sha }]
        : [];
    });
    return found.flat().sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  /** Adds context to GitHub errors; errors of the change itself pass through. */
  async #guard<T>(context: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      const status = httpStatus(error);
      if (status === undefined) {
        if (isError(error) && error.name === 'ServiceUnavailableError') {
          throw new ForwardedError(context, error);
        }
        throw error;
      }
      const request = (error as { request?: { method?: string; url?: string } })
        .request;
      const call = request?.url
        ? `${request.method} ${new URL(request.url).pathname}`
        : 'a GitHub API call';
      const message = `${context}: GitHub answered ${status} to ${call}`;
      if (status === 404) throw new NotFoundError(message, error);
      if (status === 409 || status === 422)
        throw new ConflictError(message, error);
      throw new ForwardedError(message, error);
    }
  }
}
