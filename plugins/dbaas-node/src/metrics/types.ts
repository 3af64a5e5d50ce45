/**
 * Cumulative counters of one database, as `pg_stat_database` reports them
 * since its last statistics reset.
 *
 * @public
 */
export interface DatabaseCounters {
  xact_commit: number;
  xact_rollback: number;
  blks_read: number;
  blks_hit: number;
  tup_inserted: number;
  tup_updated: number;
  tup_deleted: number;
  deadlocks: number;
  temp_bytes: number;
  /** Milliseconds spent executing statements; PostgreSQL 14+ only. */
  active_time_ms?: number;
  /** Milliseconds of session lifetime; PostgreSQL 14+ only. */
  session_time_ms?: number;
  /** When these counters were last reset, if the server says. */
  stats_reset?: Date;
}

/**
 * Client backends connected to one database at sampling time.
 *
 * @public
 */
export interface DatabaseConnections {
  /** Count per role name (`pg_stat_activity.usename`; `''` when unknown). */
  byRole: Record<string, number>;
  /** Count per state (`active`, `idle`, `idle in transaction`, ..., `unknown`). */
  byState: Record<string, number>;
  total: number;
}

/**
 * One database in one sampling pass.
 *
 * @public
 */
export interface DatabaseSample {
  databaseName: string;
  /** Server time of the pass (the same for every database of a pass). */
  at: Date;
  sizeBytes: number;
  connections: DatabaseConnections;
  counters: DatabaseCounters;
}

/**
 * One sampling pass over a cluster. An unreachable cluster is a sample
 * with `reachable: false`, a one-line `error` (never a password) and no
 * databases.
 *
 * @public
 */
export interface ClusterSample {
  cluster: string;
  at: Date;
  reachable: boolean;
  error?: string;
  /** `max_connections`; 0 when unreachable. */
  maxConnections: number;
  /** `server_version_num`, e.g. 150004; 0 when unreachable. */
  serverVersionNum: number;
  databases: DatabaseSample[];
}

/**
 * The counter-derived figures: the same keys in {@link DatabaseRates}
 * `perSecond` and `deltas`.
 *
 * @public
 */
export interface DatabaseCounterFigures {
  commits?: number;
  rollbacks?: number;
  blocksRead?: number;
  blocksHit?: number;
  tuplesInserted?: number;
  tuplesUpdated?: number;
  tuplesDeleted?: number;
  deadlocks?: number;
  tempBytes?: number;
}

/**
 * What happened in a database between two samples.
 *
 * A figure is absent when it cannot be known: after a statistics reset
 * whose time is unknown or earlier than the previous sample (see
 * {@link computeRates}). Rates are never negative.
 *
 * @public
 */
export interface DatabaseRates {
  /** Per second over `intervalSeconds`. */
  perSecond: DatabaseCounterFigures;
  /** Counter increments over `intervalSeconds`. */
  deltas: DatabaseCounterFigures;
  /** Blocks hit / (hit + read) over the interval; absent without reads. */
  cacheHitRatio?: number;
  /**
   * `active_time` delta / wall time (PostgreSQL 14+): the average number of
   * backends executing in this database, so it may exceed 1.
   */
  activeTimeShare?: number;
  /** The statistics were reset between the two samples. */
  reset: boolean;
  intervalSeconds: number;
}

/**
 * Compute capacity of a cluster at one time: Aurora Capacity Units, or the
 * configured ACU-equivalents of a local cluster.
 *
 * @public
 */
export interface CapacityPoint {
  at: Date;
  acu: number;
}

/**
 * Reads a cluster's compute capacity over a time range.
 *
 * @public
 */
export interface CapacityReader {
  readCapacity(options: { from: Date; to: Date }): Promise<CapacityPoint[]>;
}
