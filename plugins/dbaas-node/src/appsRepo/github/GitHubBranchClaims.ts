import { ConflictError } from '@backstage/errors';
import { BranchHeadOwner, taskOfCommit } from '../changeTrailers';
import { GitHubApi, PullInfo } from './GitHubApi';

/**
 * How `GitHubAppsRepository` tells another request under way on a branch
 * from an abandoned branch it may take over.
 *
 * @public
 */
export interface GitHubBranchClaimOptions {
  /**
   * A suite branch of another request without a pull request yet is that
   * request under way while its head is younger than this; older, it is
   * abandoned and may be taken over (default 10 minutes).
   */
  pendingMs?: number;
  /**
   * How long to wait for the pull request of a request under way (it
   * opens it right after its branch), before refusing with the branch
   * instead of the pull request (default 4 s).
   */
  waitForPullMs?: number;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Injectable clock (epoch ms), for tests. */
  now?: () => number;
}

const DEFAULT_PENDING_MS = 10 * 60 * 1000;
const DEFAULT_WAIT_FOR_PULL_MS = 4000;
const FIRST_POLL_MS = 250;

/** The head commit of an existing branch. */
export interface BranchHead {
  sha: string;
  message: string;
  committedAt?: Date;
}

/** The conflict of a branch another request holds with an open pull request. */
export function openPullConflict(branch: string, pull: PullInfo) {
  return new ConflictError(
    `Already requested in pull request #${pull.number} (${pull.url}) on branch ${branch}; change or close that pull request instead`,
  );
}

/**
 * Decides whether a change may take over an existing suite branch that is
 * not its own (GitHub refuses the second `POST /git/refs` of a name, so the
 * branch is the lock between two requests for one database):
 *
 * - its pull request is open: another request holds it, `ConflictError`
 *   naming the pull request;
 * - its newest pull request was merged or closed with the branch's current
 *   head: finished or abandoned, it may be taken over;
 * - no pull request for its head: another request between its branch and
 *   its pull request while the head is recent (waited for briefly, then
 *   `ConflictError` naming it), else abandoned.
 *
 * Taking over is then a compare-and-swap on the branch (a commit on top of
 * the old head, fast forward without force), so of two takers one wins.
 */
export class GitHubBranchClaims {
  readonly #pendingMs: number;
  readonly #waitForPullMs: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;

  constructor(
    private readonly api: GitHubApi,
    private readonly baseBranch: string,
    options: GitHubBranchClaimOptions = {},
  ) {
    this.#pendingMs = options.pendingMs ?? DEFAULT_PENDING_MS;
    this.#waitForPullMs = options.waitForPullMs ?? DEFAULT_WAIT_FOR_PULL_MS;
    this.#sleep =
      options.sleep ?? (ms => new Promise(done => setTimeout(done, ms)));
    this.#now = options.now ?? Date.now;
  }

  /** Throws `ConflictError` unless the branch may be taken over. */
  async assertTakeable(
    branch: string,
    head: BranchHead,
    owner: Exclude<BranchHeadOwner, 'mine'>,
  ): Promise<void> {
    let pull = await this.api.findPull(branch, this.baseBranch, 'all');
    if (pull?.open) throw openPullConflict(branch, pull);
    if (pull && pull.headSha === head.sha) return;

    const age = head.committedAt
      ? this.#now() - head.committedAt.getTime()
      : Infinity;
    if (owner !== 'other-request' || age >= this.#pendingMs) return;

    // Another request made the branch moments ago (a double click): its
    // pull request follows at once, name that.
    let waited = 0;
    for (let delay = FIRST_POLL_MS; waited < this.#waitForPullMs; delay *= 2) {
      const step = Math.min(delay, this.#waitForPullMs - waited);
      await this.#sleep(step);
      waited += step;
      pull = await this.api.findPull(branch, this.baseBranch, 'all');
      if (pull?.open) throw openPullConflict(branch, pull);
      if (pull && pull.headSha === head.sha) return;
    }
    const task = taskOfCommit(head.message);
    throw new ConflictError(
      `Already being requested on branch ${branch} of ${this.api.slug}${
        task ? ` (by scaffolder task ${task})` : ''
      }, which has no pull request yet; retry in a few minutes if none opens`,
    );
  }
}
