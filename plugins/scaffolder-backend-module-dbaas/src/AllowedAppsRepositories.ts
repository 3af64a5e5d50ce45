import { InputError } from '@backstage/errors';
import {
  AppsRepository,
  GitopsSettings,
  parseGitHubRepoUrl,
} from '@dbaas/plugin-dbaas-node';

/** Host, owner and repository, lower case: GitHub compares them so. */
function repoKey(repoUrl: string): string {
  const { host, owner, repo } = parseGitHubRepoUrl(repoUrl);
  return `${host}/${owner}/${repo}`.toLowerCase();
}

/**
 * The apps repositories the actions may change: the configured one
 * (`dbaas.gitops.repoUrl`, or the local repository) and those listed in
 * `dbaas.gitops.allowedRepoUrls`. An action's `repoUrl` naming anything
 * else is refused with an `InputError` before any call, so a template
 * cannot send the suite's credentials and pull requests elsewhere.
 */
export class AllowedAppsRepositories {
  readonly #configuredKey?: string;
  readonly #allowed = new Map<string, string>();
  readonly #opened = new Map<string, AppsRepository>();

  constructor(
    settings: Pick<GitopsSettings, 'repoUrl' | 'allowedRepoUrls'>,
    private readonly configured: AppsRepository,
    private readonly open: (repoUrl: string) => AppsRepository,
  ) {
    this.#configuredKey = settings.repoUrl
      ? repoKey(settings.repoUrl)
      : undefined;
    for (const url of settings.allowedRepoUrls ?? []) {
      this.#allowed.set(repoKey(url), url);
    }
  }

  /** The repository `repoUrl` names; the configured one when it is empty. */
  resolve(repoUrl?: string): AppsRepository {
    if (repoUrl === undefined || repoUrl === '') {
      return this.configured;
    }
    const key = repoKey(repoUrl);
    if (key === this.#configuredKey) {
      return this.configured;
    }
    const allowed = this.#allowed.get(key);
    if (!allowed) {
      throw new InputError(
        `repoUrl ${JSON.stringify(repoUrl).slice(
          0,
          200,
        )} is not an apps repository of this portal; ${this.#describeAllowed()}`,
      );
    }
    let repo = this.#opened.get(key);
    if (!repo) {
      repo = this.open(allowed);
      this.#opened.set(key, repo);
    }
    return repo;
  }

  /** Whether the repository is the configured one (the one the dbaas backend's inventory follows). */
  isConfigured(repo: AppsRepository): boolean {
    return repo === this.configured;
  }

  #describeAllowed(): string {
    const names = [
      ...(this.#configuredKey ? [this.#configuredKey] : []),
      ...this.#allowed.keys(),
    ];
    return names.length > 0
      ? `allowed: ${names.join(
          ', ',
        )} (dbaas.gitops.repoUrl, dbaas.gitops.allowedRepoUrls), or leave repoUrl out`
      : 'leave repoUrl out to use the configured one (dbaas.gitops.allowedRepoUrls lists others)';
  }
}
