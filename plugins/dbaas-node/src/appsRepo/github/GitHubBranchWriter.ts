import { ConflictError } from '@backstage/errors';
import type { AppsRepoChange, FileEdit } from '../types';
import { CommitHead, GitHubApi, NewTreeEntry } from './GitHubApi';
import { Revision, gitBlobSha } from './revision';

/**
 * Trailer every commit of the suite carries (`Dbaas-Change: <branch>`), so
 * that a branch can be recognised as the suite's own before it is updated.
 *
 * @public
 */
export const DBAAS_CHANGE_TRAILER = 'Dbaas-Change';

/** The branch moved under us (or vanished): build the round again. */
export class BranchMoved extends Error {}

function trailer(branch: string) {
  return `${DBAAS_CHANGE_TRAILER}: ${branch}`;
}

function withTrailer(message: string, branch: string): string {
  const text = String(message || branch).trimEnd();
  return text.split('\n').includes(trailer(branch))
    ? `${text}\n`
    : `${text}\n\n${trailer(branch)}\n`;
}

function hasTrailer(message: string, branch: string): boolean {
  return message.split('\n').some(line => line.trim() === trailer(branch));
}

/**
 * Writes a change's branch with the Git Data API: the tree (`base_tree`
 * plus inline contents, no blob calls), a commit carrying the
 * `Dbaas-Change` trailer, and the branch ref. A branch of the same name
 * that the suite made is brought up to date with a merge commit and a
 * fast-forward update, never a force push; one someone else pushed to is
 * left alone with a `ConflictError`. Throws {@link BranchMoved} when a ref
 * moved under it, for the caller to build the round again.
 */
export class GitHubBranchWriter {
  constructor(
    private readonly api: GitHubApi,
    private readonly baseBranch: string,
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

  /** Creates the branch, or reconciles it with an existing one of the same name. */
  async writeBranch(
    change: AppsRepoChange,
    branch: string,
    head: CommitHead,
    edits: FileEdit[],
    tree: string,
  ): Promise<string> {
    const commit = await this.api.createCommit(
      withTrailer(change.commitMessage, branch),
      tree,
      [head.commitSha],
    );
    if ((await this.api.createBranch(branch, commit)) === 'created') {
      return commit;
    }
    // The branch exists: a retry of this change, or an older change of the
    // same name, or (rarely) someone else's work.
    const existing = await this.api.getBranchSha(branch);
    if (!existing) throw new BranchMoved();
    if (await this.#hasContent(existing, tree, edits)) return existing;

    const comparison = await this.api.compare(head.commitSha, existing);
    const foreign = comparison.commits.filter(
      c => !hasTrailer(c.message, branch),
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
    if (comparison.aheadBy === 0) {
      // Nothing on the branch that the base lacks (an old, merged change).
      if ((await this.api.fastForwardBranch(branch, commit)) === 'updated') {
        return commit;
      }
      throw new BranchMoved();
    }
    return this.rebuild(branch, existing, head, tree);
  }

  /**
   * Brings our branch up to date without rewriting it: a merge commit of the
   * branch head and the new base head, holding the rebuilt tree, then a
   * fast-forward update.
   */
  async rebuild(
    branch: string,
    branchHead: string,
    head: CommitHead,
    tree: string,
  ) {
    const merge = await this.api.createCommit(
      withTrailer(
        `Rebuild ${branch} on ${this.baseBranch} (${head.commitSha.slice(
          0,
          7,
        )})\n\n` +
          `${this.baseBranch} moved; the change was computed again on its new head.`,
        branch,
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
  async #hasContent(branchHead: string, tree: string, edits: FileEdit[]) {
    if ((await this.api.getCommitTree(branchHead)) === tree) return true;
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
