export {
  DBAAS_CHANGE_TRAILER,
  GitHubAppsRepository,
} from './GitHubAppsRepository';
export type {
  GitHubAppsRepositoryConfigOptions,
  GitHubAppsRepositoryOptions,
} from './GitHubAppsRepository';
export { installGitHubRetries } from './retry';
export type { GitHubRetryOptions } from './retry';
export { parseGitHubRepoUrl } from './repoUrl';
export type { GitHubRepoRef } from './repoUrl';
