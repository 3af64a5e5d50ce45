import { ClusterSettings } from '@dbaas/plugin-dbaas-node';
import { SnapshotStore } from './SnapshotStore';

/**
 * Snapshot storage per database, for billing (it matches the billing
 * helper's `SnapshotUsageReader`).
 */
export class SnapshotUsage {
  constructor(
    private readonly store: SnapshotStore,
    private readonly clusters: ClusterSettings[],
  ) {}

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
    const settings = this.clusters.find(c => c.name === cluster);
    // A cluster no longer configured may still have logical snapshots.
    if (settings?.provider === 'aurora') {
      return new Map();
    }
    return this.store.availableBytesByDatabase(cluster, at);
  }
}
