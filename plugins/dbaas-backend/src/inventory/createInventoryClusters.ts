import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterSettings,
  DatabaseSecretStore,
  MergedDatabaseDefinition,
  PostgresClusterObserver,
  PostgresProvisioner,
} from '@dbaas/plugin-dbaas-node';
import { InventoryCluster } from './InventoryCluster';

/**
 * One observer per configured cluster, and a provisioner for the
 * self-hosted (`provider: local`) ones; Aurora is provisioned by ArgoCD and
 * the chart, the suite only observes it.
 */
export function createInventoryClusters(
  clusters: ClusterSettings[],
  options: {
    secretStore: DatabaseSecretStore;
    secretPathTemplate?: string;
    logger: LoggerService;
    /**
     * Runs before a self-hosted cluster's provisioner drops a database
     * (the final snapshot); when it throws, nothing is dropped.
     */
    beforeDrop?: (
      cluster: ClusterSettings,
    ) => (definition: MergedDatabaseDefinition) => Promise<void>;
  },
): InventoryCluster[] {
  return clusters.map(settings => ({
    name: settings.name,
    provider: settings.provider,
    namespaces: settings.namespaces,
    observer: new PostgresClusterObserver({
      cluster: settings.name,
      connection: settings.connection,
      // The suite's provisioner makes <db>-admin the database owner, which
      // one connection can see; on Aurora the chart only makes it own schema
      // public, which must be read inside each database.
      publicSchemaCheck:
        settings.provider === 'aurora' ? 'schema-owner' : 'database-owner',
    }),
    provisioner:
      settings.provider === 'local'
        ? PostgresProvisioner.fromSettings(settings, {
            secretStore: options.secretStore,
            secretPathTemplate: options.secretPathTemplate,
            logger: options.logger,
            beforeDrop: options.beforeDrop?.(settings),
          })
        : undefined,
  }));
}
