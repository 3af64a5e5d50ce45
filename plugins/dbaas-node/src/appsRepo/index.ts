export * from './types';
export * from './local';
export * from './github';
export { unifiedDiff } from './diff';
export { createAppsRepository } from './createAppsRepository';
