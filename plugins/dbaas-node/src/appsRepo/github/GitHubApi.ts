import { NotFoundError } from '@backstage/errors';
import type { Octokit } from '@octokit/rest';

/** A commit and its root tree. */
export interface CommitHead {
  commitSha: string;
  treeSha: string;
}

/** A blob (or other object) of a recursive tree listing. */
export interface TreeItem {
  sha: string;
  type: string;
  mode: string;
}

/** The pull request fields the repository needs. */
export interface PullInfo {
  number: number;
  url: string;
  title: string;
  headRef: string;
  headSha?: string;
  /** Head of the base branch as GitHub saw it for this pull request. */
  baseSha?: string;
  open: boolean;
  merged: boolean;
  mergeCommitSha?: string;
  /** `owner/repo` of the head, to ignore pull requests from forks. */
  headRepo?: string;
}

/** One file of a pull request. */
export interface PullFile {
  filename: string;
  status: string;
  sha: string;
}

/** A tree entry for `POST /git/trees`: inline content, or `sha: null` to delete. */
export type NewTreeEntry =
  | { path: string; mode: '100644'; type: 'blob'; content: string }
  | { path: string; mode: '100644'; type: 'blob'; sha: null };

const PAGE_SIZE = 100;
const MAX_PAGES = 30;

function status(error: unknown): number | undefined {
  return (error as { status?: number })?.status;
}

function has422(error: unknown, pattern: RegExp): boolean {
  return (
    status(error) === 422 && pattern.test(String((error as Error).message))
  );
}

function toPull(data: any): PullInfo {
  return {
    number: data.number,
    url: data.html_url,
    title: data.title,
    headRef: data.head?.ref,
    headSha: data.head?.sha ?? undefined,
    baseSha: data.base?.sha ?? undefined,
    open: data.state === 'open',
    merged: Boolean(data.merged_at ?? data.merged),
    mergeCommitSha: data.merge_commit_sha ?? undefined,
    headRepo: data.head?.repo?.full_name ?? undefined,
  };
}

/**
 * The GitHub REST calls of the apps repository, one method per call, with a
 * cache of blobs by sha (content-addressed, so never stale).
 */
export class GitHubApi {
  readonly #blobs = new Map<string, string>();

  constructor(
    readonly octokit: Octokit,
    readonly owner: string,
    readonly repo: string,
    private readonly maxCachedBlobs = 2000,
  ) {}

  get slug(): string {
    return `${this.owner}/${this.repo}`;
  }

  #r() {
    return { owner: this.owner, repo: this.repo };
  }

  /** `GET /repos/{o}/{r}/branches/{branch}`: head commit and its tree in one call. */
  async getBranch(branch: string): Promise<CommitHead> {
    try {
      const { data } = await this.octokit.repos.getBranch({
        ...this.#r(),
        branch,
      });
      return {
        commitSha: data.commit.sha,
        treeSha: data.commit.commit.tree.sha,
      };
    } catch (error) {
      if (status(error) === 404) {
        throw new NotFoundError(
          `Branch ${branch} does not exist in the GitHub repository ${this.slug}`,
        );
      }
      throw error;
    }
  }

  /** `GET /repos/{o}/{r}/git/trees/{sha}[?recursive=1]`. */
  async getTree(
    treeSha: string,
    recursive: boolean,
  ): Promise<{ items: Map<string, TreeItem>; truncated: boolean }> {
    const { data } = await this.octokit.git.getTree({
      ...this.#r(),
      tree_sha: treeSha,
      ...(recursive ? { recursive: '1' } : {}),
    });
    const items = new Map<string, TreeItem>();
    for (const e of data.tree) {
      if (e.path && e.sha && e.type && e.mode) {
        items.set(e.path, { sha: e.sha, type: e.type, mode: e.mode });
      }
    }
    return { items, truncated: Boolean(data.truncated) };
  }

  /** `GET /repos/{o}/{r}/git/blobs/{sha}`, cached by sha. */
  async getBlob(sha: string): Promise<string> {
    const cached = this.#blobs.get(sha);
    if (cached !== undefined) return cached;
    const { data } = await this.octokit.git.getBlob({
      ...this.#r(),
      file_sha: sha,
    });
    const content = Buffer.from(
      data.content,
      data.encoding === 'base64' ? 'base64' : 'utf8',
    ).toString('utf8');
    this.rememberBlob(sha, content);
    return content;
  }

  /**
   * `GET /repos/{o}/{r}/tarball/{ref}` without following the redirect: the
   * URL GitHub answers `302` with (its codeload host, a token of its own in
   * the query), to be downloaded without this client's token.
   */
  async getTarballUrl(ref: string): Promise<string> {
    const response = await this.octokit.repos.downloadTarballArchive({
      ...this.#r(),
      ref,
      // Passed to fetch by @octokit/request: hand back the 302 as it is.
      request: { redirect: 'manual' },
    });
    const answered = response.status as number;
    const location = response.headers.location;
    if (answered >= 300 && answered < 400 && location) {
      return new URL(location, response.url).toString();
    }
    throw new Error(
      `GET /repos/${this.slug}/tarball/${ref} answered ${answered}, not a redirect to the archive`,
    );
  }

  rememberBlob(sha: string, content: string) {
    if (this.#blobs.size >= this.maxCachedBlobs) {
      const oldest = this.#blobs.keys().next().value;
      if (oldest !== undefined) this.#blobs.delete(oldest);
    }
    this.#blobs.set(sha, content);
  }

  /** `GET /repos/{o}/{r}/contents/{path}?ref=`: a file, or `undefined`. */
  async getFile(
    path: string,
    ref: string,
  ): Promise<{ content: string; sha: string } | undefined> {
    try {
      const { data } = await this.octokit.repos.getContent({
        ...this.#r(),
        path,
        ref,
      });
      if (Array.isArray(data) || data.type !== 'file') return undefined;
      const file = data as { content?: string; encoding?: string; sha: string };
      if (file.encoding !== 'base64' || file.content === undefined) {
        // Files over 1 MB come without content.
        return { content: await this.getBlob(file.sha), sha: file.sha };
      }
      const content = Buffer.from(file.content, 'base64').toString('utf8');
      this.rememberBlob(file.sha, content);
      return { content, sha: file.sha };
    } catch (error) {
      if (status(error) === 404) return undefined;
      throw error;
    }
  }

  /** `POST /repos/{o}/{r}/git/trees` with `base_tree` and inline contents. */
  async createTree(baseTree: string, tree: NewTreeEntry[]): Promise<string> {
    const { data } = await this.octokit.git.createTree({
      ...this.#r(),
      base_tree: baseTree,
      tree,
    });
    return data.sha;
  }

  /** `POST /repos/{o}/{r}/git/commits`. */
  async createCommit(message: string, tree: string, parents: string[]) {
    const { data } = await this.octokit.git.createCommit({
      ...this.#r(),
      message,
      tree,
      parents,
    });
    return data.sha;
  }

  /** `GET /repos/{o}/{r}/git/commits/{sha}`: its tree. */
  async getCommitTree(sha: string): Promise<string> {
    const { data } = await this.octokit.git.getCommit({
      ...this.#r(),
      commit_sha: sha,
    });
    return data.tree.sha;
  }

  /** `POST /repos/{o}/{r}/git/refs`; `'exists'` on "Reference already exists". */
  async createBranch(
    branch: string,
    sha: string,
  ): Promise<'created' | 'exists'> {
    try {
      await this.octokit.git.createRef({
        ...this.#r(),
        ref: `refs/heads/${branch}`,
        sha,
      });
      return 'created';
    } catch (error) {
      if (has422(error, /Reference already exists/i)) return 'exists';
      throw error;
    }
  }

  /** `GET /repos/{o}/{r}/git/ref/heads/{branch}`: head sha, or `undefined`. */
  async getBranchSha(branch: string): Promise<string | undefined> {
    try {
      const { data } = await this.octokit.git.getRef({
        ...this.#r(),
        ref: `heads/${branch}`,
      });
      return data.object.sha;
    } catch (error) {
      if (status(error) === 404) return undefined;
      throw error;
    }
  }

  /**
   * `PATCH /repos/{o}/{r}/git/refs/heads/{branch}` with `force: false`:
   * GitHub refuses anything but a fast forward, so no commit is ever lost.
   */
  async fastForwardBranch(
    branch: string,
    sha: string,
  ): Promise<'updated' | 'rejected'> {
    try {
      await this.octokit.git.updateRef({
        ...this.#r(),
        ref: `heads/${branch}`,
        sha,
        force: false,
      });
      return 'updated';
    } catch (error) {
      if (has422(error, /fast forward|does not exist/i)) return 'rejected';
      throw error;
    }
  }

  /** `GET /repos/{o}/{r}/compare/{base}...{head}`. */
  async compare(base: string, head: string) {
    const { data } = await this.octokit.repos.compareCommitsWithBasehead({
      ...this.#r(),
      basehead: `${base}...${head}`,
    });
    return {
      status: data.status as string,
      aheadBy: data.ahead_by,
      commits: data.commits.map(c => ({
        sha: c.sha,
        message: c.commit.message,
      })),
    };
  }

  /** `POST /repos/{o}/{r}/pulls`; `'exists'` when one is already open for the head. */
  async createPull(input: {
    head: string;
    base: string;
    title: string;
    body: string;
    draft?: boolean;
  }): Promise<PullInfo | 'exists'> {
    try {
      const { data } = await this.octokit.pulls.create({
        ...this.#r(),
        ...input,
      });
      return toPull(data);
    } catch (error) {
      if (has422(error, /A pull request already exists/i)) return 'exists';
      throw error;
    }
  }

  /** `GET /repos/{o}/{r}/pulls?head={owner}:{branch}&state=`: the newest one. */
  async findPull(
    branch: string,
    base: string,
    state: 'open' | 'all',
  ): Promise<PullInfo | undefined> {
    const { data } = await this.octokit.pulls.list({
      ...this.#r(),
      head: `${this.owner}:${branch}`,
      base,
      state,
      per_page: 10,
    });
    return data.length ? toPull(data[0]) : undefined;
  }

  /** `POST /repos/{o}/{r}/issues/{n}/labels`. */
  async addLabels(number: number, labels: string[]) {
    await this.octokit.issues.addLabels({
      ...this.#r(),
      issue_number: number,
      labels,
    });
  }

  /** `POST /repos/{o}/{r}/pulls/{n}/requested_reviewers`. */
  async requestReviewers(number: number, reviewers: string[], teams: string[]) {
    await this.octokit.pulls.requestReviewers({
      ...this.#r(),
      pull_number: number,
      ...(reviewers.length ? { reviewers } : {}),
      ...(teams.length ? { team_reviewers: teams } : {}),
    });
  }

  /** Open pull requests against a base branch (paginated). */
  async listOpenPulls(base: string): Promise<PullInfo[]> {
    return this.#pages(async page => {
      const { data } = await this.octokit.pulls.list({
        ...this.#r(),
        state: 'open',
        base,
        per_page: PAGE_SIZE,
        page,
      });
      return data.map(toPull);
    });
  }

  /** Files of a pull request (paginated). */
  async listPullFiles(number: number): Promise<PullFile[]> {
    return this.#pages(async page => {
      const { data } = await this.octokit.pulls.listFiles({
        ...this.#r(),
        pull_number: number,
        per_page: PAGE_SIZE,
        page,
      });
      return data.map(f => ({
        filename: f.filename,
        status: f.status,
        sha: f.sha,
      }));
    });
  }

  /**
   * `GET /repos/{o}/{r}/git/commits/{sha}`: its tree, message, parents and
   * committer date (a suite branch's head tells whose it is and how old).
   */
  async getCommitInfo(sha: string): Promise<{
    treeSha: string;
    message: string;
    parents: string[];
    committedAt?: Date;
  }> {
    const { data } = await this.octokit.git.getCommit({
      ...this.#r(),
      commit_sha: sha,
    });
    const date = data.committer?.date ? new Date(data.committer.date) : null;
    return {
      treeSha: data.tree.sha,
      message: data.message,
      parents: data.parents.map(p => p.sha),
      committedAt: date && !isNaN(date.getTime()) ? date : undefined,
    };
  }

  /**
   * `GET /repos/{o}/{r}/git/trees/{tree-ish}[?recursive=1]` for a commit (or
   * tree) sha, with the tree's own sha: a commit's files and root tree in
   * one call.
   */
  async getTreeOf(
    treeish: string,
    recursive: boolean,
  ): Promise<{
    sha: string;
    items: Map<string, TreeItem>;
    truncated: boolean;
  }> {
    const { data } = await this.octokit.git.getTree({
      ...this.#r(),
      tree_sha: treeish,
      ...(recursive ? { recursive: '1' } : {}),
    });
    const items = new Map<string, TreeItem>();
    for (const e of data.tree) {
      if (e.path && e.sha && e.type && e.mode) {
        items.set(e.path, { sha: e.sha, type: e.type, mode: e.mode });
      }
    }
    return { sha: data.sha, items, truncated: Boolean(data.truncated) };
  }

  /**
   * `GET /repos/{o}/{r}/compare/{base}...{head}` for the paths changed on
   * `head` since the merge base; `paths` is undefined when GitHub may have
   * left some out (it lists at most 300 files).
   */
  async changedPaths(
    base: string,
    head: string,
  ): Promise<{ status: string; paths?: Set<string> }> {
    const { data } = await this.octokit.repos.compareCommitsWithBasehead({
      ...this.#r(),
      basehead: `${base}...${head}`,
    });
    const files = data.files ?? [];
    const complete = files.length < 300;
    const paths = new Set<string>();
    for (const f of files) {
      paths.add(f.filename);
      if (f.previous_filename) paths.add(f.previous_filename);
    }
    return { status: data.status, paths: complete ? paths : undefined };
  }

  async #pages<T>(fetchPage: (page: number) => Promise<T[]>): Promise<T[]> {
    const all: T[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const items = await fetchPage(page);
      all.push(...items);
      if (items.length < PAGE_SIZE) break;
    }
    return all;
  }
}
