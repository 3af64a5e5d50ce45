export type {
  ClusterObservation,
  ClusterObserver,
  DatabaseProvisioner,
  MergedDatabaseDefinition,
  ObservedDatabase,
  ProvisionResult,
} from './types';
export {
  describeConnection,
  parseConnectionString,
  readClusterConfigs,
  toPgClientConfig,
} from './connectionConfig';
export type {
  ClusterConnection,
  ClusterEnvironment,
  ClusterProvider,
  ClusterSettings,
  ClusterSsl,
  PgClientOptions,
} from './connectionConfig';
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
