import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, isError } from '@backstage/errors';
import { unifiedDiff } from '../diff';
import { checkEdits } from '../repoPaths';
import {
  AppsRepoChange,
  ChangePreview,
  DBAAS_BRANCH_PREFIX,
  FileEdit,
  ProposedChange,
} from '../types';
import { branchHeadOwner } from '../changeTrailers';
import { httpStatus } from './apiErrors';
import { GitHubApi, PullInfo } from './GitHubApi';
import {
  GitHubBranchClaimOptions,
  GitHubBranchClaims,
  openPullConflict,
} from './GitHubBranchClaims';
import { BranchMoved, GitHubBranchWriter } from './GitHubBranchWriter';
import { GitHubPullRequests } from './GitHubPullRequests';
import { Revision } from './revision';

const SHA = /^[0-9a-f]{40}$/;

/** Checks a change's branch name before anything is written. */
export function checkGitHubBranchName(
  branch: unknown,
  baseBranch: string,
): string {
  if (
    typeof branch !== 'string' ||
    !branch.startsWith(DBAAS_BRANCH_PREFIX) ||
    branch === baseBranch ||
    !/^[A-Za-z0-9._/-]+$/.test(branch) ||
    /\.\.|\/\/|\/$|\.lock$|\/\.|@\{/.test(branch)
  ) {
    throw new InputError(
      `Invalid branch ${JSON.stringify(String(branch)).slice(
        0,
        200,
      )}: it must start with ${DBAAS_BRANCH_PREFIX} and be a valid git branch name`,
    );
  }
  return branch;
}

/**
 * Previews and proposes changes on GitHub: computes the edit on the base
 * head (or on the base commit the change names, saving a call), has
 * {@link GitHubBranchWriter} write the branch and {@link GitHubPullRequests}
 * open the pull request, and when the base moved meanwhile in a way that
 * changes the edit, rebuilds the branch on the new head (at most
 * `maxRounds` rounds). Idempotent: a retry of the same task after the pull
 * request was opened or merged returns that pull request; another task for
 * the same branch gets a `ConflictError` naming it.
 */
export class GitHubChangeProposer {
  readonly #writer: GitHubBranchWriter;
  readonly #pulls: GitHubPullRequests;

  constructor(
    private readonly options: {
      api: GitHubApi;
      baseBranch: string;
      maxRounds: number;
      logger?: LoggerService;
      claims?: GitHubBranchClaimOptions;
    },
  ) {
    this.#writer = new GitHubBranchWriter(
      options.api,
      options.baseBranch,
      new GitHubBranchClaims(options.api, options.baseBranch, options.claims),
    );
    this.#pulls = new GitHubPullRequests(
      options.api,
      options.baseBranch,
      options.logger,
    );
  }

  async preview(change: AppsRepoChange): Promise<ChangePreview> {
    const head = await this.options.api.getBranch(this.options.baseBranch);
    const revision = new Revision(this.options.api, head);
    const edits = checkEdits(await change.edit(revision.read));
    return {
      edits,
      diff: await unifiedDiff(edits, revision.read),
      baseSha: head.commitSha,
    };
  }

  /** Proposes the change on `branch`, already checked with {@link checkGitHubBranchName}. */
  async propose(
    change: AppsRepoChange,
    branch: string,
  ): Promise<ProposedChange> {
    const { api, baseBranch, maxRounds, logger } = this.options;
    let revision = await this.#startRevision(change.baseSha);
    /** Head of our branch once this call wrote or verified it. */
    let ours: string | undefined;
    let pull: PullInfo | undefined;
    for (let round = 1; round <= maxRounds; round++) {
      const head = revision.head;
      let edits: FileEdit[];
      try {
        edits = checkEdits(await change.edit(revision.read));
      } catch (error) {
        const done = await this.#alreadyMerged(change, branch, error);
        if (done) return done;
        throw error;
      }
      const tree = await this.#writer.writeTree(revision, edits);
      if (tree === head.treeSha) {
        // The base already has these files (someone merged the same content).
        return pull && ours
          ? this.#pulls.finish(change, branch, pull, ours)
          : this.#nothingToChange(change, branch);
      }

      try {
        ours = ours
          ? await this.#writer.rebuild(change, branch, ours, head, tree)
          : await this.#writer.writeBranch(change, branch, head, edits, tree);
      } catch (error) {
        if (!(error instanceof BranchMoved)) throw error;
        ours = undefined;
        revision = new Revision(api, await api.getBranch(baseBranch));
        continue;
      }

      const fresh = !pull;
      pull = pull ?? (await this.#pulls.open(change, branch));
      const moved = await this.#movedBase(
        revision,
        edits,
        fresh ? pull.baseSha : undefined,
      );
      if (!moved) return this.#pulls.finish(change, branch, pull, ours);
      logger?.info(
        `${baseBranch} of ${api.slug} moved to ${moved.commitSha} while ${branch} was written; rebuilding it on the new head`,
      );
      revision = moved;
    }
    throw new ConflictError(
      `${baseBranch} of ${api.slug} kept moving while ${branch} was written (${maxRounds} rounds); retry later`,
    );
  }

  /**
   * Where the first round starts: the base commit the change names (the
   * recursive listing of its tree is then the only read, no
   * `GET /branches`), else the head of the base branch.
   */
  async #startRevision(baseSha: string | undefined): Promise<Revision> {
    const { api, baseBranch, logger } = this.options;
    if (baseSha !== undefined && SHA.test(baseSha)) {
      try {
        return await Revision.ofCommit(api, baseSha);
      } catch (error) {
        const status = httpStatus(error);
        if (status !== 404 && status !== 422) throw error;
        logger?.info(
          `${baseSha} is not a commit of ${api.slug} (GitHub answered ${status}); starting from the head of ${baseBranch}`,
        );
      }
    }
    return new Revision(api, await api.getBranch(baseBranch));
  }

  /**
   * The new base revision when the base branch moved since `revision` in a
   * way that changes this change (a file it read or writes changed, or
   * `revision` is no longer in the base's history); `undefined` otherwise.
   * `seenBaseSha` is the base head GitHub reported with the pull request:
   * when it is ours, nothing moved and no call is needed; otherwise one
   * compare tells which files changed. (The edit is a pure function of the
   * files it reads, so the same files give the same edits.)
   */
  async #movedBase(
    revision: Revision,
    edits: FileEdit[],
    seenBaseSha: string | undefined,
  ): Promise<Revision | undefined> {
    const { api, baseBranch } = this.options;
    if (seenBaseSha === revision.commitSha) return undefined;
    const current = seenBaseSha ?? (await api.getBranch(baseBranch)).commitSha;
    if (current === revision.commitSha) return undefined;
    const paths = [...revision.seen.keys(), ...edits.map(e => e.path)];
    const { status, paths: changed } = await api.changedPaths(
      revision.commitSha,
      current,
    );
    if (status === 'ahead' && changed) {
      return paths.some(p => changed.has(p))
        ? Revision.ofCommit(api, current)
        : undefined;
    }
    const next = await Revision.ofCommit(api, current);
    if (status !== 'ahead') return next; // not in the base's history any more
    for (const path of new Set(paths)) {
      if ((await revision.blobSha(path)) !== (await next.blobSha(path))) {
        return next;
      }
    }
    return undefined;
  }

  /** Whether a pull request of the branch is this change's own (its head names the same task). */
  async #isOwnPull(change: AppsRepoChange, branch: string, pull: PullInfo) {
    if (!pull.headSha) return false;
    const { message } = await this.options.api.getCommitInfo(pull.headSha);
    return branchHeadOwner(message, branch, change.taskId) === 'mine';
  }

  /**
   * A retry after the pull request was merged: the edit now refuses, the
   * change is done. Only for the same task: another request's merged pull
   * request is not this one's.
   */
  async #alreadyMerged(change: AppsRepoChange, branch: string, error: unknown) {
    const name = isError(error) ? error.name : undefined;
    if (name !== 'ConflictError' && name !== 'NotFoundError') return undefined;
    const pull = await this.options.api
      .findPull(branch, this.options.baseBranch, 'all')
      .catch(() => undefined);
    if (!pull?.merged) return undefined;
    const own = await this.#isOwnPull(change, branch, pull).catch(() => false);
    return own ? this.#result(pull, branch) : undefined;
  }

  async #nothingToChange(
    change: AppsRepoChange,
    branch: string,
  ): Promise<ProposedChange> {
    const { api, baseBranch } = this.options;
    const pull = await api.findPull(branch, baseBranch, 'all');
    if (pull && (pull.merged || pull.open)) {
      if (await this.#isOwnPull(change, branch, pull)) {
        return this.#result(pull, branch);
      }
      if (pull.open) throw openPullConflict(branch, pull);
    }
    throw new ConflictError(
      `Nothing to propose: ${baseBranch} of ${api.slug} already has the files of ${branch}`,
    );
  }

  #result(pull: PullInfo, branch: string): ProposedChange {
    return {
      url: pull.url,
      number: pull.number,
      branchName: branch,
      merged: pull.merged,
      commitSha: pull.mergeCommitSha ?? pull.headSha ?? '',
    };
  }
}
