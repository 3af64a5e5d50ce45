import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, isError } from '@backstage/errors';
import { unifiedDiff } from '../diff';
import { branchHeadOwner, withChangeTrailers } from '../changeTrailers';
import { checkEdits } from '../repoPaths';
import {
  AppsRepoChange,
  ChangePreview,
  DBAAS_BRANCH_PREFIX,
  FileEdit,
  ProposedChange,
} from '../types';
import { GitRunner } from './git';
import { LocalBranchWriter } from './LocalBranchWriter';
import { LocalRepoConnection } from './LocalRepoConnection';
import { revisionReader } from './revision';
import { syncWorkTree } from './syncWorkTree';

function delay(ms: number): Promise<void> {
  return new Promise(done => setTimeout(done, ms));
}

// The merge commit is the local "pull request": it carries the description
// too, so `git log` tells what a pull request would have said.
function commitMessage(change: AppsRepoChange): string {
  const subject = String(
    change.commitMessage || change.title || change.branchName,
  ).trimEnd();
  const body = change.body?.trim();
  return body ? `${subject}\n\n${body}\n` : `${subject}\n`;
}

function errorName(error: unknown): string | undefined {
  return isError(error) ? error.name : undefined;
}

/**
 * Previews and proposes changes in the local repository: computes the edit
 * on the base head, has {@link LocalBranchWriter} commit it and move the
 * branch and the base branch together (the change is merged at once), and
 * when the base moved meanwhile, builds it again on the new head (at most
 * `maxAttempts` attempts). One proposal at a time in this process; other
 * writers (processes, replicas sharing the repository) are handled by the
 * compare-and-swap of the refs. Idempotent: a retry of the same task after
 * success finds the merged branch (its commit names the task) and returns
 * it; another task for the same branch whose edit the merge made
 * impossible (the database now exists) gets the edit's `ConflictError`,
 * naming the merge.
 */
export class LocalChangeProposer {
  readonly #writer: LocalBranchWriter;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly connection: LocalRepoConnection,
    private readonly options: { maxAttempts: number; logger?: LoggerService },
  ) {
    this.#writer = new LocalBranchWriter(connection);
  }

  async preview(change: AppsRepoChange): Promise<ChangePreview> {
    const { git } = await this.connection.ready();
    const baseSha = await this.connection.baseHead(git);
    const read = revisionReader(git, baseSha);
    const edits = checkEdits(await change.edit(read));
    return { edits, diff: await unifiedDiff(edits, read), baseSha };
  }

  async propose(change: AppsRepoChange): Promise<ProposedChange> {
    const branch = change.branchName;
    if (
      typeof branch !== 'string' ||
      !branch.startsWith(DBAAS_BRANCH_PREFIX) ||
      branch === this.connection.baseBranch
    ) {
      throw new InputError(
        `Branch ${JSON.stringify(String(branch)).slice(
          0,
          200,
        )} must start with ${DBAAS_BRANCH_PREFIX}`,
      );
    }
    const { git } = await this.connection.ready();
    const valid = await git.exec(['check-ref-format', `refs/heads/${branch}`]);
    if (valid.code !== 0) {
      throw new InputError(
        `${JSON.stringify(branch).slice(0, 200)} is not a valid branch name`,
      );
    }
    // One proposal at a time in this process; other writers (processes,
    // people) are handled by the compare-and-swap below.
    const run = this.#queue.then(() => this.#proposeNow(git, change));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #proposeNow(
    git: GitRunner,
    change: AppsRepoChange,
  ): Promise<ProposedChange> {
    const { path, baseBranch, baseRef } = this.connection;
    const { maxAttempts, logger } = this.options;
    const branchRef = `refs/heads/${change.branchName}`;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const baseSha = await this.connection.baseHead(git);
      const branchSha = await this.connection.resolveRef(git, branchRef);
      const branchMerged =
        branchSha !== undefined &&
        (await this.connection.isAncestor(git, branchSha, baseSha));
      if (branchSha !== undefined && !branchMerged) {
        throw new ConflictError(
          `Branch ${change.branchName} already exists in ${path} and is not merged into ${baseBranch}; it was not made by this suite's local repository, so it is left alone. Merge or delete it, then retry.`,
        );
      }
      // A merged branch is this change's own (a retry) unless its commit
      // names another task: then it is a finished earlier request, which
      // this one follows (or is refused by, when the edit no longer applies).
      const byOther =
        branchSha !== undefined &&
        branchHeadOwner(
          await git.text(['log', '-1', '--format=%B', branchSha]),
          change.branchName,
          change.taskId,
        ) === 'other-request';
      const retry = branchMerged && !byOther;

      let edits: FileEdit[];
      try {
        edits = checkEdits(await change.edit(revisionReader(git, baseSha)));
      } catch (error) {
        const name = errorName(error);
        if (name === 'ConflictError' || name === 'NotFoundError') {
          // A retry after success: the change is already there.
          if (retry) return this.#result(git, change.branchName, branchSha!);
          if (byOther) {
            throw new ConflictError(
              `${(error as Error).message} (${
                change.branchName
              } was merged for another request as ${this.#url(branchSha!)})`,
            );
          }
        }
        throw error;
      }

      const baseTree = await git.text(['rev-parse', `${baseSha}^{tree}`]);
      const tree = await this.#writer.buildTree(git, baseSha, edits);
      if (tree === baseTree) {
        if (retry) {
          return this.#result(git, change.branchName, branchSha!);
        }
        if (byOther) {
          throw new ConflictError(
            `Nothing to change: ${baseBranch} of ${path} already has what ${
              change.branchName
            } asks (merged for another request as ${this.#url(branchSha!)})`,
          );
        }
        // Already as asked, and never proposed before: record the branch at
        // the base head so that a retry finds it.
        if (
          await this.#writer.updateRefs(git, change.branchName, [
            { ref: branchRef, newSha: baseSha, oldSha: branchSha },
          ])
        ) {
          return this.#result(git, change.branchName, baseSha);
        }
        continue;
      }

      const commit = await this.#writer.commit(
        git,
        tree,
        baseSha,
        withChangeTrailers(
          commitMessage(change),
          change.branchName,
          change.taskId,
        ),
      );
      const published = await this.#writer.updateRefs(git, change.branchName, [
        { ref: branchRef, newSha: commit, oldSha: branchSha },
        { ref: baseRef, newSha: commit, oldSha: baseSha },
      ]);
      if (published) {
        logger?.info(
          `Merged ${change.branchName} into ${baseBranch} of ${path} as ${commit}`,
        );
        await syncWorkTree(this.connection, baseSha, commit, logger);
        return this.#result(git, change.branchName, commit);
      }
      logger?.debug(
        `${baseBranch} of ${path} moved while writing ${change.branchName}; rebuilding (attempt ${attempt})`,
      );
      await delay(Math.floor(Math.random() * 20 * attempt));
    }
    throw new ConflictError(
      `Could not merge ${change.branchName}: ${baseBranch} of ${path} kept moving during ${maxAttempts} attempts; retry later`,
    );
  }

  async #result(
    git: GitRunner,
    branchName: string,
    commitSha: string,
  ): Promise<ProposedChange> {
    const count = await git.text(['rev-list', '--count', commitSha]);
    return {
      url: this.#url(commitSha),
      number: Number(count),
      branchName,
      merged: true,
      commitSha,
    };
  }

  #url(commitSha: string): string {
    return `${this.connection.repoUrl}#${commitSha}`;
  }
}
