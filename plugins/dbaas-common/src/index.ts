/**
 * Types, naming rules and permissions shared by the dbaas plugins.
 * Isomorphic: runs in browsers and in Node.
 *
 * @packageDocumentation
 */

export * from './naming';
export * from './collisions';
export * from './deriveDatabaseNames';
export * from './databaseAnnotation';
export { describeValue } from './describeValue';
export { formatDuration } from './formatDuration';
export {
  DEFAULT_SECRET_PATH_TEMPLATE,
  SECRET_PATH_PLACEHOLDERS,
  validateSecretPathTemplate,
} from './secretPathTemplate';
export type { SecretPathPlaceholder } from './secretPathTemplate';
export * from './permissions';
export * from './types';
export * from './snapshotTypes';
export * from './restoreTypes';
export * from './restoredCopyTypes';
export * from './billingTypes';
export * from './recoveryTypes';
export * from './accessTypes';
export * from './credentialTwins';
export * from './rotationTypes';
export * from './generatedEntities';
