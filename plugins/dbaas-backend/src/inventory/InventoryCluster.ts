import type {
  ClusterObserver,
  DatabaseProvisioner,
} from '@dbaas/plugin-dbaas-node';
import type { ProvisioningFacts } from '../providers/ClusterProviderBundle';

/**
 * A cluster as the sync sees it: `dbaas.clusters[]` with its observer and,
 * where the suite provisions (`provider: local`), its provisioner.
 */
export interface InventoryCluster {
  name: string;
  /** How its databases come to exist (from the provider's bundle). */
  provisioning: ProvisioningFacts;
  /** Namespaces whose databases live on this cluster; empty means any. */
  namespaces: string[];
  observer: ClusterObserver;
  /** The suite's provisioner; none where ArgoCD and the chart do it (Aurora). */
  provisioner?: DatabaseProvisioner;
}

/**
 * The cluster that holds a namespace's databases: the first of `clusters`
 * (in `dbaas.clusters` order) whose `namespaces` lists it or is empty.
 * List the clusters dedicated to some namespaces before a catch-all one.
 */
export function clusterForNamespace<C extends { namespaces: string[] }>(
  clusters: C[],
  namespace: string,
): C | undefined {
  return clusters.find(
    c => c.namespaces.length === 0 || c.namespaces.includes(namespace),
  );
}
