export type {
  DatabaseSecretStore,
  RoleSecret,
  RoleSecretMetadata,
} from './types';
export { LocalSecretStore, LOCAL_SECRETS_TABLE } from './LocalSecretStore';
export { AwsSecretsManagerStore } from './AwsSecretsManagerStore';
export type { AwsSecretsManagerStoreOptions } from './AwsSecretsManagerStore';
export { errorMessageLine, redactError, redactSecrets } from './redact';
export { SecretsManagerRotation } from './SecretsManagerRotation';
export type {
  SecretRotationState,
  SecretsManagerRotationOptions,
} from './SecretsManagerRotation';
