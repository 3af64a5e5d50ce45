export type {
  CredentialRotationResult,
  CredentialRotator,
  ClusterObservation,
  ClusterObserver,
  DatabaseProvisioner,
  MergedDatabaseDefinition,
  ObservedDatabase,
  ProvisionResult,
} from './types';
export { readClusterConfigs } from './clusterConfig';
export type {
  ClusterEnvironment,
  ClusterProvider,
  ClusterSettings,
} from './clusterConfig';
export type { ClusterSsl } from './clusterSsl';
export { describeConnection, toPgClientConfig } from './connectionConfig';
export type { ClusterConnection, PgClientOptions } from './connectionConfig';
export { parseConnectionString } from './connectionString';
export { openClusterClient, withClusterClient } from './openClusterClient';
export { PostgresClusterObserver } from './PostgresClusterObserver';
export type { PostgresClusterObserverOptions } from './PostgresClusterObserver';
export { PostgresProvisioner } from './PostgresProvisioner';
export type { PostgresProvisionerOptions } from './PostgresProvisioner';
export {
  generatePassword,
  scramSha256Verifier,
  scramVerifierMatches,
} from './scram';
export type { ScramVerifierOptions } from './scram';
export { quoteIdent, quoteLiteral } from './sql';
export {
  createPersonalRole,
  dropPersonalRole,
  personalRoleExists,
  personalRoleName,
} from './personalRoles';
export type { PersonalRoleSpec } from './personalRoles';
