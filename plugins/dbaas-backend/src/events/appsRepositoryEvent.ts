import { DBAAS_BRANCH_PREFIX, GitHubRepoRef } from '@dbaas/plugin-dbaas-node';

/** The topics the GitHub events module publishes that concern the inventory. */
export const GITHUB_PUSH_TOPIC = 'github.push';
export const GITHUB_PULL_REQUEST_TOPIC = 'github.pull_request';

/** The apps repository a webhook must be about, from `dbaas.gitops`. */
export interface WatchedRepository extends GitHubRepoRef {
  baseBranch: string;
}

/**
 * Pull request actions that change what the inventory shows: a request
 * opened, closed or merged, its branch moved, its base changed. Labels,
 * reviews and assignees do not.
 */
const PULL_REQUEST_ACTIONS = new Set([
  'opened',
  'reopened',
  'closed',
  'synchronize',
  'edited',
]);

/**
 * Whether a GitHub webhook payload (as the events module publishes it on
 * `github.<event>`) changes the inventory, and a short description for the
 * log when it does:
 * - `push` to the base branch of the apps repository (a merge, or a commit
 *   made by hand);
 * - `pull_request` of a suite branch (`dbaas/...`) targeting the base
 *   branch, with an action from {@link PULL_REQUEST_ACTIONS}.
 * Events of any other repository (compared by host, owner and name, case
 * insensitive), branch or kind are ignored.
 */
export function describeAppsRepositoryEvent(
  topic: string,
  payload: unknown,
  watched: WatchedRepository,
): string | undefined {
  const event = payload as GitHubEventPayload | undefined;
  if (!event || !isWatchedRepository(event.repository, watched)) {
    return undefined;
  }
  const name = `${watched.owner}/${watched.repo}`;
  if (topic === GITHUB_PUSH_TOPIC) {
    return event.ref === `refs/heads/${watched.baseBranch}`
      ? `push to ${watched.baseBranch} of ${name}`
      : undefined;
  }
  if (topic === GITHUB_PULL_REQUEST_TOPIC) {
    const pull = event.pull_request;
    if (
      !pull ||
      !PULL_REQUEST_ACTIONS.has(String(event.action)) ||
      pull.base?.ref !== watched.baseBranch ||
      !String(pull.head?.ref ?? '').startsWith(DBAAS_BRANCH_PREFIX)
    ) {
      return undefined;
    }
    const merged = event.action === 'closed' && pull.merged ? ' (merged)' : '';
    return `pull request #${pull.number} of ${name} ${event.action}${merged}`;
  }
  return undefined;
}

interface GitHubEventPayload {
  action?: string;
  ref?: string;
  repository?: { html_url?: string; full_name?: string };
  pull_request?: {
    number?: number;
    merged?: boolean;
    base?: { ref?: string };
    head?: { ref?: string };
  };
}

function isWatchedRepository(
  repository: GitHubEventPayload['repository'],
  watched: WatchedRepository,
): boolean {
  if (typeof repository?.html_url !== 'string') {
    return false;
  }
  let url: URL;
  try {
    url = new URL(repository.html_url);
  } catch {
    return false;
  }
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const [owner, repo, ...rest] = url.pathname.split('/').filter(Boolean);
  return (
    rest.length === 0 &&
    same(url.host, watched.host) &&
    same(owner ?? '', watched.owner) &&
    same(repo ?? '', watched.repo)
  );
}
