import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  CapacityReader,
  CloudWatchCapacityReader,
  ClusterSettings,
  FixedCapacityReader,
} from '@dbaas/plugin-dbaas-node';

/**
 * Where a cluster's compute capacity (ACU) comes from: CloudWatch's
 * `ServerlessDatabaseCapacity` for Aurora (`aurora.region`,
 * `aurora.clusterIdentifier`; credentials from the default AWS chain), the
 * configured `capacity` for a local cluster, which has no meter.
 */
export function capacityReaderFor(
  cluster: Pick<ClusterSettings, 'name' | 'provider' | 'aurora' | 'capacity'>,
  createClient: (region: string) => CloudWatchClient = region =>
    new CloudWatchClient({ region }),
): CapacityReader {
  if (cluster.provider === 'aurora' && cluster.aurora) {
    return new CloudWatchCapacityReader({
      client: createClient(cluster.aurora.region),
      clusterIdentifier: cluster.aurora.clusterIdentifier,
    });
  }
  return new FixedCapacityReader({ acu: cluster.capacity });
}
