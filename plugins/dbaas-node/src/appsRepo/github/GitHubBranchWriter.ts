import { ConflictError } from '@backstage/errors';
import {
  branchHeadOwner,
  isSuiteCommitOf,
  withChangeTrailers,
} from '../changeTrailers';
import type { AppsRepoChange, FileEdit } from '../types';
import { GitHubBranchClaims } from './GitHubBranchClaims';
import { CommitHead, GitHubApi, NewTreeEntry } from './GitHubApi';
import { Revision, gitBlobSha } from './revision';

/** The branch moved under us (or vanished): build the round again. */
export class BranchMoved extends Error {}

/**
 * Writes a change's branch with the Git Data API: the tree (`base_tree`
 * plus inline contents, no blob calls), a commit carrying the
 * `Dbaas-Change` and `Dbaas-Task` trailers, and the branch ref, whose
 * atomic creation is the lock between two requests for one database. A
 * branch of the same name is the change's own when its head names the same
 * task (a retry: brought up to date with a merge commit and a fast-forward
 * update, never a force push); another request's is refused while that
 * request holds it and taken over otherwise (see {@link GitHubBranchClaims});
 * commits someone else pushed are never overwritten (`ConflictError`).
 * Throws {@link BranchMoved} when a ref moved under it, for the caller to
 * build the round again.
 */
export class GitHubBranchWriter {
  constructor(
    private readonly api: GitHubApi,
    private readonly baseBranch: string,
    private readonly claims: GitHubBranchClaims,
  ) {}

  /**
   * The tree of `revision` with `edits` applied (`POST /git/trees`), or
   * the revision's own tree when the edits change nothing.
   */
  async writeTree(revision: Revision, edits: FileEdit[]): Promise<string> {
    const entries = await this.#treeEntries(revision, edits);
    return entries.length
      ? await this.api.createTree(revision.head.treeSha, entries)
      : revision.head.treeSha;
  }

  /** Tree entries of the edits; deleting a file that is not there is skipped. */
  async #treeEntries(
    revision: Revision,
    edits: FileEdit[],
  ): Promise<NewTreeEntry[]> {
    const entries: NewTreeEntry[] = [];
    for (const edit of edits) {
      if (edit.content !== null) {
        entries.push({
          path: edit.path,
          mode: '100644',
          type: 'blob',
          content: edit.content,
        });
      } else if ((await revision.blobSha(edit.path)) !== null) {
        entries.push({
          path: edit.path,
          mode: '100644',
          type: 'blob',
          sha: null,
        });
      }
    }
    return entries;
  }

  /**
   * Creates the branch, or reconciles it with an existing one of the same
   * name: the change's own (a retry), or another request's that may be
   * taken over.
   */
  async writeBranch(
    change: AppsRepoChange,
    branch: string,
    head: CommitHead,
    edits: FileEdit[],
    tree: string,
  ): Promise<string> {
    const commit = await this.api.createCommit(
      withChangeTrailers(change.commitMessage, branch, change.taskId),
      tree,
      [head.commitSha],
    );
    if ((await this.api.createBranch(branch, commit)) === 'created') {
      return commit;
    }
    // The branch exists: a retry of this change, another request for the
    // same database (under way, finished or abandoned), or someone's work.
    const existing = await this.api.getBranchSha(branch);
    if (!existing) throw new BranchMoved();
    const info = await this.api.getCommitInfo(existing);
    const owner = branchHeadOwner(info.message, branch, change.taskId);
    const branchHead = {
      sha: existing,
      message: info.message,
      committedAt: info.committedAt,
    };
    if (owner === 'mine') {
      if (await this.#hasContent(existing, info.treeSha, tree, edits)) {
        return existing;
      }
    } else if (owner === 'other-request') {
      await this.claims.assertTakeable(branch, branchHead, owner);
    }

    const comparison = await this.api.compare(head.commitSha, existing);
    const foreign = comparison.commits.filter(
      c => !isSuiteCommitOf(c.message, branch),
    );
    if (foreign.length > 0 || comparison.aheadBy > comparison.commits.length) {
      throw new ConflictError(
        `Branch ${branch} of ${
          this.api.slug
        } has commits that were not made by this suite (${
          foreign.map(c => c.sha.slice(0, 7)).join(', ') || 'too many to check'
        }); it is left untouched. Merge or close its pull request, or delete the branch, then retry.`,
      );
    }
    if (owner === 'foreign') {
      // Someone made the branch at a commit of the base: take it unless a
      // pull request of it is open.
      await this.claims.assertTakeable(branch, branchHead, owner);
    }
    // Both moves below are compare-and-swaps: GitHub fast-forwards the
    // branch only from `existing`, so of two writers one wins.
    if (comparison.aheadBy === 0) {
      // Nothing on the branch that the base lacks (an old, merged change).
      if ((await this.api.fastForwardBranch(branch, commit)) === 'updated') {
        return commit;
      }
      throw new BranchMoved();
    }
    // Our branch behind the base, or another request's kept in the
    // history of the change that takes it over.
    return this.rebuild(
      change,
      branch,
      existing,
      head,
      tree,
      owner === 'mine' ? undefined : change.commitMessage,
    );
  }

  /**
   * Brings a branch up to date without rewriting it: a merge commit of the
   * branch head and the new base head, holding the rebuilt tree, then a
   * fast-forward update. `message` defaults to saying the base moved.
   */
  async rebuild(
    change: Pick<AppsRepoChange, 'taskId'>,
    branch: string,
    branchHead: string,
    head: CommitHead,
    tree: string,
    message?: string,
  ) {
    const merge = await this.api.createCommit(
      withChangeTrailers(
        message ??
          `Rebuild ${branch} on ${this.baseBranch} (${head.commitSha.slice(
            0,
            7,
          )})\n\n` +
            `${this.baseBranch} moved; the change was computed again on its new head.`,
        branch,
        change.taskId,
      ),
      tree,
      [branchHead, head.commitSha],
    );
    if ((await this.api.fastForwardBranch(branch, merge)) === 'updated') {
      return merge;
    }
    throw new BranchMoved();
  }

  /** Whether the branch already holds exactly the edited files. */
  async #hasContent(
    branchHead: string,
    branchTree: string,
    tree: string,
    edits: FileEdit[],
  ) {
    if (branchTree === tree) return true;
    const same = await Promise.all(
      edits.map(async edit => {
        const file = await this.api.getFile(edit.path, branchHead);
        return edit.content === null
          ? file === undefined
          : file?.sha === gitBlobSha(edit.content);
      }),
    );
    return same.every(Boolean);
  }
}
