import { ClusterSettings } from '@dbaas/plugin-dbaas-node';
import { createClusterProviders } from '../providers/createClusterProviders';
import { SnapshotStore } from './SnapshotStore';

/**
 * Snapshot storage per database, for billing (it matches the billing
 * helper's `SnapshotUsageReader`).
 */
export class SnapshotUsage {
  /** Clusters whose snapshots are whole-cluster ones (Aurora). */
  readonly #clusterSnapshots: ReadonlySet<string>;

  constructor(
    private readonly store: SnapshotStore,
    clusters: ClusterSettings[],
  ) {
    this.#clusterSnapshots = new Set(
      createClusterProviders(clusters)
        .filter(p => p.snapshots === 'cluster')
        .map(p => p.cluster.name),
    );
  }

  /**
   * Bytes of the snapshots of each database of `cluster` that existed at
   * `at` (available by then, not yet pruned), keyed by database name
   * (`<namespace>-<name>`).
   *
   * Aurora clusters: an empty map. A cluster snapshot holds every database
   * of the cluster and AWS reports only the cluster's storage, so there is
   * no per-database figure to give; billing splits the cluster's snapshot
   * cost by its own allocation rule instead.
   */
  async snapshotBytesByDatabase(
    cluster: string,
    at: Date,
  ): Promise<Map<string, number>> {
    // A cluster no longer configured may still have logical snapshots.
    if (this.#clusterSnapshots.has(cluster)) {
      return new Map();
    }
    return this.store.availableBytesByDatabase(cluster, at);
  }
}
