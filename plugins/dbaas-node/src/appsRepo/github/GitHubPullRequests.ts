import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, isError } from '@backstage/errors';
import type { AppsRepoChange, ProposedChange } from '../types';
import { httpStatus } from './apiErrors';
import { GitHubApi, PullInfo } from './GitHubApi';

/**
 * The pull request of a change's branch: opened once (a retry finds the
 * open one again), then labelled and given reviewers when the change asks
 * for them.
 */
export class GitHubPullRequests {
  constructor(
    private readonly api: GitHubApi,
    private readonly baseBranch: string,
    private readonly logger?: LoggerService,
  ) {}

  /** Opens the pull request, or finds the one already open for the branch. */
  async open(change: AppsRepoChange, branch: string): Promise<PullInfo> {
    const created = await this.api.createPull({
      head: branch,
      base: this.baseBranch,
      title: change.title,
      body: change.body,
      draft: change.draft ?? false,
    });
    if (created !== 'exists') {
      this.logger?.info(`Opened ${created.url} for ${branch}`);
      return created;
    }
    const open = await this.api.findPull(branch, this.baseBranch, 'open');
    if (!open) {
      throw new ConflictError(
        `GitHub reports a pull request for ${branch} in ${this.api.slug}, but none is open`,
      );
    }
    return open;
  }

  /**
   * Adds the change's labels and reviewers. GitHub refusing them (403, 404,
   * 422: no such label permission, unknown reviewer, ...) is logged, not
   * thrown: the pull request is there and people can fix that by hand.
   */
  async finish(
    change: AppsRepoChange,
    branch: string,
    pull: PullInfo,
    commitSha: string,
  ): Promise<ProposedChange> {
    const soft = async (what: string, fn: () => Promise<void>) => {
      try {
        await fn();
      } catch (error) {
        const status = httpStatus(error);
        if (status !== 403 && status !== 404 && status !== 422) throw error;
        this.logger?.warn(
          `Could not ${what} on ${pull.url}: GitHub answered ${status} (${
            isError(error) ? error.message : String(error)
          })`,
        );
      }
    };
    if (change.labels?.length) {
      await soft('add labels', () =>
        this.api.addLabels(pull.number, change.labels!),
      );
    }
    const reviewers = change.reviewers ?? [];
    const teams = change.teamReviewers ?? [];
    if (reviewers.length || teams.length) {
      await soft('request reviewers', () =>
        this.api.requestReviewers(pull.number, reviewers, teams),
      );
    }
    return {
      url: pull.url,
      number: pull.number,
      branchName: branch,
      merged: false,
      commitSha,
    };
  }
}
