import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { parseGitHubRepoUrl } from '../appsRepo/github/repoUrl';
import { normalizeBasePath, validateChartVersion } from '../definitions';

/**
 * `dbaas.gitops`, read and checked in one place.
 *
 * @public
 */
export interface GitopsSettings {
  provider: 'github' | 'local';
  repoUrl?: string;
  /**
   * `dbaas.gitops.allowedRepoUrls`: other GitHub apps repositories the
   * scaffolder actions' `repoUrl` may name besides `repoUrl`; each is a
   * valid GitHub repository URL.
   */
  allowedRepoUrls?: string[];
  basePath: string;
  baseBranch: string;
  localPath?: string;
  chartVersion: string;
  protectedDatabases: {
    labels: string[];
    reviewers: string[];
    teamReviewers: string[];
  };
}

/**
 * Chart version written into new application.yaml files by default.
 *
 * @public
 */
export const DEFAULT_CHART_VERSION = '1.0.1';

/**
 * Reads `dbaas.gitops`; a missing or inconsistent section is a clear
 * configuration error at start-up rather than at the first request.
 *
 * @public
 */
export function readGitopsSettings(config: Config): GitopsSettings {
  const gitops = config.getOptionalConfig('dbaas.gitops');
  if (!gitops) {
    throw new InputError(
      'dbaas.gitops is not configured: set dbaas.gitops.provider (github or local) and the repository',
    );
  }
  const provider = gitops.getString('provider');
  if (provider !== 'github' && provider !== 'local') {
    throw new InputError(
      `dbaas.gitops.provider must be 'github' or 'local', not '${provider}'`,
    );
  }
  const repoUrl = gitops.getOptionalString('repoUrl');
  const localPath = gitops.getOptionalString('local.path');
  if (provider === 'github' && !repoUrl) {
    throw new InputError(
      'dbaas.gitops.repoUrl is required with provider github',
    );
  }
  if (provider === 'local' && !localPath) {
    throw new InputError(
      'dbaas.gitops.local.path is required with provider local',
    );
  }
  const allowedRepoUrls = gitops.getOptionalStringArray('allowedRepoUrls');
  allowedRepoUrls?.forEach((url, i) => {
    try {
      parseGitHubRepoUrl(url);
    } catch (error) {
      throw new InputError(
        `dbaas.gitops.allowedRepoUrls[${i}]: ${(error as Error).message}`,
      );
    }
  });
  const protectedDatabases = gitops.getOptionalConfig('protectedDatabases');
  return {
    provider,
    repoUrl,
    ...(allowedRepoUrls ? { allowedRepoUrls } : {}),
    localPath,
    basePath: normalizeBasePath(gitops.getOptionalString('basePath') ?? ''),
    baseBranch: gitops.getOptionalString('baseBranch') ?? 'main',
    chartVersion: validateChartVersion(
      gitops.getOptionalString('chartVersion') ?? DEFAULT_CHART_VERSION,
    ),
    protectedDatabases: {
      labels: protectedDatabases?.getOptionalStringArray('labels') ?? [],
      reviewers: protectedDatabases?.getOptionalStringArray('reviewers') ?? [],
      teamReviewers:
        protectedDatabases?.getOptionalStringArray('teamReviewers') ?? [],
    },
  };
}
