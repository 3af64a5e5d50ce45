/*
 * `GET /repos/{o}/{r}/pulls`: filters, sorting and pagination with `Link`
 * headers, as GitHub does them.
 */
import { FakeResponse } from './http';
import { FakePullRequest, FakeRepo, pullJson } from './repoState';
import { RouteContext } from './router';

const SORT_KEYS: Record<string, (p: FakePullRequest) => number> = {
  created: p => Date.parse(p.createdAt),
  updated: p => Date.parse(p.updatedAt),
  // Neither comments nor age of activity are modelled: by creation.
  popularity: p => Date.parse(p.createdAt),
  'long-running': p => Date.parse(p.createdAt),
};

function headMatches(repo: FakeRepo, pull: FakePullRequest, head: string) {
  const [owner, branch] = head.includes(':')
    ? head.split(/:(.*)/s)
    : [repo.owner, head];
  const headOwner = pull.fork?.owner ?? repo.owner;
  return (
    owner.toLowerCase() === headOwner.toLowerCase() && pull.head === branch
  );
}

/** `Link` header of one page, as GitHub sends it (only when there is more than one page). */
export function linkHeader(
  url: string,
  query: URLSearchParams,
  page: number,
  lastPage: number,
): Record<string, string> {
  if (lastPage <= 1) return {};
  const at = (n: number) => {
    const q = new URLSearchParams(query);
    q.set('page', String(n));
    return `<${url}?${q}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${at(page - 1)}; rel="prev"`);
  if (page < lastPage) links.push(`${at(page + 1)}; rel="next"`);
  if (page < lastPage) links.push(`${at(lastPage)}; rel="last"`);
  if (page > 1) links.push(`${at(1)}; rel="first"`);
  return { link: links.join(', ') };
}

/**
 * Lists pull requests: `state` (default `open`), `head` (`owner:branch`),
 * `base`, `sort` (`created` by default, `updated`, ...), `direction`
 * (`desc` for `created`, else `asc`, as documented), `per_page` (30, at most
 * 100) and `page`, with a `Link` header.
 */
export function listPulls({ repo, query, state }: RouteContext): FakeResponse {
  const wanted = query.get('state') ?? 'open';
  const head = query.get('head');
  const base = query.get('base');
  const sort = query.get('sort') ?? 'created';
  const key = SORT_KEYS[sort] ?? SORT_KEYS.created;
  const direction =
    query.get('direction') ?? (sort === 'created' ? 'desc' : 'asc');
  const sign = direction === 'asc' ? 1 : -1;
  const perPage = Math.max(
    1,
    Math.min(Number(query.get('per_page') ?? 30) || 30, 100),
  );
  const page = Math.max(Number(query.get('page') ?? 1) || 1, 1);
  const pulls = repo.pulls
    .filter(p => wanted === 'all' || p.state === wanted)
    .filter(p => !head || headMatches(repo, p, head))
    .filter(p => !base || p.base === base)
    .sort((a, b) => sign * (key(a) - key(b) || a.number - b.number));
  const lastPage = Math.max(1, Math.ceil(pulls.length / perPage));
  return {
    status: 200,
    headers: linkHeader(
      `${state.render.apiBaseUrl}/repos/${repo.owner}/${repo.name}/pulls`,
      query,
      page,
      lastPage,
    ),
    body: pulls
      .slice((page - 1) * perPage, page * perPage)
      .map(p => pullJson(repo, p, state.render)),
  };
}
