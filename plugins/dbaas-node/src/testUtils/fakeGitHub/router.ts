/*
 * Route table plumbing shared by the fake's endpoint modules.
 */
import type { FakeArchives } from './archives';
import { FakeHttpError, FakeResponse, notFound } from './http';
import { FakeRepo, RenderContext } from './repoState';

/**
 * A force update of a ref the fake has seen (`PATCH refs` with `force: true`).
 *
 * @public
 */
export interface FakeForceUpdate {
  owner: string;
  repo: string;
  ref: string;
  from: string;
  to: string;
  fastForward: boolean;
}

/** Shared mutable state of the fake server. */
export interface FakeState {
  repos: Map<string, FakeRepo>;
  forceUpdates: FakeForceUpdate[];
  render: RenderContext;
  /** The fake's clock (pull request timestamps, commit dates). */
  clock: () => Date;
  /** Archive downloads (`GET /tarball` and its redirect). */
  archives: FakeArchives;
}

export interface RouteContext {
  state: FakeState;
  repo: FakeRepo;
  /** Capture groups of the route pattern. */
  params: string[];
  query: URLSearchParams;
  body: any;
}

export interface Route {
  method: string;
  /** Matched against the path after `/repos/{owner}/{repo}`. */
  pattern: RegExp;
  handler: (ctx: RouteContext) => FakeResponse;
}

export interface GlobalRoute {
  method: string;
  pattern: RegExp;
  handler: (ctx: {
    state: FakeState;
    query: URLSearchParams;
    body: any;
  }) => FakeResponse;
}

export function repoKey(owner: string, repo: string) {
  return `${owner}/${repo}`.toLowerCase();
}

export function requireString(body: any, field: string): string {
  const value = body?.[field];
  if (typeof value !== 'string' || value === '') {
    throw new FakeHttpError(
      422,
      `Invalid request.\n\n"${field}" wasn't supplied.`,
    );
  }
  return value;
}

export function dispatch(
  routes: Route[],
  globalRoutes: GlobalRoute[],
  state: FakeState,
  method: string,
  path: string,
  query: URLSearchParams,
  body: any,
): FakeResponse {
  const lookupMethod = method === 'HEAD' ? 'GET' : method;
  for (const route of globalRoutes) {
    if (route.method === lookupMethod && route.pattern.test(path)) {
      return route.handler({ state, query, body });
    }
  }
  const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
  if (!m) throw notFound();
  const repo = state.repos.get(repoKey(m[1], m[2]));
  if (!repo) throw notFound();
  const rest = m[3] ?? '';
  for (const route of routes) {
    if (route.method !== lookupMethod) continue;
    const match = route.pattern.exec(rest);
    if (match) {
      return route.handler({
        state,
        repo,
        params: match.slice(1),
        query,
        body,
      });
    }
  }
  throw notFound();
}
