// Over 400 lines on purpose: the testUtils entry point's one public class, whose methods only seed, inspect and delegate (routes, git objects, pulls, faults are in fakeGitHub/).
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import {
  CODELOAD_PREFIX,
  FakeArchiveTamper,
  FakeArchives,
  archiveRoutes,
} from './fakeGitHub/archives';
import { contentsRoutes } from './fakeGitHub/contentsRoutes';
import {
  FakeConnectionReset,
  FakeFailure,
  FaultInjector,
  defaultFailureBody,
} from './fakeGitHub/faults';
import { gitRoutes } from './fakeGitHub/gitRoutes';
import { etagOf, matchesIfNoneMatch } from './fakeGitHub/etags';
import { DOCS_URL, FakeHttpError, FakeResponse } from './fakeGitHub/http';
import { GitCommit, GitObjectStore, GitPerson } from './fakeGitHub/objectStore';
import {
  graphqlRoute,
  mergePullRequest,
  pullRoutes,
} from './fakeGitHub/pullRoutes';
import {
  BOT,
  FakePullRequestView,
  FakeRepo,
  currentHeadSha,
  getCommitOr404,
  isoSeconds,
  pullJson,
  resolveCommit,
  touchPullsOfBranch,
} from './fakeGitHub/repoState';
import {
  FakeForceUpdate,
  FakeState,
  GlobalRoute,
  dispatch,
  repoKey,
} from './fakeGitHub/router';

/**
 * A request the fake GitHub received.
 *
 * @public
 */
export interface FakeGitHubRequest {
  method: string;
  /** Decoded path without query string and without an `/api/v3` prefix. */
  path: string;
  query: Record<string, string>;
  body?: unknown;
  /** The `authorization` header as sent. */
  authorization?: string;
  /** The `if-none-match` header as sent (a conditional request). */
  ifNoneMatch?: string;
  /**
   * Response status; `0` when the connection was dropped, `304` when a
   * conditional GET found the resource unchanged.
   */
  status?: number;
}

/**
 * An archive download the fake GitHub received.
 *
 * @public
 */
export interface FakeGitHubDownload {
  method: string;
  /** `/_codeload/{owner}/{repo}/legacy.tar.gz/{ref}`. */
  path: string;
  /** The query, with the download `token`. */
  query: Record<string, string>;
  /** The `authorization` header as sent (GitHub's token has no business here). */
  authorization?: string;
  /** Response status; `0` when the connection was dropped. */
  status?: number;
  /** Bytes of the body sent (the `.tar.gz`). */
  bytes?: number;
}

/**
 * Called for every request before it is handled; may change the fake's
 * state (e.g. move a branch) to simulate concurrent activity.
 *
 * @public
 */
export type FakeGitHubRequestHook = (
  request: FakeGitHubRequest,
  fake: FakeGitHub,
) => void | Promise<void>;

/**
 * Options of {@link FakeGitHub.start}.
 *
 * @public
 */
export interface FakeGitHubOptions {
  /** Serve the API under `/api/v3` like GitHub Enterprise (GraphQL at `/api/graphql`). */
  enterprise?: boolean;
  /** Delay added to every response, to simulate network round trips. */
  latencyMs?: number;
  /** Host used in `html_url`s (default `github.com`). */
  htmlHost?: string;
  /** Login of the authenticated user (default `dbaas-bot`). */
  login?: string;
  /**
   * The fake's clock, for pull request timestamps (`created_at`,
   * `updated_at`, ...; rendered in whole seconds like GitHub) and the dates
   * of commits the fake makes. Defaults to the real time.
   */
  now?: () => Date;
}

const globalRoutes: GlobalRoute[] = [
  graphqlRoute,
  {
    method: 'GET',
    pattern: /^\/user$/,
    handler: ({ state }) =>
      ({
        status: 200,
        body: { login: state.render.login, type: 'Bot' },
      } as FakeResponse),
  },
];

const repoRoutes = [
  ...gitRoutes,
  ...contentsRoutes,
  ...pullRoutes,
  ...archiveRoutes,
];

/**
 * A stateful fake of GitHub's REST API on 127.0.0.1, holding repositories
 * with real git objects, refs and pull requests, so that real Octokit code
 * (ours and Backstage's `publish:github:pull-request`) runs against it
 * unchanged. Supports fault injection (error statuses, rate limits, dropped
 * connections), a per-request hook, request counting and conditional
 * requests (an `ETag` on every successful GET, `304` for a matching
 * `If-None-Match`, counted as a request like GitHub's round trip), and
 * repository archives (`GET /tarball/{ref}`, a REST call answered `302`
 * to a download on the same server that is counted apart, in
 * {@link FakeGitHub.downloads}: GitHub's codeload downloads do not count
 * against the REST API's rate limit).
 *
 * @public
 */
export class FakeGitHub {
  /** Every REST (and GraphQL) request received, in order. */
  readonly requests: FakeGitHubRequest[] = [];
  /**
   * Archive downloads received (the `/_codeload/` URLs `GET /tarball`
   * redirects to), in order; not in {@link FakeGitHub.requests}, as GitHub
   * does not count them against the REST API's rate limit.
   */
  readonly downloads: FakeGitHubDownload[] = [];
  /** Added to every response (simulated round trip). */
  latencyMs: number;

  readonly #state: FakeState;
  readonly #faults = new FaultInjector();
  readonly #hooks: FakeGitHubRequestHook[] = [];
  readonly #server: http.Server;
  readonly #enterprise: boolean;
  #baseUrl = '';
  #nextRepoId = 1;

  private constructor(options: FakeGitHubOptions) {
    this.latencyMs = options.latencyMs ?? 0;
    this.#enterprise = options.enterprise ?? false;
    this.#state = {
      repos: new Map(),
      forceUpdates: [],
      render: {
        apiBaseUrl: '',
        htmlBaseUrl: `https://${options.htmlHost ?? 'github.com'}`,
        login: options.login ?? 'dbaas-bot',
      },
      clock: options.now ?? (() => new Date()),
      archives: new FakeArchives(),
    };
    this.#server = http.createServer((req, res) => {
      this.#handle(req, res).catch(error => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
        }
        res.end(JSON.stringify({ message: String(error) }));
      });
    });
    this.#server.keepAliveTimeout = 60_000;
  }

  /** Starts a fake on a random port of 127.0.0.1. */
  static async start(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
    const fake = new FakeGitHub(options);
    await new Promise<void>(resolve =>
      fake.#server.listen(0, '127.0.0.1', resolve),
    );
    const { port } = fake.#server.address() as AddressInfo;
    fake.#baseUrl = `http://127.0.0.1:${port}`;
    fake.#state.render.apiBaseUrl = fake.apiBaseUrl;
    return fake;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>(resolve => this.#server.close(() => resolve()));
  }

  /** REST base URL, e.g. `http://127.0.0.1:1234` (`.../api/v3` for enterprise). */
  get apiBaseUrl(): string {
    return this.#enterprise ? `${this.#baseUrl}/api/v3` : this.#baseUrl;
  }

  /** Host used in `html_url`s, for integration config. */
  get htmlBaseUrl(): string {
    return this.#state.render.htmlBaseUrl;
  }

  /** `PATCH refs` calls with `force: true`, for asserting there were none. */
  get forceUpdates(): FakeForceUpdate[] {
    return this.#state.forceUpdates;
  }

  /** Faults armed but not yet triggered. */
  get pendingFaults(): number {
    return this.#faults.pending;
  }

  /** Answers the next matching request(s) with an error status. */
  failNext(failure: FakeFailure): void {
    this.#faults.fail(failure);
  }

  /** Drops the connection of the next matching request(s). */
  resetConnectionNext(reset: FakeConnectionReset): void {
    this.#faults.reset(reset);
  }

  /**
   * Changes one file in the next archive download(s) of a repository, or
   * leaves it out (`content: null`), as a tampered or filtered archive
   * (`export-subst`, `export-ignore`) would.
   */
  tamperArchiveNext(tamper: FakeArchiveTamper): void {
    this.#state.archives.tamper(tamper);
  }

  clearFaults(): void {
    this.#faults.clear();
    this.#state.archives.clear();
  }

  /** Registers a hook run before each request; returns an unsubscribe function. */
  onRequest(hook: FakeGitHubRequestHook): () => void {
    this.#hooks.push(hook);
    return () => {
      const i = this.#hooks.indexOf(hook);
      if (i >= 0) this.#hooks.splice(i, 1);
    };
  }

  clearRequests(): void {
    this.requests.length = 0;
    this.downloads.length = 0;
  }

  /** How many of {@link FakeGitHub.requests} were answered `304 Not Modified`. */
  get notModifiedCount(): number {
    return this.requests.filter(r => r.status === 304).length;
  }

  /** Creates a repository with one commit holding `files` on the default branch. */
  seedRepo(
    owner: string,
    repo: string,
    options: {
      defaultBranch?: string;
      files?: Record<string, string>;
      message?: string;
    } = {},
  ): string {
    const defaultBranch = options.defaultBranch ?? 'main';
    const state: FakeRepo = {
      id: this.#nextRepoId++,
      owner,
      name: repo,
      defaultBranch,
      refs: new Map(),
      pulls: [],
      objects: new GitObjectStore(),
    };
    this.#state.repos.set(repoKey(owner, repo), state);
    const tree = state.objects.buildTree(
      undefined,
      Object.entries(options.files ?? {}).map(([path, content]) => ({
        path,
        mode: '100644',
        type: 'blob',
        sha: state.objects.putBlob(content),
      })),
    );
    const now = this.#state.clock().toISOString();
    const commit = state.objects.putCommit({
      tree,
      parents: [],
      message: options.message ?? 'Initial commit',
      author: { ...BOT, date: now },
      committer: { ...BOT, date: now },
    });
    state.refs.set(`refs/heads/${defaultBranch}`, commit.sha);
    return commit.sha;
  }

  /**
   * Commits files (`null` deletes) on a branch as someone else would, fast
   * forward; creates the branch from the default branch when missing.
   */
  commitToBranch(
    owner: string,
    repo: string,
    branch: string,
    files: Record<string, string | null>,
    message = 'Update files',
    author: Partial<GitPerson> = {},
  ): string {
    const state = this.#repo(owner, repo);
    const ref = `refs/heads/${branch}`;
    const parent =
      state.refs.get(ref) ?? resolveCommit(state, state.defaultBranch);
    const tree = state.objects.buildTree(
      getCommitOr404(state, parent).tree,
      Object.entries(files).map(([path, content]) => ({
        path,
        mode: '100644',
        type: 'blob',
        sha: content === null ? null : state.objects.putBlob(content),
      })),
    );
    const now = this.#state.clock().toISOString();
    const who = {
      name: author.name ?? 'Someone Else',
      email: author.email ?? 'someone@example.com',
      date: author.date ?? now,
    };
    const commit = state.objects.putCommit({
      tree,
      parents: [parent],
      message,
      author: who,
      committer: who,
    });
    state.refs.set(ref, commit.sha);
    touchPullsOfBranch(state, branch, isoSeconds(this.#state.clock()));
    return commit.sha;
  }

  /**
   * Opens a pull request from a fork (`forkOwner/<repo>`) as someone else
   * would: its head commit holds `files` on top of the base branch and is
   * kept in this repository's object store (GitHub shares objects between
   * a repository and its forks). Returns the pull request number.
   */
  openForkPull(
    owner: string,
    repo: string,
    pull: {
      forkOwner: string;
      head: string;
      title: string;
      base?: string;
      files?: Record<string, string>;
    },
  ): number {
    const state = this.#repo(owner, repo);
    const base = pull.base ?? state.defaultBranch;
    const parent = resolveCommit(state, base);
    const tree = state.objects.buildTree(
      getCommitOr404(state, parent).tree,
      Object.entries(pull.files ?? { 'fork.txt': `${pull.head}\n` }).map(
        ([path, content]) => ({
          path,
          mode: '100644',
          type: 'blob',
          sha: state.objects.putBlob(content),
        }),
      ),
    );
    const date = this.#state.clock();
    const who = {
      name: pull.forkOwner,
      email: `${pull.forkOwner}@example.com`,
    };
    const commit = state.objects.putCommit({
      tree,
      parents: [parent],
      message: pull.title,
      author: { ...who, date: date.toISOString() },
      committer: { ...who, date: date.toISOString() },
    });
    const now = isoSeconds(date);
    const number = state.pulls.length + 1;
    state.pulls.push({
      number,
      title: pull.title,
      body: '',
      head: pull.head,
      base,
      state: 'open',
      draft: false,
      labels: [],
      requestedReviewers: [],
      requestedTeams: [],
      assignees: [],
      createdAt: now,
      updatedAt: now,
      fork: { owner: pull.forkOwner, sha: commit.sha },
    });
    return number;
  }

  /** A file's content at a branch, tag or commit sha; `undefined` if absent. */
  readFile(
    owner: string,
    repo: string,
    ref: string,
    path: string,
  ): string | undefined {
    const state = this.#repo(owner, repo);
    const tree = getCommitOr404(state, resolveCommit(state, ref)).tree;
    const entry = state.objects.lookup(tree, path);
    if (!entry || entry.type !== 'blob') return undefined;
    return state.objects.getBlob(entry.sha)?.toString('utf8');
  }

  /** Every file at a ref, path to content. */
  listFiles(owner: string, repo: string, ref: string): Record<string, string> {
    const state = this.#repo(owner, repo);
    const tree = getCommitOr404(state, resolveCommit(state, ref)).tree;
    return Object.fromEntries(
      state.objects
        .flatten(tree)
        .filter(e => e.type === 'blob')
        .map(e => [e.path, state.objects.getBlob(e.sha)!.toString('utf8')]),
    );
  }

  /** Head commit sha of a branch, `undefined` when it does not exist. */
  branchSha(owner: string, repo: string, branch: string): string | undefined {
    return this.#repo(owner, repo).refs.get(`refs/heads/${branch}`);
  }

  /** Branch names of a repository. */
  listBranches(owner: string, repo: string): string[] {
    return [...this.#repo(owner, repo).refs.keys()]
      .filter(r => r.startsWith('refs/heads/'))
      .map(r => r.slice('refs/heads/'.length))
      .sort();
  }

  getCommit(owner: string, repo: string, sha: string): GitCommit {
    return getCommitOr404(this.#repo(owner, repo), sha);
  }

  /** Pull requests in their REST shape, newest first. */
  listPulls(
    owner: string,
    repo: string,
    filter: { state?: 'open' | 'closed' | 'all'; head?: string } = {},
  ): FakePullRequestView[] {
    const state = this.#repo(owner, repo);
    return state.pulls
      .filter(
        p =>
          !filter.state || filter.state === 'all' || p.state === filter.state,
      )
      .filter(p => !filter.head || p.head === filter.head)
      .sort((a, b) => b.number - a.number)
      .map(p => pullJson(state, p, this.#state.render));
  }

  /** Merges a pull request (merge commit); throws on a conflict. */
  mergePull(owner: string, repo: string, number: number): string {
    const state = this.#repo(owner, repo);
    const pull = state.pulls.find(p => p.number === number);
    if (!pull) throw new Error(`No pull request #${number}`);
    return mergePullRequest(state, pull, undefined, this.#state.clock());
  }

  /** Closes a pull request without merging. */
  closePull(owner: string, repo: string, number: number): void {
    const state = this.#repo(owner, repo);
    const pull = state.pulls.find(p => p.number === number);
    if (!pull) throw new Error(`No pull request #${number}`);
    if (pull.state !== 'open') return;
    pull.headShaWhenClosed = currentHeadSha(state, pull);
    pull.state = 'closed';
    pull.closedAt = isoSeconds(this.#state.clock());
    pull.updatedAt = pull.closedAt;
  }

  deleteBranch(owner: string, repo: string, branch: string): void {
    this.#repo(owner, repo).refs.delete(`refs/heads/${branch}`);
  }

  #repo(owner: string, repo: string): FakeRepo {
    const state = this.#state.repos.get(repoKey(owner, repo));
    if (!state)
      throw new Error(`FakeGitHub has no repository ${owner}/${repo}`);
    return state;
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    let path = decodeURIComponent(url.pathname);
    if (this.#enterprise && path.startsWith('/api/v3')) {
      path = path.slice('/api/v3'.length) || '/';
    }
    const method = (req.method ?? 'GET').toUpperCase();
    if (path.startsWith(CODELOAD_PREFIX)) {
      await this.#download(req, res, method, path, url.searchParams);
      return;
    }
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      this.#send(res, method, {
        status: 400,
        body: { message: 'Problems parsing JSON' },
      });
      return;
    }
    const record: FakeGitHubRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body,
      authorization: req.headers.authorization,
      ifNoneMatch: req.headers['if-none-match'],
    };
    this.requests.push(record);
    for (const hook of [...this.#hooks]) await hook(record, this);
    if (this.latencyMs > 0) await delay(this.latencyMs);

    const fault = this.#faults.take(method, path);
    if (fault?.kind === 'fail') {
      record.status = fault.rule.status;
      this.#send(res, method, {
        status: fault.rule.status,
        headers: fault.rule.headers,
        body: fault.rule.body ?? defaultFailureBody(fault.rule.status),
      });
      return;
    }
    if (fault?.kind === 'reset' && !fault.rule.afterHandling) {
      record.status = 0;
      req.socket.destroy();
      return;
    }
    const response = this.#conditional(
      this.#route(method, path, url.searchParams, body),
      method,
      req.headers['if-none-match'],
    );
    if (fault?.kind === 'reset') {
      record.status = 0;
      req.socket.destroy();
      return;
    }
    record.status = response.status;
    this.#send(res, method, response);
  }

  /** An archive download: recorded apart, faults apply, no rate-limit headers. */
  async #download(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    method: string,
    path: string,
    query: URLSearchParams,
  ) {
    await readBody(req);
    const record: FakeGitHubDownload = {
      method,
      path,
      query: Object.fromEntries(query),
      authorization: req.headers.authorization,
    };
    this.downloads.push(record);
    if (this.latencyMs > 0) await delay(this.latencyMs);
    const fault = this.#faults.take(method, path);
    if (fault?.kind === 'reset') {
      record.status = 0;
      req.socket.destroy();
      return;
    }
    const response =
      method === 'GET'
        ? this.#state.archives.download(this.#state, path, query)
        : {
            status: 405,
            headers: { 'content-type': 'text/plain; charset=utf-8' },
            body: Buffer.from('Method Not Allowed'),
          };
    if (fault?.kind === 'fail') {
      response.status = fault.rule.status;
      response.headers = { 'content-type': 'text/plain; charset=utf-8' };
      response.body = Buffer.from(`${fault.rule.status}`);
    }
    record.status = response.status;
    record.bytes = response.body.length;
    res.writeHead(response.status, {
      ...response.headers,
      'content-length': String(response.body.length),
    });
    res.end(response.body);
  }

  /** Adds the `ETag` of a successful GET; `304` when `If-None-Match` names it. */
  #conditional(
    response: FakeResponse,
    method: string,
    ifNoneMatch: string | undefined,
  ): FakeResponse {
    if ((method !== 'GET' && method !== 'HEAD') || response.status !== 200) {
      return response;
    }
    const etag = etagOf(JSON.stringify(response.body ?? null));
    if (matchesIfNoneMatch(ifNoneMatch, etag)) {
      return { status: 304, headers: { etag } };
    }
    return { ...response, headers: { ...response.headers, etag } };
  }

  #route(
    method: string,
    path: string,
    query: URLSearchParams,
    body: unknown,
  ): FakeResponse {
    try {
      return dispatch(
        repoRoutes,
        globalRoutes,
        this.#state,
        method,
        path,
        query,
        body,
      );
    } catch (error) {
      if (error instanceof FakeHttpError) {
        return {
          status: error.status,
          body: error.body,
          headers: error.headers,
        };
      }
      return {
        status: 500,
        body: {
          message: `FakeGitHub: ${String(error)}`,
          documentation_url: DOCS_URL,
        },
      };
    }
  }

  #send(res: http.ServerResponse, method: string, response: FakeResponse) {
    const payload =
      response.body === undefined ? '' : JSON.stringify(response.body);
    res.writeHead(response.status, {
      // GitHub's 304 has no body and no content type.
      ...(response.status === 304
        ? {}
        : { 'content-type': 'application/json; charset=utf-8' }),
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-github-request-id': `FAKE:${this.requests.length}`,
      ...response.headers,
    });
    res.end(method === 'HEAD' ? undefined : payload);
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
