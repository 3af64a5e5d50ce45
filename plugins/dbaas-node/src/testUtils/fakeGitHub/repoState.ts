/*
 * State of one fake repository (refs, pull requests, objects) and its JSON
 * renderings in GitHub's REST shapes.
 */
import { FlatEntry, GitCommit, GitObjectStore, GitPerson } from './objectStore';
import { FakeHttpError, notFound } from './http';

/** @public */
export interface FakePullRequest {
  number: number;
  title: string;
  body: string;
  /** Branch name of the head, e.g. `dbaas/create-payments-ledger`. */
  head: string;
  /** Head sha when the pull request was closed or merged. */
  headShaWhenClosed?: string;
  base: string;
  state: 'open' | 'closed';
  draft: boolean;
  mergedAt?: string;
  mergeCommitSha?: string;
  labels: string[];
  requestedReviewers: string[];
  requestedTeams: string[];
  assignees: string[];
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
  /** A pull request from a fork: its owner and head commit (kept in this repository's object store, as GitHub shares objects between forks). */
  fork?: { owner: string; sha: string };
}

export interface FakeRepo {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  /** Full ref name (`refs/heads/main`) to commit sha. */
  refs: Map<string, string>;
  pulls: FakePullRequest[];
  objects: GitObjectStore;
}

export interface RenderContext {
  htmlBaseUrl: string;
  apiBaseUrl: string;
  login: string;
}

export const BOT: GitPerson = {
  name: 'FakeGitHub',
  email: 'noreply@fake.github',
  date: new Date(0).toISOString(),
};

export function person(p: Partial<GitPerson> | undefined, fallback: GitPerson) {
  return {
    name: p?.name ?? fallback.name,
    email: p?.email ?? fallback.email,
    date: p?.date ?? fallback.date,
  };
}

export function isSha(value: string) {
  return /^[0-9a-f]{40}$/.test(value);
}

/** Resolves a sha, branch, tag or full ref name to a commit sha. */
export function resolveCommit(repo: FakeRepo, ref: string | undefined) {
  const name = ref ?? repo.defaultBranch;
  if (isSha(name) && repo.objects.getCommit(name)) return name;
  const candidates = name.startsWith('refs/')
    ? [name]
    : [`refs/heads/${name}`, `refs/tags/${name}`];
  for (const c of candidates) {
    const sha = repo.refs.get(c);
    if (sha) return sha;
  }
  throw new FakeHttpError(404, `No commit found for the ref ${name}`);
}

export function getCommitOr404(repo: FakeRepo, sha: string): GitCommit {
  const commit = repo.objects.getCommit(sha);
  if (!commit) throw notFound();
  return commit;
}

export function repoJson(repo: FakeRepo, ctx: RenderContext) {
  const fullName = `${repo.owner}/${repo.name}`;
  return {
    id: repo.id,
    node_id: `R_${repo.id}`,
    name: repo.name,
    full_name: fullName,
    private: true,
    owner: { login: repo.owner, type: 'Organization' },
    html_url: `${ctx.htmlBaseUrl}/${fullName}`,
    url: `${ctx.apiBaseUrl}/repos/${fullName}`,
    default_branch: repo.defaultBranch,
    permissions: { admin: false, maintain: false, push: true, pull: true },
  };
}

export function gitCommitJson(
  repo: FakeRepo,
  commit: GitCommit,
  ctx: RenderContext,
) {
  const fullName = `${repo.owner}/${repo.name}`;
  return {
    sha: commit.sha,
    node_id: `C_${commit.sha}`,
    url: `${ctx.apiBaseUrl}/repos/${fullName}/git/commits/${commit.sha}`,
    html_url: `${ctx.htmlBaseUrl}/${fullName}/commit/${commit.sha}`,
    author: commit.author,
    committer: commit.committer,
    message: commit.message,
    tree: { sha: commit.tree },
    parents: commit.parents.map(sha => ({ sha })),
    verification: { verified: false, reason: 'unsigned' },
  };
}

/** The `/commits` (repos API) shape, as opposed to the git data one. */
export function restCommitJson(
  repo: FakeRepo,
  commit: GitCommit,
  ctx: RenderContext,
) {
  const fullName = `${repo.owner}/${repo.name}`;
  return {
    sha: commit.sha,
    node_id: `C_${commit.sha}`,
    html_url: `${ctx.htmlBaseUrl}/${fullName}/commit/${commit.sha}`,
    commit: {
      message: commit.message,
      author: commit.author,
      committer: commit.committer,
      tree: { sha: commit.tree },
    },
    author: null,
    committer: null,
    parents: commit.parents.map(sha => ({ sha })),
  };
}

export function refJson(
  repo: FakeRepo,
  ref: string,
  sha: string,
  ctx: RenderContext,
) {
  return {
    ref,
    node_id: `REF_${ref}`,
    url: `${ctx.apiBaseUrl}/repos/${repo.owner}/${repo.name}/git/${ref}`,
    object: { type: 'commit', sha },
  };
}

/** A timestamp as GitHub renders them: ISO 8601 in UTC, whole seconds. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Moves `updated_at` of the open pull requests whose head is `branch` (of
 * this repository), as a push to the head branch does on GitHub.
 */
export function touchPullsOfBranch(
  repo: FakeRepo,
  branch: string,
  now: string,
) {
  for (const pull of repo.pulls) {
    if (pull.state === 'open' && !pull.fork && pull.head === branch) {
      pull.updatedAt = now;
    }
  }
}

export function currentHeadSha(repo: FakeRepo, pull: FakePullRequest) {
  if (pull.fork) return pull.fork.sha;
  if (pull.state === 'open') {
    return repo.refs.get(`refs/heads/${pull.head}`) ?? pull.headShaWhenClosed;
  }
  return pull.headShaWhenClosed ?? repo.refs.get(`refs/heads/${pull.head}`);
}

/**
 * A pull request in GitHub's REST shape (the fields the fake fills in).
 *
 * @public
 */
export interface FakePullRequestView {
  id: number;
  number: number;
  state: 'open' | 'closed';
  title: string;
  body: string;
  draft: boolean;
  html_url: string;
  url: string;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  merged_at: string | null;
  merged: boolean;
  merge_commit_sha: string | null;
  labels: { id: number; name: string }[];
  assignees: { login: string }[];
  requested_reviewers: { login: string }[];
  requested_teams: { slug: string; name: string }[];
  head: {
    label: string;
    ref: string;
    sha: string | null;
    user: { login: string };
    repo: unknown;
  };
  base: {
    label: string;
    ref: string;
    sha: string | null;
    user: { login: string };
    repo: unknown;
  };
  [key: string]: unknown;
}

export function pullJson(
  repo: FakeRepo,
  pull: FakePullRequest,
  ctx: RenderContext,
): FakePullRequestView {
  const fullName = `${repo.owner}/${repo.name}`;
  const repoRef = repoJson(repo, ctx);
  const headOwner = pull.fork?.owner ?? repo.owner;
  const headRepo = pull.fork
    ? {
        ...repoJson(
          { ...repo, id: repo.id + 1_000_000, owner: pull.fork.owner },
          ctx,
        ),
        fork: true,
      }
    : repoRef;
  return {
    id: 1000 + pull.number,
    node_id: `PR_${pull.number}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    body: pull.body,
    draft: pull.draft,
    user: { login: ctx.login, type: 'Bot' },
    url: `${ctx.apiBaseUrl}/repos/${fullName}/pulls/${pull.number}`,
    html_url: `${ctx.htmlBaseUrl}/${fullName}/pull/${pull.number}`,
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: pull.closedAt ?? null,
    merged_at: pull.mergedAt ?? null,
    merged: Boolean(pull.mergedAt),
    merge_commit_sha: pull.mergeCommitSha ?? null,
    labels: pull.labels.map((name, i) => ({ id: i + 1, name })),
    assignees: pull.assignees.map(login => ({ login })),
    requested_reviewers: pull.requestedReviewers.map(login => ({ login })),
    requested_teams: pull.requestedTeams.map(slug => ({ slug, name: slug })),
    head: {
      label: `${headOwner}:${pull.head}`,
      ref: pull.head,
      sha: currentHeadSha(repo, pull) ?? null,
      user: { login: headOwner },
      repo: headRepo,
    },
    base: {
      label: `${repo.owner}:${pull.base}`,
      ref: pull.base,
      sha: repo.refs.get(`refs/heads/${pull.base}`) ?? null,
      user: { login: repo.owner },
      repo: repoRef,
    },
  };
}

/** Files differing between two trees, like a pull request's "files". */
export function diffTrees(
  objects: GitObjectStore,
  fromTree: string | undefined,
  toTree: string,
) {
  const blobs = (sha: string | undefined) =>
    new Map<string, FlatEntry>(
      (sha ? objects.flatten(sha) : [])
        .filter(e => e.type === 'blob')
        .map(e => [e.path, e]),
    );
  const before = blobs(fromTree);
  const after = blobs(toTree);
  const files: { filename: string; status: string; sha: string }[] = [];
  for (const [path, entry] of after) {
    const old = before.get(path);
    if (!old) files.push({ filename: path, status: 'added', sha: entry.sha });
    else if (old.sha !== entry.sha) {
      files.push({ filename: path, status: 'modified', sha: entry.sha });
    }
  }
  for (const [path, entry] of before) {
    if (!after.has(path)) {
      files.push({ filename: path, status: 'removed', sha: entry.sha });
    }
  }
  return files.sort((a, b) => a.filename.localeCompare(b.filename));
}
