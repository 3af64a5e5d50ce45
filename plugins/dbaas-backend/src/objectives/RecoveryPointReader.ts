import { errorMessageLine } from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import { DatabaseRecord } from '../inventory/InventoryStore';
import { ClusterProviderBundle } from '../providers/ClusterProviderBundle';
import { SnapshotCatalog } from '../snapshots/SnapshotCatalog';
import { snapshotSubjectOf } from '../snapshots/snapshotSubjectOf';

/** The newest point a database can be restored to, or why it is not known. */
export interface RecoveryPoint {
  at?: Date;
  source?: 'snapshot' | 'restorable-time';
  /** The snapshot's id for `snapshot`. */
  id?: string;
  /** The snapshot's size, when it is one database's (logical snapshots). */
  sizeBytes?: number;
  /** Set when the cluster could not be asked: `at` is then unknown. */
  error?: string;
}

/**
 * Reads recovery points per cluster, for every database of it at once.
 *
 * Self-hosted clusters: the newest `available` logical snapshot of each
 * database (its dump is complete and its checksum recorded), at the moment
 * pg_dump started (what its data is as of). One query for the cluster.
 *
 * Aurora: the cluster's latest restorable time (continuous backups; the
 * same for every database of the cluster), from DescribeDBClusters through
 * the snapshot catalog, which caches it briefly; without one (backups
 * off), the newest available cluster snapshot.
 */
export class RecoveryPointReader {
  constructor(
    private readonly knex: Knex,
    private readonly catalog: SnapshotCatalog,
  ) {}

  async read(
    provider: ClusterProviderBundle,
    databases: DatabaseRecord[],
  ): Promise<Map<string, RecoveryPoint>> {
    if (databases.length === 0) {
      return new Map();
    }
    return provider.snapshots === 'logical'
      ? this.#logical(provider.cluster.name, databases)
      : this.#cluster(provider, databases);
  }

  async #logical(
    cluster: string,
    databases: DatabaseRecord[],
  ): Promise<Map<string, RecoveryPoint>> {
    const { rows } = await this.knex.raw(
      `SELECT DISTINCT ON (database_name) database_name, id, created_at, size_bytes
       FROM dbaas_snapshots
       WHERE cluster = ? AND status = 'available' AND database_name = ANY(?)
       ORDER BY database_name, created_at DESC, id DESC`,
      [cluster, databases.map(d => d.databaseName)],
    );
    return new Map(
      rows.map((row: any) => [
        row.database_name,
        {
          at: new Date(row.created_at),
          source: 'snapshot',
          id: row.id,
          sizeBytes:
            row.size_bytes === null ? undefined : Number(row.size_bytes),
        } satisfies RecoveryPoint,
      ]),
    );
  }

  async #cluster(
    provider: ClusterProviderBundle,
    databases: DatabaseRecord[],
  ): Promise<Map<string, RecoveryPoint>> {
    let point: RecoveryPoint;
    try {
      // Cluster snapshots hold every database: one answer serves all.
      const listing = await this.catalog.list(
        snapshotSubjectOf(databases[0], provider.cluster),
      );
      const newest = listing.items.find(s => s.status === 'available');
      if (listing.restoreWindow) {
        point = {
          at: new Date(listing.restoreWindow.latest),
          source: 'restorable-time',
        };
      } else if (newest) {
        point = {
          at: new Date(newest.createdAt),
          source: 'snapshot',
          id: newest.id,
        };
      } else {
        point = {};
      }
    } catch (error) {
      point = {
        error: `Could not read the recovery point of cluster '${
          provider.cluster.name
        }': ${errorMessageLine(error)}`,
      };
    }
    return new Map(databases.map(d => [d.databaseName, point]));
  }
}
