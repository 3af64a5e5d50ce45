import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { GitopsSettings } from '../config/gitopsSettings';
import { GitHubAppsRepository } from './github';
import { LocalGitAppsRepository } from './local';
import { AppsRepository } from './types';

/**
 * The apps repository `dbaas.gitops` describes: GitHub (or GitHub
 * Enterprise, through `integrations.github`) or a local git repository.
 *
 * @public
 */
export function createAppsRepository(
  settings: GitopsSettings,
  config: Config,
  logger?: LoggerService,
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
  });
}
