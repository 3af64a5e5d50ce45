import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  DatabaseRef,
  DatabaseSnapshot,
  DatabaseSnapshotsResponse,
  DatabaseStatus,
  dbaasDatabaseReadPermission,
  dbaasRestoreRequestPermission,
} from '@dbaas/plugin-dbaas-common';
import { ClusterEnvironment, ClusterSettings } from '@dbaas/plugin-dbaas-node';
import { DatabaseAccess } from '../access/DatabaseAccess';
import { DatabaseRecord, InventoryStore } from '../inventory/InventoryStore';
import { checkRef } from '../reading/DatabasesService';
import { SnapshotCatalog } from './SnapshotCatalog';
import { findSnapshotSubject } from './snapshotSubjectOf';

/** Statuses in which the database is not on its cluster (nothing to dump). */
const NOT_ON_CLUSTER: ReadonlySet<DatabaseStatus> = new Set([
  'requested',
  'merged',
  'abandoned',
  'deleted',
]);

/**
 * What callers may see and do with a database's snapshots, decided with
 * their credentials (REST API and MCP actions alike): reading needs
 * `dbaas.database.read`, an on-demand snapshot `dbaas.restore.request`
 * (the tenant's owners).
 */
export class SnapshotsService {
  constructor(
    private readonly options: {
      inventory: InventoryStore;
      access: DatabaseAccess;
      clusters: ClusterSettings[];
      catalog: SnapshotCatalog;
      retentionDays: Record<ClusterEnvironment, number>;
    },
  ) {}

  async list(
    ref: DatabaseRef,
    credentials: BackstageCredentials,
  ): Promise<DatabaseSnapshotsResponse> {
    checkRef(ref);
    await this.options.access.assertDatabase(
      dbaasDatabaseReadPermission,
      ref,
      credentials,
    );
    const record = await this.#require(ref);
    const subject = findSnapshotSubject(record, this.options.clusters);
    if (!subject) {
      // Not on a cluster yet: nothing taken, the retention it will get.
      const placement = this.options.clusters.find(
        c => c.namespaces.length === 0 || c.namespaces.includes(ref.namespace),
      );
      return {
        namespace: record.namespace,
        name: record.name,
        databaseName: record.databaseName,
        retentionDays:
          this.options.retentionDays[placement?.environment ?? 'production'],
        items: [],
      };
    }
    return this.options.catalog.list(subject);
  }

  /** Takes an on-demand snapshot; resolves when it is available. */
  async take(
    ref: DatabaseRef,
    credentials: BackstageCredentials,
  ): Promise<DatabaseSnapshot> {
    checkRef(ref);
    await this.options.access.assertDatabase(
      dbaasRestoreRequestPermission,
      ref,
      credentials,
      'take a snapshot of',
    );
    const record = await this.#require(ref);
    const subject = findSnapshotSubject(record, this.options.clusters);
    if (!subject || NOT_ON_CLUSTER.has(record.status)) {
      throw new InputError(
        `Database ${ref.namespace}/${ref.name} is ${record.status} and not on a cluster; there is nothing to snapshot`,
      );
    }
    return this.options.catalog.take(subject, 'on-demand');
  }

  async #require(ref: DatabaseRef): Promise<DatabaseRecord> {
    const record = await this.options.inventory.getDatabase(ref);
    if (!record) {
      throw new NotFoundError(
        `Database ${ref.namespace}/${ref.name} is not in the inventory`,
      );
    }
    return record;
  }
}
