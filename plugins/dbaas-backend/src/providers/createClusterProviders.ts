import { InputError } from '@backstage/errors';
import { ClusterSettings } from '@dbaas/plugin-dbaas-node';
import {
  AuroraClusterProviderOptions,
  auroraClusterProvider,
} from './auroraClusterProvider';
import { ClusterProviderBundle } from './ClusterProviderBundle';
import { localClusterProvider } from './localClusterProvider';

/** What the bundles take from outside (tests replace the AWS clients). */
export type ClusterProviderOptions = AuroraClusterProviderOptions;

/**
 * The bundle of one cluster's provider: the only place that looks at
 * `cluster.provider`. A provider without a bundle is a configuration
 * error naming the cluster.
 */
export function clusterProviderFor(
  cluster: ClusterSettings,
  options: ClusterProviderOptions = {},
): ClusterProviderBundle {
  const provider: string = cluster.provider;
  switch (provider) {
    case 'local':
      return localClusterProvider(cluster);
    case 'aurora':
      return auroraClusterProvider(cluster, options);
    default:
      throw new InputError(
        `dbaas.clusters: cluster '${cluster.name}' has provider '${provider}'; the known providers are 'local' and 'aurora'`,
      );
  }
}

/** One bundle per configured cluster, in `dbaas.clusters` order. */
export function createClusterProviders(
  clusters: ClusterSettings[],
  options: ClusterProviderOptions = {},
): ClusterProviderBundle[] {
  return clusters.map(cluster => clusterProviderFor(cluster, options));
}
