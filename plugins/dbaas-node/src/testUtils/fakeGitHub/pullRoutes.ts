/*
 * Pull request, label, reviewer and (minimal) GraphQL endpoints.
 */
import { FakeHttpError, created, notFound, ok, validationFailed } from './http';
import { FlatEntry } from './objectStore';
import {
  BOT,
  FakePullRequest,
  FakeRepo,
  currentHeadSha,
  diffTrees,
  getCommitOr404,
  isoSeconds,
  pullJson,
} from './repoState';
import { listPulls } from './pullList';
import { GlobalRoute, Route, RouteContext, repoKey } from './router';

function findPull(repo: FakeRepo, number: string): FakePullRequest {
  const pull = repo.pulls.find(p => p.number === Number(number));
  if (!pull) throw notFound();
  return pull;
}

/** Finds a pull request and moves its `updated_at` (labels, reviewers, edits do on GitHub). */
function touchPull(ctx: RouteContext): FakePullRequest {
  const pull = findPull(ctx.repo, ctx.params[0]);
  pull.updatedAt = isoSeconds(ctx.state.clock());
  return pull;
}

function branchOf(head: string) {
  const i = head.indexOf(':');
  return i >= 0 ? head.slice(i + 1) : head;
}

/** Files of a merge between the base head and the pull request head, or `undefined` on a conflict. */
function mergedFiles(repo: FakeRepo, baseSha: string, headSha: string) {
  const { objects } = repo;
  const files = (commitSha: string | undefined) =>
    new Map<string, FlatEntry>(
      (commitSha ? objects.flatten(getCommitOr404(repo, commitSha).tree) : [])
        .filter(e => e.type === 'blob')
        .map(e => [e.path, e]),
    );
  const ancestor = files(objects.mergeBase(baseSha, headSha));
  const ours = files(baseSha);
  const theirs = files(headSha);
  const result: FlatEntry[] = [];
  const paths = new Set([...ancestor.keys(), ...ours.keys(), ...theirs.keys()]);
  for (const path of paths) {
    const a = ancestor.get(path)?.sha;
    const o = ours.get(path);
    const t = theirs.get(path);
    let pick: FlatEntry | undefined;
    if (t?.sha === a) pick = o;
    else if (o?.sha === a || o?.sha === t?.sha) pick = t;
    else return undefined; // changed on both sides: a conflict
    if (pick) result.push(pick);
  }
  return result;
}

export function isMergeable(repo: FakeRepo, pull: FakePullRequest) {
  const baseSha = repo.refs.get(`refs/heads/${pull.base}`);
  const headSha = currentHeadSha(repo, pull);
  if (!baseSha || !headSha) return false;
  return mergedFiles(repo, baseSha, headSha) !== undefined;
}

/**
 * Merges a pull request like GitHub's merge button (merge commit), with a
 * file-level three-way merge; a file changed on both sides is a conflict.
 */
export function mergePullRequest(
  repo: FakeRepo,
  pull: FakePullRequest,
  message?: string,
  date: Date = new Date(),
): string {
  if (pull.state !== 'open') {
    throw new FakeHttpError(405, 'Pull Request is not open');
  }
  const baseRef = `refs/heads/${pull.base}`;
  const baseSha = repo.refs.get(baseRef);
  const headSha = currentHeadSha(repo, pull);
  if (!baseSha || !headSha) throw notFound();
  const files = mergedFiles(repo, baseSha, headSha);
  if (!files) throw new FakeHttpError(405, 'Pull Request is not mergeable');
  const tree = repo.objects.treeFromFlat(files);
  const now = isoSeconds(date);
  const commit = repo.objects.putCommit({
    tree,
    parents: [baseSha, headSha],
    message:
      message ??
      `Merge pull request #${pull.number} from ${
        pull.fork?.owner ?? repo.owner
      }/${pull.head}`,
    author: { ...BOT, date: now },
    committer: { ...BOT, date: now },
  });
  repo.refs.set(baseRef, commit.sha);
  Object.assign(pull, {
    state: 'closed',
    mergedAt: now,
    closedAt: now,
    updatedAt: now,
    mergeCommitSha: commit.sha,
    headShaWhenClosed: headSha,
  });
  return commit.sha;
}

function createPull({ repo, body, state }: RouteContext) {
  const title = body?.title;
  if (typeof title !== 'string' || !title) {
    throw validationFailed('PullRequest', 'title', 'title');
  }
  const head = branchOf(String(body.head ?? ''));
  const base = String(body.base ?? '');
  const headSha = repo.refs.get(`refs/heads/${head}`);
  const baseSha = repo.refs.get(`refs/heads/${base}`);
  if (!headSha) throw validationFailed('PullRequest', 'head', 'head');
  if (!baseSha) throw validationFailed('PullRequest', 'base', 'base');
  if (
    repo.pulls.some(
      p => p.state === 'open' && !p.fork && p.head === head && p.base === base,
    )
  ) {
    throw validationFailed(
      'PullRequest',
      `A pull request already exists for ${repo.owner}:${head}.`,
    );
  }
  if (repo.objects.isAncestor(headSha, baseSha)) {
    throw validationFailed(
      'PullRequest',
      `No commits between ${base} and ${head}`,
    );
  }
  const now = isoSeconds(state.clock());
  const pull: FakePullRequest = {
    number: repo.pulls.length + 1,
    title,
    body: typeof body.body === 'string' ? body.body : '',
    head,
    base,
    state: 'open',
    draft: body.draft === true,
    labels: [],
    requestedReviewers: [],
    requestedTeams: [],
    assignees: [],
    createdAt: now,
    updatedAt: now,
  };
  repo.pulls.push(pull);
  return created(pullJson(repo, pull, state.render));
}

export const pullRoutes: Route[] = [
  { method: 'GET', pattern: /^\/pulls$/, handler: listPulls },
  { method: 'POST', pattern: /^\/pulls$/, handler: createPull },
  {
    method: 'GET',
    pattern: /^\/pulls\/(\d+)$/,
    handler: ({ repo, params, state }) => {
      const pull = findPull(repo, params[0]);
      return ok({
        ...pullJson(repo, pull, state.render),
        mergeable: pull.state === 'open' ? isMergeable(repo, pull) : null,
      });
    },
  },
  {
    method: 'PATCH',
    pattern: /^\/pulls\/(\d+)$/,
    handler: ctx => {
      const { repo, body, state } = ctx;
      const pull = touchPull(ctx);
      if (typeof body?.title === 'string') pull.title = body.title;
      if (typeof body?.body === 'string') pull.body = body.body;
      if (typeof body?.base === 'string') pull.base = body.base;
      if (body?.state === 'closed' && pull.state === 'open') {
        pull.state = 'closed';
        pull.closedAt = pull.updatedAt;
        pull.headShaWhenClosed = currentHeadSha(repo, pull);
      } else if (body?.state === 'open') {
        pull.state = 'open';
        pull.closedAt = undefined;
      }
      return ok(pullJson(repo, pull, state.render));
    },
  },
  {
    method: 'GET',
    pattern: /^\/pulls\/(\d+)\/files$/,
    handler: ({ repo, params, query }) => {
      const pull = findPull(repo, params[0]);
      const headSha = currentHeadSha(repo, pull);
      const baseSha = repo.refs.get(`refs/heads/${pull.base}`);
      if (!headSha || !baseSha) return ok([]);
      const mergeBase = repo.objects.mergeBase(baseSha, headSha);
      const files = diffTrees(
        repo.objects,
        mergeBase ? getCommitOr404(repo, mergeBase).tree : undefined,
        getCommitOr404(repo, headSha).tree,
      );
      const perPage = Math.min(Number(query.get('per_page') ?? 30), 100);
      const page = Math.max(Number(query.get('page') ?? 1), 1);
      return ok(files.slice((page - 1) * perPage, page * perPage));
    },
  },
  {
    method: 'PUT',
    pattern: /^\/pulls\/(\d+)\/merge$/,
    handler: ({ repo, params, body, state }) => {
      const sha = mergePullRequest(
        repo,
        findPull(repo, params[0]),
        body?.commit_title,
        state.clock(),
      );
      return ok({
        sha,
        merged: true,
        message: 'Pull Request successfully merged',
      });
    },
  },
  {
    method: 'POST',
    pattern: /^\/pulls\/(\d+)\/requested_reviewers$/,
    handler: ctx => {
      const { repo, body, state } = ctx;
      const pull = touchPull(ctx);
      const add = (list: string[], items: unknown) => {
        for (const item of Array.isArray(items) ? items : []) {
          if (!list.includes(String(item))) list.push(String(item));
        }
      };
      add(pull.requestedReviewers, body?.reviewers);
      add(pull.requestedTeams, body?.team_reviewers);
      return created(pullJson(repo, pull, state.render));
    },
  },
  {
    method: 'POST',
    pattern: /^\/issues\/(\d+)\/labels$/,
    handler: ctx => {
      const pull = touchPull(ctx);
      const { body } = ctx;
      const labels = Array.isArray(body) ? body : body?.labels;
      for (const l of Array.isArray(labels) ? labels : []) {
        const name = typeof l === 'string' ? l : l?.name;
        if (name && !pull.labels.includes(name)) pull.labels.push(name);
      }
      return ok(pull.labels.map((name, i) => ({ id: i + 1, name })));
    },
  },
  {
    method: 'POST',
    pattern: /^\/issues\/(\d+)\/assignees$/,
    handler: ctx => {
      const { repo, body, state } = ctx;
      const pull = touchPull(ctx);
      for (const a of Array.isArray(body?.assignees) ? body.assignees : []) {
        if (!pull.assignees.includes(a)) pull.assignees.push(a);
      }
      return created(pullJson(repo, pull, state.render));
    },
  },
];

/**
 * Only the query `octokit-plugin-create-pull-request` sends (a branch and
 * its open pull request); anything else gets a GraphQL error.
 */
export const graphqlRoute: GlobalRoute = {
  method: 'POST',
  pattern: /^(\/api)?\/graphql$/,
  handler: ({ state, body }) => {
    const query = String(body?.query ?? '');
    const vars = body?.variables ?? {};
    if (!query.includes('associatedPullRequests')) {
      return ok({
        errors: [{ message: 'FakeGitHub does not support this GraphQL query' }],
      });
    }
    const repo = state.repos.get(
      repoKey(String(vars.owner), String(vars.repo)),
    );
    if (!repo) {
      return ok({
        data: { repository: null },
        errors: [
          { type: 'NOT_FOUND', message: 'Could not resolve to a Repository' },
        ],
      });
    }
    const head = String(vars.head ?? '');
    const ref = head.startsWith('refs/') ? head : `refs/heads/${head}`;
    if (!repo.refs.has(ref)) return ok({ data: { repository: { ref: null } } });
    const branch = ref.replace(/^refs\/heads\//, '');
    const open = repo.pulls.filter(
      p => p.state === 'open' && !p.fork && p.head === branch,
    );
    return ok({
      data: {
        repository: {
          ref: {
            associatedPullRequests: {
              edges: open.slice(0, 1).map(p => ({
                node: {
                  id: `PR_${p.number}`,
                  number: p.number,
                  url: pullJson(repo, p, state.render).html_url,
                },
              })),
            },
          },
        },
      },
    });
  },
};
