import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CapacityReader, ClusterSettings } from '@dbaas/plugin-dbaas-node';
import { clusterProviderFor } from '../providers/createClusterProviders';

/**
 * Where a cluster's compute capacity (ACU) comes from, as its provider's
 * bundle says (CloudWatch for Aurora, the configured `capacity` for a local
 * cluster), for callers that hold only the settings (the benchmarks).
 */
export function capacityReaderFor(
  cluster: ClusterSettings,
  cloudWatchClient?: (region: string) => CloudWatchClient,
): CapacityReader {
  return clusterProviderFor(cluster, {
    cloudWatchClient,
  }).createCapacityReader();
}
