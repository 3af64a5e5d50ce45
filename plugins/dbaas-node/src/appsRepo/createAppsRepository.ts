import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { GitopsSettings } from '../config/gitopsSettings';
import { GitHubAppsRepository, GitObjectCache } from './github';
import { LocalGitAppsRepository } from './local';
import { AppsRepository } from './types';

/**
 * The apps repository `dbaas.gitops` describes: GitHub (or GitHub
 * Enterprise, through `integrations.github`) or a local git repository.
 * `options.objectCache` keeps what is read from GitHub by sha (see
 * `GitHubAppsRepositoryOptions.objectCache`); a local repository needs none.
 *
 * @public
 */
export function createAppsRepository(
  settings: GitopsSettings,
  config: Config,
  logger?: LoggerService,
  options: { objectCache?: GitObjectCache } = {},
): AppsRepository {
  if (settings.provider === 'local') {
    return new LocalGitAppsRepository({
      path: settings.localPath!,
      baseBranch: settings.baseBranch,
      basePath: settings.basePath,
      logger,
    });
  }
  return GitHubAppsRepository.fromConfig(config, {
    repoUrl: settings.repoUrl,
    baseBranch: settings.baseBranch,
    basePath: settings.basePath,
    logger,
    objectCache: options.objectCache,
  });
}
