import {
  ClusterSettings,
  FixedCapacityReader,
  PostgresClusterObserver,
  PostgresProvisioner,
} from '@dbaas/plugin-dbaas-node';
import {
  ClusterProviderBundle,
  ProvisioningFacts,
} from './ClusterProviderBundle';
import { LocalCredentialRotator } from '../rotation/CredentialRotators';

/**
 * Self-hosted clusters are not timed: their provisioner reports its
 * errors, which fail the database at once.
 */
export const LOCAL_PROVISIONING: ProvisioningFacts = {
  by: 'the provisioner',
  timed: false,
};

/**
 * `provider: local`, a self-hosted PostgreSQL: the suite provisions its
 * databases and snapshots them with pg_dump; billing charges the
 * configured `capacity`, as there is no meter.
 */
export function localClusterProvider(
  cluster: ClusterSettings,
): ClusterProviderBundle {
  return {
    cluster,
    provisioning: LOCAL_PROVISIONING,
    snapshots: 'logical',
    createObserver: () =>
      new PostgresClusterObserver({
        cluster: cluster.name,
        connection: cluster.connection,
        // The suite's provisioner makes <db>-admin the database owner,
        // which one connection can see.
        publicSchemaCheck: 'database-owner',
      }),
    createProvisioner: deps =>
      new PostgresProvisioner({
        secretStore: deps.secretStore,
        secretPathTemplate: deps.secretPathTemplate,
        logger: deps.logger,
        beforeDrop: deps.beforeDrop,
        cluster: cluster.name,
        connection: cluster.connection,
        publicEndpoint: cluster.publicEndpoint,
      }),
    createCredentialRotator: deps =>
      new LocalCredentialRotator(
        new PostgresProvisioner({
          secretStore: deps.secretStore,
          secretPathTemplate: deps.secretPathTemplate,
          logger: deps.logger,
          cluster: cluster.name,
          connection: cluster.connection,
          publicEndpoint: cluster.publicEndpoint,
        }),
        deps.secretStore,
      ),
    createCapacityReader: () =>
      new FixedCapacityReader({ acu: cluster.capacity }),
  };
}
