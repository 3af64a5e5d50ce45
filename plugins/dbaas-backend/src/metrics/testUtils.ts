import { ClusterSample, DatabaseSample } from '@dbaas/plugin-dbaas-node';

/** A database sample with the given counters over a zero baseline. */
export function dbSample(
  databaseName: string,
  at: Date,
  overrides: Partial<DatabaseSample['counters']> & {
    sizeBytes?: number;
    connections?: number;
  } = {},
): DatabaseSample {
  const { sizeBytes = 1000, connections = 2, ...counters } = overrides;
  return {
    databaseName,
    at,
    sizeBytes,
    connections: {
      byRole: { app: connections },
      byState: { idle: connections },
      total: connections,
    },
    counters: {
      xact_commit: 0,
      xact_rollback: 0,
      blks_read: 0,
      blks_hit: 0,
      tup_inserted: 0,
      tup_updated: 0,
      tup_deleted: 0,
      deadlocks: 0,
      temp_bytes: 0,
      ...counters,
    },
  };
}

export function clusterSample(
  cluster: string,
  at: Date,
  databases: DatabaseSample[],
): ClusterSample {
  return {
    cluster,
    at,
    reachable: true,
    maxConnections: 100,
    serverVersionNum: 150000,
    databases,
  };
}
