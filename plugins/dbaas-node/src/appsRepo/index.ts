export * from './types';
export * from './local';
export * from './github';
export { unifiedDiff } from './diff';
export * from './suiteBranches';
export { DBAAS_CHANGE_TRAILER, DBAAS_TASK_TRAILER } from './changeTrailers';
export { createAppsRepository } from './createAppsRepository';
