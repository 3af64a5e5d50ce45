/**
 * Node.js library shared by the dbaas backend pieces: apps-repository access
 * (GitHub and local git), YAML-aware editing of database definitions,
 * request checks, tenants, and permission rules and conditions.
 *
 * @packageDocumentation
 */

export * from './appsRepo';
export * from './cluster';
export * from './secrets';
export * from './config';
export * from './definitions';
export * from './metrics';
export * from './permissions';
export * from './requests';
export * from './tenants';
