import { ClusterSettings } from '@dbaas/plugin-dbaas-node';
import { DatabaseRecord } from '../inventory/InventoryStore';
import { SnapshotSubject } from './SnapshotCatalog';

/** The snapshot subject of an inventory record on a known cluster. */
export function snapshotSubjectOf(
  record: Pick<DatabaseRecord, 'namespace' | 'name' | 'databaseName'>,
  cluster: ClusterSettings,
): SnapshotSubject {
  return {
    namespace: record.namespace,
    name: record.name,
    databaseName: record.databaseName,
    cluster,
  };
}

/**
 * The subject of an inventory record, or undefined while the database has
 * no cluster (requested, not yet provisioned) or its cluster is no longer
 * configured.
 */
export function findSnapshotSubject(
  record: Pick<
    DatabaseRecord,
    'namespace' | 'name' | 'databaseName' | 'cluster'
  >,
  clusters: ClusterSettings[],
): SnapshotSubject | undefined {
  const cluster = record.cluster
    ? clusters.find(c => c.name === record.cluster)
    : undefined;
  return cluster ? snapshotSubjectOf(record, cluster) : undefined;
}
