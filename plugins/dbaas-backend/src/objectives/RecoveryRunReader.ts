import { RestoreDrillState } from '@dbaas/plugin-dbaas-common';
import { Knex } from 'knex';
import { CLUSTER_RUNS, OWN_RUNS, RecoveryRun } from './estimateRecoveryTime';

/** The newest drill of a database that was attempted (not skipped). */
export interface LatestDrill {
  namespace: string;
  name: string;
  state: Exclude<RestoreDrillState, 'skipped'>;
  at: Date;
  error?: string;
}

/** What the objectives task reads about restores that ran. */
export interface RecoveryRuns {
  /** Newest first per database (at most OWN_RUNS each) and per cluster. */
  runs: RecoveryRun[];
  /** The newest attempted drill of each database, by `<ns>/<name>`. */
  latestDrills: Map<string, LatestDrill>;
}

function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(value as string);
}

function optionalNumber(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}

/**
 * Reads the measured recovery times: drills that passed
 * (`dbaas_restore_drills`, their restore and verification) and restores
 * that succeeded (`dbaas_restore_requests`, from the start of their first
 * step to their end, less the time an in-place restore waited in
 * `awaiting-finalize` for a person to finalize it; the dump's size from
 * `dbaas_snapshots` where the snapshot was a logical one). Only the newest few per database and per
 * cluster, ranked in SQL.
 */
export class RecoveryRunReader {
  constructor(private readonly knex: Knex) {}

  async read(): Promise<RecoveryRuns> {
    const limit = Math.max(OWN_RUNS, CLUSTER_RUNS);
    const { rows } = await this.knex.raw(
      `WITH runs AS (
         SELECT 'drill' AS kind, d.namespace, d.name, d.cluster,
                d.finished_at, d.duration_ms, d.snapshot_size_bytes AS size_bytes
         FROM dbaas_restore_drills d
         WHERE d.state = 'passed' AND d.duration_ms IS NOT NULL
         UNION ALL
         SELECT 'restore', r.namespace, r.name, r.cluster, r.finished_at,
                GREATEST(0, (EXTRACT(EPOCH FROM (r.finished_at - r.started_at)) * 1000)::bigint
                  - CASE WHEN r.finalized_at IS NOT NULL
                          AND r.finalize_deadline IS NOT NULL
                          AND r.finalize_time_limit_ms IS NOT NULL
                    -- it entered awaiting-finalize at deadline - limit
                    THEN (EXTRACT(EPOCH FROM (r.finalized_at - r.finalize_deadline)) * 1000)::bigint
                         + r.finalize_time_limit_ms
                    ELSE 0 END),
                s.size_bytes
         FROM dbaas_restore_requests r
         LEFT JOIN dbaas_snapshots s ON s.id = r.snapshot_id
         WHERE r.state = 'succeeded'
           AND r.started_at IS NOT NULL AND r.finished_at IS NOT NULL
       ), ranked AS (
         SELECT runs.*,
                row_number() OVER (PARTITION BY namespace, name ORDER BY finished_at DESC) AS own_rank,
                row_number() OVER (PARTITION BY cluster ORDER BY finished_at DESC) AS cluster_rank
         FROM runs
       )
       SELECT * FROM ranked WHERE own_rank <= ? OR cluster_rank <= ?`,
      [limit, limit],
    );
    const runs: RecoveryRun[] = rows.map((row: any) => ({
      kind: row.kind,
      namespace: row.namespace,
      name: row.name,
      cluster: row.cluster,
      finishedAt: toDate(row.finished_at),
      durationMs: Number(row.duration_ms),
      sizeBytes: optionalNumber(row.size_bytes),
    }));

    const { rows: drills } = await this.knex.raw(
      `SELECT DISTINCT ON (namespace, name) namespace, name, state, finished_at, error
       FROM dbaas_restore_drills
       WHERE state IN ('passed', 'failed') AND finished_at IS NOT NULL
       ORDER BY namespace, name, finished_at DESC`,
    );
    const latestDrills = new Map<string, LatestDrill>(
      drills.map((row: any) => [
        `${row.namespace}/${row.name}`,
        {
          namespace: row.namespace,
          name: row.name,
          state: row.state,
          at: toDate(row.finished_at),
          error: row.error ?? undefined,
        },
      ]),
    );
    return { runs, latestDrills };
  }
}
