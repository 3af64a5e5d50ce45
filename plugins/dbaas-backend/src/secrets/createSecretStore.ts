import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  AwsSecretsManagerStore,
  DatabaseSecretStore,
  LocalSecretStore,
} from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';

/**
 * The secret store `dbaas.secrets.provider` names: AWS Secrets Manager in
 * production, or the plugin's own database on the embedded default (never
 * served by any route).
 */
export function createSecretStore(
  config: Config,
  database: Knex,
): DatabaseSecretStore {
  // A secret store provider, not a cluster provider (those are chosen in
  // providers/createClusterProviders).
  const provider =
    config.getOptionalString('dbaas.secrets.provider') ?? 'local';
  switch (provider) {
    case 'local':
      return new LocalSecretStore({ database });
    case 'aws-secrets-manager':
      return AwsSecretsManagerStore.fromConfig(config);
    default:
      throw new InputError(
        `dbaas.secrets.provider must be 'local' or 'aws-secrets-manager', not '${provider}'`,
      );
  }
}
