import { Entity } from '@backstage/catalog-model';
import {
  DBAAS_DATABASE_ANNOTATION,
  DBAAS_INVENTORY_LOCATION,
  DatabaseSummary,
  formatDatabaseAnnotation,
} from '@dbaas/plugin-dbaas-common';

/** Prefix of cluster entity names, so they never clash with a database's `<namespace>-<name>`. */
export const CLUSTER_ENTITY_PREFIX = 'dbaas-cluster-';

const LOCATION = DBAAS_INVENTORY_LOCATION;

/** Statuses whose databases no longer exist anywhere: their entities disappear. */
const GONE = new Set(['deleted', 'abandoned']);

export interface ClusterEntityInput {
  name: string;
  environment?: string;
  provider?: string;
}

function managedBy(): Record<string, string> {
  return {
    'backstage.io/managed-by-location': LOCATION,
    'backstage.io/managed-by-origin-location': LOCATION,
  };
}

export function clusterEntityRef(cluster: string): string {
  return `resource:default/${CLUSTER_ENTITY_PREFIX}${cluster}`;
}

/**
 * `kind: Resource`, `spec.type: database`, named `<namespace>-<name>`,
 * owned by the tenant's owner, depending on its cluster.
 */
export function databaseEntity(
  database: DatabaseSummary,
  fallbackOwner: string,
): Entity | undefined {
  if (GONE.has(database.status)) {
    return undefined;
  }
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: database.databaseName,
      title: `${database.namespace}/${database.name}`,
      description: database.restoredFrom
        ? `Restored copy of ${database.restoredFrom.source.databaseName} at ${database.restoredFrom.snapshotCreatedAt}, tenant ${database.namespace}; not in the apps repository`
        : `PostgreSQL database ${database.name} of tenant ${database.namespace} (${database.mode})`,
      annotations: {
        ...managedBy(),
        [DBAAS_DATABASE_ANNOTATION]: formatDatabaseAnnotation(database),
      },
      labels: {
        'dbaas.io/namespace': database.namespace,
        'dbaas.io/mode': database.mode,
      },
      tags: ['postgresql'],
    },
    spec: {
      type: 'database',
      owner: database.owners[0] ?? fallbackOwner,
      ...(database.cluster
        ? { dependsOn: [clusterEntityRef(database.cluster)] }
        : {}),
    },
  };
}

/** One `Resource` of type `database-cluster` per configured cluster. */
export function clusterEntity(
  cluster: ClusterEntityInput,
  owner: string,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: `${CLUSTER_ENTITY_PREFIX}${cluster.name}`,
      title: cluster.name,
      description: `PostgreSQL cluster ${cluster.name}${
        cluster.environment ? ` (${cluster.environment})` : ''
      } shared by many tenants`,
      annotations: managedBy(),
      tags: ['postgresql'],
    },
    spec: { type: 'database-cluster', owner },
  };
}
