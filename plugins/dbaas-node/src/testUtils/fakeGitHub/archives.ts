/*
 * Repository archives, as GitHub serves them: `GET /repos/{o}/{r}/tarball/{ref}`
 * is a REST call (counted against the rate limit) answered `302` to a
 * download URL carrying a token of its own; the download itself (GitHub's
 * codeload host) is not a REST call. The fake's download URL is on its own
 * server, under `/_codeload/`.
 */
import { randomBytes } from 'node:crypto';
import { FakeHttpError, FakeResponse, notFound } from './http';
import { FakeRepo, getCommitOr404, resolveCommit } from './repoState';
import { FakeState, Route, repoKey } from './router';
import { commitTarball } from './tarball';

/**
 * Changes the next archive downloads of a repository make to one file:
 * another content, or the file left out (`content: null`).
 *
 * @public
 */
export interface FakeArchiveTamper {
  owner: string;
  repo: string;
  /** A file's path in the repository (without the archive's top folder). */
  path: string;
  content: string | null;
  /** How many downloads are affected (default 1). */
  times?: number;
}

/** What a download answers: the archive, or an error. */
export interface FakeDownload {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export const CODELOAD_PREFIX = '/_codeload/';

export class FakeArchives {
  /** Download tokens handed out in redirects, to the repository they open. */
  readonly #tokens = new Map<string, string>();
  #tampers: (FakeArchiveTamper & { left: number })[] = [];

  tamper(rule: FakeArchiveTamper) {
    this.#tampers.push({ ...rule, left: rule.times ?? 1 });
  }

  clear() {
    this.#tampers = [];
  }

  /** `302` to the download of the archive of `ref`. */
  redirect(state: FakeState, repo: FakeRepo, ref: string): FakeResponse {
    resolveCommit(repo, ref);
    const token = randomBytes(12).toString('hex');
    this.#tokens.set(token, repoKey(repo.owner, repo.name));
    const origin = new URL(state.render.apiBaseUrl).origin;
    return {
      status: 302,
      // GitHub's redirect has an empty HTML body.
      headers: {
        location: `${origin}${CODELOAD_PREFIX}${repo.owner}/${repo.name}/legacy.tar.gz/${ref}?token=${token}`,
        'content-type': 'text/html;charset=utf-8',
      },
    };
  }

  /**
   * `GET /_codeload/{owner}/{repo}/legacy.tar.gz/{ref}?token=`: the commit's
   * `.tar.gz`, its top folder `{owner}-{repo}-{7 hex of the commit}` like
   * GitHub's. A token the fake did not hand out for that repository: 404.
   */
  download(
    state: FakeState,
    path: string,
    query: URLSearchParams,
  ): FakeDownload {
    try {
      const m = /^\/_codeload\/([^/]+)\/([^/]+)\/legacy\.tar\.gz\/(.+)$/.exec(
        path,
      );
      if (!m) throw notFound();
      const [, owner, name, ref] = m;
      const key = repoKey(owner, name);
      const repo = state.repos.get(key);
      if (!repo || this.#tokens.get(query.get('token') ?? '') !== key) {
        throw notFound();
      }
      const commit = getCommitOr404(repo, resolveCommit(repo, ref));
      const top = `${repo.owner}-${repo.name}-${commit.sha.slice(0, 7)}`;
      return {
        status: 200,
        headers: {
          'content-type': 'application/x-gzip',
          'content-disposition': `attachment; filename=${top}.tar.gz`,
        },
        body: commitTarball(repo.objects, commit, top, this.#overrides(key)),
      };
    } catch (error) {
      const status = error instanceof FakeHttpError ? error.status : 500;
      return {
        status,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: Buffer.from(status === 404 ? '404: Not Found' : String(error)),
      };
    }
  }

  #overrides(key: string): Map<string, Buffer | null> {
    const overrides = new Map<string, Buffer | null>();
    for (const rule of this.#tampers) {
      if (repoKey(rule.owner, rule.repo) !== key) continue;
      overrides.set(
        rule.path,
        rule.content === null ? null : Buffer.from(rule.content),
      );
      rule.left -= 1;
    }
    this.#tampers = this.#tampers.filter(r => r.left > 0);
    return overrides;
  }
}

export const archiveRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/tarball(?:\/(.+))?$/,
    handler: ({ state, repo, params }) =>
      state.archives.redirect(state, repo, params[0] ?? repo.defaultBranch),
  },
];
