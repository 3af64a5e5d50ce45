export { GitHubAppsRepository } from './GitHubAppsRepository';
export type { GitHubBranchClaimOptions } from './GitHubBranchClaims';
export type {
  GitHubAppsRepositoryConfigOptions,
  GitHubAppsRepositoryOptions,
} from './GitHubAppsRepository';
export type { GitObjectCache, GitObjectCacheEntry } from './GitObjectCache';
export { InMemoryGitObjectCache } from './InMemoryGitObjectCache';
export { installGitHubRetries } from './retry';
export type { GitHubRetryOptions } from './retry';
export { parseGitHubRepoUrl } from './repoUrl';
export type { GitHubRepoRef } from './repoUrl';
