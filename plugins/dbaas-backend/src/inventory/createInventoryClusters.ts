import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterSettings,
  DatabaseSecretStore,
  MergedDatabaseDefinition,
} from '@dbaas/plugin-dbaas-node';
import { ClusterProviderBundle } from '../providers/ClusterProviderBundle';
import { InventoryCluster } from './InventoryCluster';

/**
 * One observer per configured cluster, and a provisioner where its
 * provider's bundle has one (self-hosted clusters; Aurora is provisioned
 * by ArgoCD and the chart, the suite only observes it).
 */
export function createInventoryClusters(
  providers: ClusterProviderBundle[],
  options: {
    secretStore: DatabaseSecretStore;
    secretPathTemplate?: string;
    logger: LoggerService;
    /**
     * Runs before a cluster's provisioner drops a database (the final
     * snapshot); when it throws, nothing is dropped.
     */
    beforeDrop?: (
      cluster: ClusterSettings,
    ) => (definition: MergedDatabaseDefinition) => Promise<void>;
  },
): InventoryCluster[] {
  return providers.map(provider => ({
    name: provider.cluster.name,
    provisioning: provider.provisioning,
    namespaces: provider.cluster.namespaces,
    observer: provider.createObserver(),
    provisioner: provider.createProvisioner({
      secretStore: options.secretStore,
      secretPathTemplate: options.secretPathTemplate,
      logger: options.logger,
      beforeDrop: options.beforeDrop?.(provider.cluster),
    }),
  }));
}
