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
import { GitHubApi, PullInfo } from './GitHubApi';
import { BranchMoved, GitHubBranchWriter } from './GitHubBranchWriter';
import { GitHubPullRequests } from './GitHubPullRequests';
import { Revision } from './revision';

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
 * head, has {@link GitHubBranchWriter} write the branch and
 * {@link GitHubPullRequests} open the pull request, and when the base moved
 * meanwhile in a way that changes the edit, rebuilds the branch on the new
 * head (at most `maxRounds` rounds). Idempotent: a retry after the pull
 * request was opened or merged returns that pull request.
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
    },
  ) {
    this.#writer = new GitHubBranchWriter(options.api, options.baseBranch);
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
    let revision = new Revision(api, await api.getBranch(baseBranch));
    /** Head of our branch once this call wrote or verified it. */
    let ours: string | undefined;
    let pull: PullInfo | undefined;
    for (let round = 1; round <= maxRounds; round++) {
      const head = revision.head;
      let edits: FileEdit[];
      try {
        edits = checkEdits(await change.edit(revision.read));
      } catch (error) {
        const done = await this.#alreadyMerged(branch, error);
        if (done) return done;
        throw error;
      }
      const tree = await this.#writer.writeTree(revision, edits);
      if (tree === head.treeSha) {
        // The base already has these files (someone merged the same content).
        return pull && ours
          ? this.#pulls.finish(change, branch, pull, ours)
          : this.#nothingToChange(branch);
      }

      try {
        ours = ours
          ? await this.#writer.rebuild(branch, ours, head, tree)
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
   * The new base revision when the base branch moved since `revision` in a
   * way that changes this change (a file it read or writes differs);
   * `undefined` otherwise. `seenBaseSha` is the base head GitHub reported
   * with the pull request: when it is ours, nothing moved and no call is
   * needed. (The edit is a pure function of the files it reads, so the same
   * files give the same edits.)
   */
  async #movedBase(
    revision: Revision,
    edits: FileEdit[],
    seenBaseSha: string | undefined,
  ): Promise<Revision | undefined> {
    if (seenBaseSha === revision.commitSha) return undefined;
    const current = await this.options.api.getBranch(this.options.baseBranch);
    if (current.commitSha === revision.commitSha) return undefined;
    const next = new Revision(this.options.api, current);
    const paths = new Set([...revision.seen.keys(), ...edits.map(e => e.path)]);
    for (const path of paths) {
      if ((await revision.blobSha(path)) !== (await next.blobSha(path))) {
        return next;
      }
    }
    return undefined;
  }

  /** A retry after the pull request was merged: the edit now refuses, the change is done. */
  async #alreadyMerged(branch: string, error: unknown) {
    const name = isError(error) ? error.name : undefined;
    if (name !== 'ConflictError' && name !== 'NotFoundError') return undefined;
    const pull = await this.options.api
      .findPull(branch, this.options.baseBranch, 'all')
      .catch(() => undefined);
    return pull?.merged ? this.#result(pull, branch) : undefined;
  }

  async #nothingToChange(branch: string): Promise<ProposedChange> {
    const { api, baseBranch } = this.options;
    const pull = await api.findPull(branch, baseBranch, 'all');
    if (pull?.merged || pull?.open) return this.#result(pull, branch);
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
