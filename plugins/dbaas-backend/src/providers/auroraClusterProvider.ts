import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  CapacityReader,
  CloudWatchCapacityReader,
  ClusterSettings,
  FixedCapacityReader,
  PostgresClusterObserver,
  PostgresProvisioner,
  SecretsManagerRotation,
} from '@dbaas/plugin-dbaas-node';
import { AuroraCredentialRotator } from '../rotation/CredentialRotators';
import {
  ClusterProviderBundle,
  ProvisioningFacts,
} from './ClusterProviderBundle';

/**
 * Nobody reports Aurora provisioning errors, so a database not ready some
 * minutes after its merge is `failed`.
 */
export const AURORA_PROVISIONING: ProvisioningFacts = {
  by: 'ArgoCD and the chart',
  timed: true,
};

export interface AuroraClusterProviderOptions {
  /** The CloudWatch client of a region (tests give a fake one). */
  cloudWatchClient?: (region: string) => CloudWatchClient;
  /** Secrets Manager rotation calls of a region (tests give a fake endpoint). */
  secretsManagerRotation?: (region?: string) => SecretsManagerRotation;
}

/**
 * `provider: aurora`: ArgoCD and the idp-postgresql chart provision the
 * databases (the suite only observes them, and creates only the databases
 * new-database restores make), AWS takes cluster snapshots,
 * and billing reads the capacity from CloudWatch.
 */
export function auroraClusterProvider(
  cluster: ClusterSettings,
  options: AuroraClusterProviderOptions = {},
): ClusterProviderBundle {
  const cloudWatchClient =
    options.cloudWatchClient ??
    ((region: string) => new CloudWatchClient({ region }));
  return {
    cluster,
    provisioning: AURORA_PROVISIONING,
    snapshots: 'cluster',
    createObserver: () =>
      new PostgresClusterObserver({
        cluster: cluster.name,
        connection: cluster.connection,
        // The chart only makes <db>-admin own schema public, which must be
        // read inside each database.
        publicSchemaCheck: 'schema-owner',
      }),
    createProvisioner: () => undefined,
    // Restored databases are new: nobody but the suite makes their roles.
    // The chart's names (deriveDatabaseNames, dbaas.secrets.pathTemplate)
    // so that defining the database later adopts them. No final snapshot
    // before a drop: only a half-made restore target is ever dropped.
    createNewDatabaseProvisioner: deps =>
      new PostgresProvisioner({
        secretStore: deps.secretStore,
        secretPathTemplate: deps.secretPathTemplate,
        logger: deps.logger,
        cluster: cluster.name,
        connection: cluster.connection,
        publicEndpoint: cluster.publicEndpoint,
      }),
    // The chart's secrets rotate with their own rotation function.
    createCredentialRotator: deps =>
      new AuroraCredentialRotator(
        cluster.name,
        options.secretsManagerRotation?.(cluster.aurora?.region) ??
          new SecretsManagerRotation({ region: cluster.aurora?.region }),
        deps.secretPathTemplate,
      ),
    createCapacityReader: (): CapacityReader =>
      // ServerlessDatabaseCapacity of aurora.clusterIdentifier; credentials
      // from the default AWS chain. Without `aurora` (config checks require
      // it) there is only the configured capacity to charge.
      cluster.aurora
        ? new CloudWatchCapacityReader({
            client: cloudWatchClient(cluster.aurora.region),
            clusterIdentifier: cluster.aurora.clusterIdentifier,
          })
        : new FixedCapacityReader({ acu: cluster.capacity }),
  };
}
