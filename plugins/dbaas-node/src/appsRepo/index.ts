export * from './types';
export * from './local';
export * from './github';
export { unifiedDiff } from './diff';
export * from './suiteBranches';
export { createAppsRepository } from './createAppsRepository';
