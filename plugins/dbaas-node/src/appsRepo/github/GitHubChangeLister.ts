import { posix } from 'node:path';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Octokit } from '@octokit/rest';
import { mapLimit } from '../mapLimit';
import { DBAAS_BRANCH_PREFIX, OpenChange, SuiteChange } from '../types';
import { CachedGitObjects } from './CachedGitObjects';
import { ConditionalRequests } from './ConditionalRequests';
import { GitHubApi } from './GitHubApi';

/** The files of an open pull request that uniqueness checks read. */
const OPEN_CHANGE_FILES = new Set(['values.yaml', 'application.yaml']);

/** Pull requests per page (GitHub's maximum). */
export const CHANGES_PAGE_SIZE = 100;
/** Default bound on the pages one listing reads: the 1000 most recently updated pull requests. */
export const DEFAULT_MAX_CHANGE_PAGES = 10;

/** Options of {@link listSuiteChanges}. */
export interface ListSuiteChangesOptions {
  octokit: Octokit;
  owner: string;
  repo: string;
  /** Only pull requests against this branch. */
  base: string;
  updatedSince?: Date;
  maxPages: number;
  logger?: LoggerService;
  /**
   * Sends each page with `If-None-Match`: a page that has not changed since
   * the previous listing is a `304`, served from what was kept of it.
   */
  conditional?: ConditionalRequests;
}

function hasNextPage(link: unknown, count: number): boolean {
  if (typeof link === 'string') return /rel="next"/.test(link);
  // No Link header (a proxy dropped it?): a full page may have a next one.
  return count === CHANGES_PAGE_SIZE;
}

function stateOf(pull: {
  state: string;
  merged_at?: string | null;
}): SuiteChange['state'] {
  if (pull.merged_at) return 'merged';
  return pull.state === 'open' ? 'open' : 'closed';
}

type ListedPull = Awaited<ReturnType<Octokit['pulls']['list']>>['data'][number];

/** The fields of a listed pull request the listing uses (what a conditional page keeps). */
type PullFields = Pick<
  ListedPull,
  | 'number'
  | 'html_url'
  | 'title'
  | 'state'
  | 'created_at'
  | 'updated_at'
  | 'merged_at'
  | 'closed_at'
> & {
  head: { ref: string; repo: { id: number } | null };
  base: { repo: { id: number } };
};

function pullFields(pull: ListedPull): PullFields {
  return {
    number: pull.number,
    html_url: pull.html_url,
    title: pull.title,
    state: pull.state,
    created_at: pull.created_at,
    updated_at: pull.updated_at,
    merged_at: pull.merged_at,
    closed_at: pull.closed_at,
    head: {
      ref: pull.head?.ref,
      repo: pull.head?.repo ? { id: pull.head.repo.id } : null,
    },
    base: { repo: { id: pull.base?.repo?.id } },
  };
}

function toSuiteChange(pull: PullFields): SuiteChange {
  return {
    number: pull.number,
    url: pull.html_url,
    branchName: pull.head.ref,
    title: pull.title,
    state: stateOf(pull),
    createdAt: pull.created_at,
    updatedAt: pull.updated_at,
    ...(pull.merged_at ? { mergedAt: pull.merged_at } : {}),
    ...(pull.closed_at ? { closedAt: pull.closed_at } : {}),
  };
}

/**
 * A pull request whose head is a suite branch of the repository itself. The
 * head and base repositories are compared by id, which survives renames and
 * transfers; a fork (even one named like a suite branch) never matches, nor
 * does a pull request whose fork was deleted (`head.repo` is `null`).
 */
function isSuitePull(pull: PullFields): boolean {
  const headRepo = pull.head?.repo;
  return (
    typeof pull.head?.ref === 'string' &&
    pull.head.ref.startsWith(DBAAS_BRANCH_PREFIX) &&
    headRepo !== null &&
    headRepo !== undefined &&
    headRepo.id === pull.base?.repo?.id
  );
}

/**
 * The suite's pull requests against `base` in every state, most recently
 * updated first, with as few calls as possible:
 * `GET /repos/{o}/{r}/pulls?state=all&base=&sort=updated&direction=desc&per_page=100&page=n`.
 *
 * With `updatedSince`, paging stops at the first pull request updated
 * before it, so a sync that finds nothing new costs one call. `updated_at`
 * has whole seconds: the comparison is inclusive, and callers should pass a
 * time a little before their previous listing started (clock skew, and a
 * pull request updated while the pages were read may be missed on that
 * listing but is then newer than the next `updatedSince`).
 *
 * At most `maxPages` pages are read (by default 10: the 1000 most recently
 * updated pull requests of the repository, the suite's and everybody
 * else's); older ones are left out, with a warning when `updatedSince` was
 * given (changes may then be missed) and a debug message otherwise.
 *
 * A pull request updated while the pages are read moves to the front and
 * may shift another one onto the next page: duplicates are dropped.
 */
export async function listSuiteChanges(
  options: ListSuiteChangesOptions,
): Promise<SuiteChange[]> {
  const { octokit, owner, repo, base, updatedSince, logger, conditional } =
    options;
  const since = updatedSince?.getTime();
  if (since !== undefined && Number.isNaN(since)) {
    throw new TypeError('updatedSince is not a valid date');
  }
  const changes = new Map<number, SuiteChange>();
  const listPage = async (page: number) => {
    const params = {
      owner,
      repo,
      state: 'all',
      base,
      sort: 'updated',
      direction: 'desc',
      per_page: CHANGES_PAGE_SIZE,
      page,
    } as const;
    const keep = ({ data, headers }: { data: unknown; headers: any }) => ({
      data: (data as ListedPull[]).map(pullFields),
      link: headers.link as unknown,
    });
    if (!conditional) return keep(await octokit.pulls.list(params));
    const key = `GET /repos/${owner}/${repo}/pulls?${new URLSearchParams(
      Object.entries(params).map(([k, v]) => [k, String(v)]),
    )}`;
    return (
      await conditional.get(
        key,
        extra => octokit.pulls.list({ ...params, ...extra }),
        keep,
      )
    ).value;
  };
  for (let page = 1; ; page++) {
    const { data, link } = await listPage(page);
    let older = false;
    for (const pull of data) {
      if (since !== undefined && Date.parse(pull.updated_at) < since) {
        older = true;
        break;
      }
      if (isSuitePull(pull) && !changes.has(pull.number)) {
        changes.set(pull.number, toSuiteChange(pull));
      }
    }
    if (older || !hasNextPage(link, data.length)) break;
    if (page >= options.maxPages) {
      const message = `Listed the ${
        page * CHANGES_PAGE_SIZE
      } most recently updated pull requests of ${owner}/${repo} (${
        options.maxPages
      } pages); older ones are left out`;
      if (since !== undefined) {
        logger?.warn(
          `${message}, although they were updated since ${updatedSince!.toISOString()}`,
        );
      } else {
        logger?.debug(message);
      }
      break;
    }
  }
  return [...changes.values()];
}

/**
 * The suite's pull requests on GitHub: the open ones with the definition
 * files they change (for uniqueness checks), and all of them in every
 * state (for the inventory, see {@link listSuiteChanges}).
 */
export class GitHubChangeLister {
  constructor(
    private readonly options: {
      api: GitHubApi;
      objects: CachedGitObjects;
      conditional?: ConditionalRequests;
      baseBranch: string;
      /** Pages of 100 pull requests `list` reads at most. */
      maxPages: number;
      logger?: LoggerService;
    },
  ) {}

  /**
   * Open pull requests against the base branch whose head is a suite
   * branch of this repository (not a fork), with their added or changed
   * values.yaml and application.yaml files as on the head.
   */
  async listOpen(): Promise<OpenChange[]> {
    const { api, objects, baseBranch } = this.options;
    const pulls = (await api.listOpenPulls(baseBranch)).filter(
      p =>
        p.headRef?.startsWith(DBAAS_BRANCH_PREFIX) &&
        (!p.headRepo || p.headRepo.toLowerCase() === api.slug.toLowerCase()),
    );
    return mapLimit(pulls, 4, async pull => {
      const files = (await api.listPullFiles(pull.number)).filter(
        f =>
          f.status !== 'removed' &&
          OPEN_CHANGE_FILES.has(posix.basename(f.filename)),
      );
      const contents = await objects.blobs(files.map(f => f.sha));
      return {
        number: pull.number,
        url: pull.url,
        branchName: pull.headRef,
        title: pull.title,
        files: files.map(f => ({
          path: f.filename,
          content: contents.get(f.sha)!,
        })),
      };
    });
  }

  list(updatedSince: Date | undefined): Promise<SuiteChange[]> {
    const { api, baseBranch, maxPages, logger, conditional } = this.options;
    return listSuiteChanges({
      conditional,
      octokit: api.octokit,
      owner: api.owner,
      repo: api.repo,
      base: baseBranch,
      updatedSince,
      maxPages,
      logger,
    });
  }
}
