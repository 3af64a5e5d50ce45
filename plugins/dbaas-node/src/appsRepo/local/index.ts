export { LocalGitAppsRepository } from './LocalGitAppsRepository';
export type { LocalGitAppsRepositoryOptions } from './LocalGitAppsRepository';
export { initLocalAppsRepository } from './initLocalAppsRepository';
export type { InitLocalAppsRepositoryOptions } from './initLocalAppsRepository';
