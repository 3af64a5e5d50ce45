import { InputError } from '@backstage/errors';

/**
 * A GitHub repository: host (for the integration lookup), owner, name.
 *
 * @public
 */
export interface GitHubRepoRef {
  host: string;
  owner: string;
  repo: string;
}

const NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * Parses `github.com?owner=acme&repo=apps` (the scaffolder's format),
 * `https://github.com/acme/apps(.git)` or `github.com/acme/apps`.
 *
 * @public
 */
export function parseGitHubRepoUrl(repoUrl: string): GitHubRepoRef {
  const fail = () =>
    new InputError(
      `Invalid GitHub repository URL ${JSON.stringify(String(repoUrl)).slice(
        0,
        200,
      )}: use https://<host>/<owner>/<repo> or <host>?owner=<owner>&repo=<repo>`,
    );
  if (typeof repoUrl !== 'string' || repoUrl.trim() === '') throw fail();
  const withScheme = /^[a-z]+:\/\//i.test(repoUrl)
    ? repoUrl
    : `https://${repoUrl}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw fail();
  }
  let owner = url.searchParams.get('owner') ?? undefined;
  let repo = url.searchParams.get('repo') ?? undefined;
  if (!owner || !repo) {
    const segments = url.pathname.split('/').filter(Boolean);
    if (segments.length !== 2) throw fail();
    [owner, repo] = segments;
    repo = repo.replace(/\.git$/, '');
  }
  if (!url.host || !NAME.test(owner) || !NAME.test(repo)) throw fail();
  return { host: url.host, owner, repo };
}
