import { Client } from 'pg';
import { errorMessageLine, redactSecrets } from '../secrets/redact';
import {
  ClusterConnection,
  describeConnection,
} from '../cluster/connectionConfig';
import { withClusterClient } from '../cluster/openClusterClient';
import { ClusterSample, DatabaseCounters, DatabaseSample } from './types';

/** @public */
export interface PostgresMetricsSamplerOptions {
  /** Cluster name, as in `dbaas.clusters[].name`. */
  cluster: string;
  /**
   * The administrative connection. The role must be able to size every
   * database (superuser, `rds_superuser` or `pg_read_all_stats`).
   */
  connection: ClusterConnection;
  /** An unreachable cluster is reported after this long. @defaultValue 5000 */
  connectionTimeoutMillis?: number;
  /** Server-side limit for the sampling statement. @defaultValue 15000 */
  statementTimeoutMillis?: number;
}

/** PostgreSQL 14 added `active_time` and `session_time` to pg_stat_database. */
const ACTIVE_TIME_SINCE = 140000;

/**
 * The whole pass in one statement: every non-template database with its
 * size, its `pg_stat_database` counters and its client connections
 * aggregated from `pg_stat_activity` by role and state.
 *
 * `active_time` and `session_time` do not exist before PostgreSQL 14, so
 * the statement cannot name them as columns and still run everywhere: it
 * reads them from the row as JSON, and only when `server_version_num`
 * is at least 140000, so older servers report them as absent.
 *
 * The sampler's own session is not counted; databases being dropped
 * (`datconnlimit = -2`) are skipped.
 */
export const SAMPLE_SQL = `
WITH version AS (
  SELECT current_setting('server_version_num')::int AS num
),
activity AS (
  SELECT a.datid,
         coalesce(a.usename::text, '') AS role,
         coalesce(a.state, 'unknown') AS state,
         count(*)::int AS n
  FROM pg_catalog.pg_stat_activity a
  WHERE a.datid IS NOT NULL
    AND a.pid <> pg_catalog.pg_backend_pid()
  GROUP BY 1, 2, 3
)
SELECT
  clock_timestamp() AS at,
  current_setting('max_connections')::int AS max_connections,
  version.num AS server_version_num,
  coalesce((
    SELECT json_agg(json_build_object(
      'name', d.datname,
      'size', pg_catalog.pg_database_size(d.oid),
      'xact_commit', s.xact_commit,
      'xact_rollback', s.xact_rollback,
      'blks_read', s.blks_read,
      'blks_hit', s.blks_hit,
      'tup_inserted', s.tup_inserted,
      'tup_updated', s.tup_updated,
      'tup_deleted', s.tup_deleted,
      'deadlocks', s.deadlocks,
      'temp_bytes', s.temp_bytes,
      'active_time', CASE WHEN version.num >= ${ACTIVE_TIME_SINCE}
        THEN (to_jsonb(s) ->> 'active_time')::float8 END,
      'session_time', CASE WHEN version.num >= ${ACTIVE_TIME_SINCE}
        THEN (to_jsonb(s) ->> 'session_time')::float8 END,
      'stats_reset', s.stats_reset,
      'activity', (
        SELECT json_agg(json_build_object(
          'role', a.role, 'state', a.state, 'n', a.n))
        FROM activity a
        WHERE a.datid = d.oid
      )
    ) ORDER BY d.datname)
    FROM pg_catalog.pg_database d
    LEFT JOIN pg_catalog.pg_stat_database s ON s.datid = d.oid
    WHERE NOT d.datistemplate
      AND d.datconnlimit <> -2
  ), '[]'::json) AS databases
FROM version
`;

interface SampledRow {
  name: string;
  size: number | string | null;
  xact_commit: number | null;
  xact_rollback: number | null;
  blks_read: number | null;
  blks_hit: number | null;
  tup_inserted: number | null;
  tup_updated: number | null;
  tup_deleted: number | null;
  deadlocks: number | null;
  temp_bytes: number | null;
  active_time: number | null;
  session_time: number | null;
  stats_reset: string | null;
  activity: Array<{ role: string; state: string; n: number }> | null;
}

/** A database dropped between listing and sizing it: worth one more try. */
const UNDEFINED_DATABASE = '3D000';

function toDatabaseSample(row: SampledRow, at: Date): DatabaseSample {
  const byRole: Record<string, number> = {};
  const byState: Record<string, number> = {};
  let total = 0;
  for (const { role, state, n } of row.activity ?? []) {
    byRole[role] = (byRole[role] ?? 0) + n;
    byState[state] = (byState[state] ?? 0) + n;
    total += n;
  }
  const counters: DatabaseCounters = {
    xact_commit: Number(row.xact_commit ?? 0),
    xact_rollback: Number(row.xact_rollback ?? 0),
    blks_read: Number(row.blks_read ?? 0),
    blks_hit: Number(row.blks_hit ?? 0),
    tup_inserted: Number(row.tup_inserted ?? 0),
    tup_updated: Number(row.tup_updated ?? 0),
    tup_deleted: Number(row.tup_deleted ?? 0),
    deadlocks: Number(row.deadlocks ?? 0),
    temp_bytes: Number(row.temp_bytes ?? 0),
  };
  if (row.active_time !== null && row.active_time !== undefined) {
    counters.active_time_ms = Number(row.active_time);
  }
  if (row.session_time !== null && row.session_time !== undefined) {
    counters.session_time_ms = Number(row.session_time);
  }
  if (row.stats_reset) {
    counters.stats_reset = new Date(row.stats_reset);
  }
  return {
    databaseName: row.name,
    at,
    sizeBytes: Number(row.size ?? 0),
    connections: { byRole, byState, total },
    counters,
  };
}

/**
 * Samples the metrics of every database of a PostgreSQL cluster
 * (self-hosted or Aurora) with one connection and one statement per pass,
 * so a cluster with a thousand databases costs one round trip.
 *
 * Never throws for connectivity: an unreachable cluster, a timeout or a
 * refused login is a sample with `reachable: false` and a one-line error
 * without credentials. Turn consecutive samples into rates with
 * {@link computeRates}.
 *
 * @public
 */
export class PostgresMetricsSampler {
  readonly cluster: string;
  readonly #connection: ClusterConnection;
  readonly #connectionTimeoutMillis: number;
  readonly #statementTimeoutMillis: number;

  constructor(options: PostgresMetricsSamplerOptions) {
    this.cluster = options.cluster;
    this.#connection = options.connection;
    this.#connectionTimeoutMillis = options.connectionTimeoutMillis ?? 5_000;
    this.#statementTimeoutMillis = options.statementTimeoutMillis ?? 15_000;
  }

  async sample(): Promise<ClusterSample> {
    const startedAt = new Date();
    try {
      const row = await withClusterClient(
        this.#connection,
        {
          connectionTimeoutMillis: this.#connectionTimeoutMillis,
          statementTimeoutMillis: this.#statementTimeoutMillis,
          applicationName: 'backstage-dbaas-metrics',
        },
        client => this.#query(client),
      );
      const at = new Date(row.at);
      return {
        cluster: this.cluster,
        at,
        reachable: true,
        maxConnections: Number(row.max_connections),
        serverVersionNum: Number(row.server_version_num),
        databases: row.databases.map(db => toDatabaseSample(db, at)),
      };
    } catch (error) {
      return {
        cluster: this.cluster,
        at: startedAt,
        reachable: false,
        error: this.#describeFailure(error),
        maxConnections: 0,
        serverVersionNum: 0,
        databases: [],
      };
    }
  }

  async #query(client: Client) {
    const run = async () => {
      const result = await client.query<{
        at: Date | string;
        max_connections: number;
        server_version_num: number;
        databases: SampledRow[];
      }>(SAMPLE_SQL);
      return result.rows[0];
    };
    try {
      return await run();
    } catch (error) {
      // pg_database_size fails when a database is dropped while we look.
      if ((error as { code?: string }).code === UNDEFINED_DATABASE) {
        return await run();
      }
      throw error;
    }
  }

  #describeFailure(error: unknown): string {
    const message = redactSecrets(errorMessageLine(error), [
      this.#connection.password,
    ]);
    return `Cannot sample metrics of cluster '${
      this.cluster
    }' at ${describeConnection(this.#connection)}: ${
      message || 'unknown error'
    }`;
  }
}
