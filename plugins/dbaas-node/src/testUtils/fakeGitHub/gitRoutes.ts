/*
 * Repository, branch, commit and git data endpoints of the fake GitHub.
 */
import {
  FakeHttpError,
  created,
  noContent,
  notFound,
  ok,
  toGitHubBase64,
} from './http';
import { GitObjectType, TreeChange } from './objectStore';
import {
  diffTrees,
  getCommitOr404,
  gitCommitJson,
  isSha,
  isoSeconds,
  person,
  refJson,
  repoJson,
  resolveCommit,
  restCommitJson,
  touchPullsOfBranch,
} from './repoState';
import { Route, RouteContext, requireString } from './router';

function fullRef(ref: string) {
  return ref.startsWith('refs/') ? ref : `refs/${ref}`;
}

function typeFromMode(mode: string): GitObjectType {
  if (mode === '040000' || mode === '40000') return 'tree';
  if (mode === '160000') return 'commit';
  return 'blob';
}

function pageOf<T>(items: T[], query: URLSearchParams): T[] {
  const perPage = Math.min(Number(query.get('per_page') ?? 30), 100);
  const page = Math.max(Number(query.get('page') ?? 1), 1);
  return items.slice((page - 1) * perPage, page * perPage);
}

function getRef({ repo, params, state }: RouteContext) {
  const ref = fullRef(params[0]);
  const sha = repo.refs.get(ref);
  if (!sha) throw notFound();
  return ok(refJson(repo, ref, sha, state.render));
}

function createRef({ repo, body, state }: RouteContext) {
  const ref = requireString(body, 'ref');
  const sha = requireString(body, 'sha');
  if (!/^refs\/[^/]+\/.+/.test(ref)) {
    throw new FakeHttpError(
      422,
      `Reference name must start with 'refs/' and have at least two slashes.`,
    );
  }
  if (repo.refs.has(ref)) {
    throw new FakeHttpError(422, 'Reference already exists');
  }
  if (!repo.objects.getCommit(sha)) {
    throw new FakeHttpError(422, 'Object does not exist');
  }
  repo.refs.set(ref, sha);
  return created(refJson(repo, ref, sha, state.render));
}

function updateRef({ repo, params, body, state }: RouteContext) {
  const ref = fullRef(params[0]);
  const sha = requireString(body, 'sha');
  const current = repo.refs.get(ref);
  if (!current) throw new FakeHttpError(422, 'Reference does not exist');
  if (!repo.objects.getCommit(sha)) {
    throw new FakeHttpError(422, 'Object does not exist');
  }
  const fastForward = repo.objects.isAncestor(current, sha);
  if (body.force === true) {
    state.forceUpdates.push({
      owner: repo.owner,
      repo: repo.name,
      ref,
      from: current,
      to: sha,
      fastForward,
    });
  } else if (!fastForward) {
    throw new FakeHttpError(422, 'Update is not a fast forward');
  }
  repo.refs.set(ref, sha);
  if (ref.startsWith('refs/heads/') && sha !== current) {
    touchPullsOfBranch(
      repo,
      ref.slice('refs/heads/'.length),
      isoSeconds(state.clock()),
    );
  }
  return ok(refJson(repo, ref, sha, state.render));
}

function createTree({ repo, body, state }: RouteContext) {
  if (!Array.isArray(body?.tree)) {
    throw new FakeHttpError(
      422,
      'Invalid request.\n\n"tree" wasn\'t supplied.',
    );
  }
  const baseTree = body.base_tree as string | undefined;
  if (baseTree !== undefined && repo.objects.typeOf(baseTree) !== 'tree') {
    throw new FakeHttpError(422, 'base_tree is not a valid tree oid');
  }
  const changes: TreeChange[] = body.tree.map((e: any): TreeChange => {
    const type: GitObjectType = e.type ?? typeFromMode(String(e.mode));
    if (typeof e.content === 'string') {
      return {
        path: e.path,
        mode: e.mode,
        type: 'blob',
        sha: repo.objects.putBlob(e.content),
      };
    }
    if (e.sha === null || e.sha === undefined) {
      return { path: e.path, mode: e.mode, type, sha: null };
    }
    return { path: e.path, mode: e.mode, type, sha: String(e.sha) };
  });
  const sha = repo.objects.buildTree(baseTree, changes);
  return created(treeJson(ctxUrl(state, repo), repo.objects, sha, false));
}

function ctxUrl(state: RouteContext['state'], repo: RouteContext['repo']) {
  return `${state.render.apiBaseUrl}/repos/${repo.owner}/${repo.name}`;
}

function treeJson(
  repoUrl: string,
  objects: RouteContext['repo']['objects'],
  sha: string,
  recursive: boolean,
) {
  return {
    sha,
    url: `${repoUrl}/git/trees/${sha}`,
    tree: objects.flatten(sha, recursive).map(e => ({
      path: e.path,
      mode: e.mode,
      type: e.type,
      sha: e.sha,
      ...(e.type === 'blob' ? { size: e.size } : {}),
      url: `${repoUrl}/git/${e.type}s/${e.sha}`,
    })),
    truncated: false,
  };
}

function getTree({ repo, params, query, state }: RouteContext) {
  // GitHub accepts a tree sha or a ref name ("tree-ish").
  const id = params[0];
  let sha: string | undefined;
  if (isSha(id) && repo.objects.typeOf(id) === 'tree') sha = id;
  else if (isSha(id) && repo.objects.typeOf(id) === 'commit') {
    sha = repo.objects.getCommit(id)!.tree;
  } else if (!isSha(id)) {
    try {
      sha = getCommitOr404(repo, resolveCommit(repo, id)).tree;
    } catch {
      throw notFound();
    }
  }
  if (!sha) throw notFound();
  const recursive = !!query.get('recursive') && query.get('recursive') !== '0';
  return ok(treeJson(ctxUrl(state, repo), repo.objects, sha, recursive));
}

function createCommit({ repo, body, state }: RouteContext) {
  const message = requireString(body, 'message');
  const tree = requireString(body, 'tree');
  const parents: string[] = Array.isArray(body.parents) ? body.parents : [];
  if (repo.objects.typeOf(tree) !== 'tree') {
    throw new FakeHttpError(422, 'Tree SHA does not exist');
  }
  for (const p of parents) {
    if (!repo.objects.getCommit(p)) {
      throw new FakeHttpError(
        422,
        'Parent SHA does not exist or is not a commit object',
      );
    }
  }
  const login = state.render.login;
  // Like GitHub: dated now, by the fake's clock, unless the body says.
  const fallback = {
    name: login,
    email: `${login}@users.noreply`,
    date: state.clock().toISOString(),
  };
  const author = person(body.author, fallback);
  const committer = person(body.committer ?? body.author, fallback);
  const commit = repo.objects.putCommit({
    tree,
    parents,
    message,
    author,
    committer,
  });
  return created(gitCommitJson(repo, commit, state.render));
}

function compare({ repo, params, state }: RouteContext) {
  const [baseName, headName] = params[0].split('...');
  if (!headName) throw notFound();
  const base = resolveCommit(repo, baseName);
  const head = resolveCommit(repo, headName);
  const ofBase = repo.objects.ancestors(base);
  const ofHead = repo.objects.ancestors(head);
  const ahead = repo.objects.log(head).filter(c => !ofBase.has(c.sha));
  const behindBy = [...ofBase].filter(s => !ofHead.has(s)).length;
  const mergeBase = repo.objects.mergeBase(base, head);
  let status = 'diverged';
  if (base === head) status = 'identical';
  else if (ahead.length === 0) status = 'behind';
  else if (behindBy === 0) status = 'ahead';
  const mergeBaseCommit = mergeBase
    ? repo.objects.getCommit(mergeBase)
    : undefined;
  return ok({
    status,
    ahead_by: ahead.length,
    behind_by: behindBy,
    total_commits: ahead.length,
    base_commit: restCommitJson(repo, getCommitOr404(repo, base), state.render),
    merge_base_commit: mergeBaseCommit
      ? restCommitJson(repo, mergeBaseCommit, state.render)
      : null,
    // Oldest first, like GitHub.
    commits: ahead
      .reverse()
      .slice(0, 250)
      .map(c => restCommitJson(repo, c, state.render)),
    files: diffTrees(
      repo.objects,
      mergeBaseCommit?.tree,
      getCommitOr404(repo, head).tree,
    ),
  });
}

export const gitRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/?$/,
    handler: ({ repo, state }) => ok(repoJson(repo, state.render)),
  },
  {
    method: 'GET',
    pattern: /^\/branches\/(.+)$/,
    handler: ({ repo, params, state }) => {
      const sha = repo.refs.get(`refs/heads/${params[0]}`);
      if (!sha) throw new FakeHttpError(404, 'Branch not found');
      const commit = getCommitOr404(repo, sha);
      return ok({
        name: params[0],
        commit: restCommitJson(repo, commit, state.render),
        protected: false,
      });
    },
  },
  {
    method: 'GET',
    pattern: /^\/commits$/,
    handler: ({ repo, query, state }) => {
      const sha = resolveCommit(repo, query.get('sha') ?? undefined);
      const commits = repo.objects.log(sha);
      return ok(
        pageOf(commits, query).map(c => restCommitJson(repo, c, state.render)),
      );
    },
  },
  {
    method: 'GET',
    pattern: /^\/commits\/(.+)$/,
    handler: ({ repo, params, state }) => {
      const commit = getCommitOr404(repo, resolveCommit(repo, params[0]));
      const parent = commit.parents[0]
        ? repo.objects.getCommit(commit.parents[0])
        : undefined;
      return ok({
        ...restCommitJson(repo, commit, state.render),
        files: diffTrees(repo.objects, parent?.tree, commit.tree),
      });
    },
  },
  { method: 'GET', pattern: /^\/git\/ref\/(.+)$/, handler: getRef },
  { method: 'GET', pattern: /^\/git\/refs\/(.+)$/, handler: getRef },
  {
    method: 'GET',
    pattern: /^\/git\/matching-refs\/(.*)$/,
    handler: ({ repo, params, state }) => {
      const prefix = fullRef(params[0]);
      return ok(
        [...repo.refs.entries()]
          .filter(([ref]) => ref.startsWith(prefix))
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([ref, sha]) => refJson(repo, ref, sha, state.render)),
      );
    },
  },
  { method: 'POST', pattern: /^\/git\/refs$/, handler: createRef },
  { method: 'PATCH', pattern: /^\/git\/refs\/(.+)$/, handler: updateRef },
  {
    method: 'DELETE',
    pattern: /^\/git\/refs\/(.+)$/,
    handler: ({ repo, params }) => {
      const ref = fullRef(params[0]);
      if (!repo.refs.delete(ref)) {
        throw new FakeHttpError(422, 'Reference does not exist');
      }
      return noContent();
    },
  },
  {
    method: 'GET',
    pattern: /^\/git\/blobs\/([0-9a-f]{40})$/,
    handler: ({ repo, params }) => {
      const blob = repo.objects.getBlob(params[0]);
      if (!blob) throw notFound();
      return ok({
        sha: params[0],
        node_id: `B_${params[0]}`,
        size: blob.length,
        encoding: 'base64',
        content: toGitHubBase64(blob),
      });
    },
  },
  {
    method: 'POST',
    pattern: /^\/git\/blobs$/,
    handler: ({ repo, body, state }) => {
      const content = body?.content;
      if (typeof content !== 'string') {
        throw new FakeHttpError(
          422,
          'Invalid request.\n\n"content" wasn\'t supplied.',
        );
      }
      const encoding = body.encoding === 'base64' ? 'base64' : 'utf-8';
      const sha = repo.objects.putBlob(Buffer.from(content, encoding));
      return created({ sha, url: `${ctxUrl(state, repo)}/git/blobs/${sha}` });
    },
  },
  { method: 'GET', pattern: /^\/git\/trees\/(.+)$/, handler: getTree },
  { method: 'POST', pattern: /^\/git\/trees$/, handler: createTree },
  {
    method: 'GET',
    pattern: /^\/git\/commits\/([0-9a-f]{40})$/,
    handler: ({ repo, params, state }) =>
      ok(gitCommitJson(repo, getCommitOr404(repo, params[0]), state.render)),
  },
  { method: 'POST', pattern: /^\/git\/commits$/, handler: createCommit },
  { method: 'GET', pattern: /^\/compare\/(.+)$/, handler: compare },
];
