import {
  ClusterSample,
  computeRates,
  DatabaseSample,
} from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import {
  DatabaseHourUsage,
  DEFAULT_METRICS_RETENTION,
  LastSample,
  MetricResolution,
  MetricSeries,
  MetricsRetention,
  MetricsStore,
  StoredMetricPoint,
} from './MetricsStore';

const POINTS = 'dbaas_metric_points';
const LAST = 'dbaas_metric_last_samples';

/** Rows per statement when writing many databases at once. */
const CHUNK = 500;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const BUCKET_MS = { raw: 0, hour: HOUR_MS, day: DAY_MS } as const;

type FigureKey = Exclude<keyof StoredMetricPoint, 'at' | 'samples'>;

/** Metric columns, their point field and how roll-ups combine them. */
const COLUMNS: ReadonlyArray<[string, FigureKey, 'avg' | 'sum']> = [
  ['size_bytes', 'sizeBytes', 'avg'],
  ['connections', 'connections', 'avg'],
  ['commits_per_s', 'commitsPerSecond', 'avg'],
  ['rollbacks_per_s', 'rollbacksPerSecond', 'avg'],
  ['blocks_read_per_s', 'blocksReadPerSecond', 'avg'],
  ['blocks_hit_per_s', 'blocksHitPerSecond', 'avg'],
  ['tuples_in_per_s', 'tuplesInsertedPerSecond', 'avg'],
  ['tuples_up_per_s', 'tuplesUpdatedPerSecond', 'avg'],
  ['tuples_del_per_s', 'tuplesDeletedPerSecond', 'avg'],
  ['deadlocks', 'deadlocks', 'sum'],
  ['temp_bytes_per_s', 'tempBytesPerSecond', 'avg'],
  ['cache_hit_ratio', 'cacheHitRatio', 'avg'],
  ['active_time_share', 'activeTimeShare', 'avg'],
];

type PointRow = Record<string, unknown> & {
  bucket_start: Date | string;
  samples: number;
};

interface LastSampleRow {
  database_name: string;
  cluster: string;
  sample: string | StoredSampleJson;
}

interface StoredSampleJson {
  databaseName: string;
  at: string;
  sizeBytes: number;
  connections: DatabaseSample['connections'];
  counters: Omit<DatabaseSample['counters'], 'stats_reset'> & {
    stats_reset?: string;
  };
  maxConnections?: number;
}

function optionalNumber(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}

function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

function toSampleJson(
  sample: DatabaseSample,
  maxConnections: number,
): StoredSampleJson {
  const { stats_reset, ...counters } = sample.counters;
  return {
    databaseName: sample.databaseName,
    at: sample.at.toISOString(),
    sizeBytes: sample.sizeBytes,
    connections: sample.connections,
    counters: {
      ...counters,
      ...(stats_reset && { stats_reset: stats_reset.toISOString() }),
    },
    maxConnections,
  };
}

function fromSampleJson(json: StoredSampleJson): DatabaseSample {
  const { stats_reset, ...counters } = json.counters;
  return {
    databaseName: json.databaseName,
    at: new Date(json.at),
    sizeBytes: json.sizeBytes,
    connections: json.connections,
    counters: {
      ...counters,
      ...(stats_reset && { stats_reset: new Date(stats_reset) }),
    },
  };
}

function toPoint(row: PointRow): StoredMetricPoint {
  const point: StoredMetricPoint = {
    at: toDate(row.bucket_start),
    samples: Number(row.samples),
  };
  for (const [column, key] of COLUMNS) {
    const value = row[column];
    if (value !== null && value !== undefined) {
      point[key] = Number(value);
    }
  }
  return point;
}

/** `date_trunc` in UTC, whatever the session time zone. */
function truncSql(unit: 'hour' | 'day'): string {
  return `date_trunc('${unit}', bucket_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;
}

/**
 * {@link MetricsStore} in the plugin's database (PostgreSQL).
 */
export class DatabaseMetricsStore implements MetricsStore {
  readonly retention: MetricsRetention;

  constructor(
    private readonly knex: Knex,
    retention: Partial<MetricsRetention> = {},
  ) {
    this.retention = { ...DEFAULT_METRICS_RETENTION, ...retention };
  }

  /** The previous samples of these databases (all when omitted). */
  async lastSamples(
    databaseNames?: string[],
  ): Promise<Map<string, LastSample>> {
    const result = new Map<string, LastSample>();
    const load = async (names?: string[]) => {
      const query = this.knex<LastSampleRow>(LAST).select(
        'database_name',
        'cluster',
        'sample',
      );
      if (names) {
        query.whereIn('database_name', names);
      }
      const rows: LastSampleRow[] = await query;
      for (const row of rows) {
        const json: StoredSampleJson =
          typeof row.sample === 'string' ? JSON.parse(row.sample) : row.sample;
        result.set(row.database_name, {
          cluster: row.cluster,
          sample: fromSampleJson(json),
          ...(json.maxConnections !== undefined && {
            maxConnections: json.maxConnections,
          }),
        });
      }
    };
    if (!databaseNames) {
      await load();
    } else {
      for (let i = 0; i < databaseNames.length; i += CHUNK) {
        await load(databaseNames.slice(i, i + CHUNK));
      }
    }
    return result;
  }

  /**
   * Writes one raw point per database of a reachable sample, with the
   * rates since `previousByDb` (loaded from the store when omitted), and
   * keeps the sample as the next previous one. An unreachable sample
   * writes nothing.
   */
  async recordSamples(
    cluster: string,
    sample: ClusterSample,
    previousByDb?: Map<string, DatabaseSample | LastSample>,
  ): Promise<number> {
    if (!sample.reachable || sample.databases.length === 0) {
      return 0;
    }
    const previous =
      previousByDb ??
      (await this.lastSamples(sample.databases.map(d => d.databaseName)));
    const points: Array<Record<string, unknown>> = [];
    const last: Array<Record<string, unknown>> = [];
    for (const db of sample.databases) {
      const before = previous.get(db.databaseName);
      const rates = computeRates(
        before && 'sample' in before ? before.sample : before,
        db,
      );
      const perSecond = rates?.perSecond ?? {};
      points.push({
        cluster,
        database_name: db.databaseName,
        resolution: 'raw',
        bucket_start: db.at,
        size_bytes: db.sizeBytes,
        connections: db.connections.total,
        commits_per_s: perSecond.commits ?? null,
        rollbacks_per_s: perSecond.rollbacks ?? null,
        blocks_read_per_s: perSecond.blocksRead ?? null,
        blocks_hit_per_s: perSecond.blocksHit ?? null,
        tuples_in_per_s: perSecond.tuplesInserted ?? null,
        tuples_up_per_s: perSecond.tuplesUpdated ?? null,
        tuples_del_per_s: perSecond.tuplesDeleted ?? null,
        deadlocks: rates?.deltas.deadlocks ?? null,
        temp_bytes_per_s: perSecond.tempBytes ?? null,
        cache_hit_ratio: rates?.cacheHitRatio ?? null,
        active_time_share: rates?.activeTimeShare ?? null,
        samples: 1,
      });
      last.push({
        database_name: db.databaseName,
        cluster,
        sample: JSON.stringify(toSampleJson(db, sample.maxConnections)),
        sampled_at: db.at,
      });
    }
    await this.knex.transaction(async tx => {
      for (let i = 0; i < points.length; i += CHUNK) {
        await tx(POINTS)
          .insert(points.slice(i, i + CHUNK))
          .onConflict(['database_name', 'resolution', 'bucket_start'])
          .merge();
        await tx(LAST)
          .insert(last.slice(i, i + CHUNK))
          .onConflict('database_name')
          .merge();
      }
    });
    return points.length;
  }

  /**
   * Aggregates raw points into hours and hours into days (UTC), then
   * deletes what is past retention. Idempotent: a bucket is recomputed
   * from all of its sources and upserted. Only the buckets from the last
   * one rolled up onwards are recomputed, so a run costs the recent data.
   */
  async rollUp(now: Date = new Date()): Promise<void> {
    await this.#aggregate('raw', 'hour', HOUR_MS);
    await this.#aggregate('hour', 'day', DAY_MS);
    const cutoffs: Array<[MetricResolution, number]> = [
      ['raw', this.retention.rawMs],
      ['hour', this.retention.hourMs],
      ['day', this.retention.dayMs],
    ];
    for (const [resolution, keepMs] of cutoffs) {
      await this.knex(POINTS)
        .where({ resolution })
        .andWhere('bucket_start', '<', new Date(now.getTime() - keepMs))
        .delete();
    }
    await this.knex(LAST)
      .where('sampled_at', '<', new Date(now.getTime() - this.retention.rawMs))
      .delete();
  }

  async #aggregate(
    source: MetricResolution,
    target: 'hour' | 'day',
    bucketMs: number,
  ): Promise<void> {
    // The newest target bucket may have been partial; one more for clock
    // skew between clusters.
    const latest = await this.knex(POINTS)
      .where({ resolution: target })
      .max({ at: 'bucket_start' })
      .first();
    const since = latest?.at
      ? new Date(toDate(latest.at).getTime() - bucketMs)
      : undefined;
    const figures = COLUMNS.map(([column, , how]) =>
      how === 'sum'
        ? `sum(${column}) AS ${column}`
        : `sum(${column} * samples) / nullif(sum(CASE WHEN ${column} IS NOT NULL THEN samples END), 0) AS ${column}`,
    );
    const names = COLUMNS.map(([column]) => column);
    await this.knex.raw(
      `INSERT INTO ${POINTS} (cluster, database_name, resolution, bucket_start, ${names.join(
        ', ',
      )}, samples)
       SELECT max(cluster), database_name, ?, ${truncSql(target)} AS bucket,
              ${figures.join(',\n              ')},
              sum(samples)
       FROM ${POINTS}
       WHERE resolution = ?${since ? ' AND bucket_start >= ?' : ''}
       GROUP BY database_name, bucket
       ON CONFLICT (database_name, resolution, bucket_start) DO UPDATE SET
         cluster = excluded.cluster,
         ${names.map(n => `${n} = excluded.${n}`).join(', ')},
         samples = excluded.samples`,
      since ? [target, source, since] : [target, source],
    );
  }

  /**
   * The resolution a range is served from: raw while the whole range is
   * within raw retention, hourly within hourly retention, daily otherwise.
   * Long ranges therefore never read raw history.
   */
  resolutionFor(
    from: Date,
    to: Date,
    now: Date = new Date(),
  ): MetricResolution {
    const span = to.getTime() - from.getTime();
    const age = now.getTime() - from.getTime();
    if (span <= this.retention.rawMs && age <= this.retention.rawMs) {
      return 'raw';
    }
    if (span <= this.retention.hourMs && age <= this.retention.hourMs) {
      return 'hour';
    }
    return 'day';
  }

  /** The points of a database between `from` and `to`, oldest first. */
  async series(
    databaseName: string,
    from: Date,
    to: Date,
    now: Date = new Date(),
  ): Promise<MetricSeries> {
    const resolution = this.resolutionFor(from, to, now);
    const bucketMs = BUCKET_MS[resolution];
    // A bucket that started before `from` still covers part of the range.
    const start = bucketMs > 0 ? new Date(from.getTime() - bucketMs + 1) : from;
    const rows: PointRow[] = await this.knex(POINTS)
      .select('bucket_start', 'samples', ...COLUMNS.map(([column]) => column))
      .where({ database_name: databaseName, resolution })
      .andWhere('bucket_start', '>=', start)
      .andWhere('bucket_start', '<=', to)
      .orderBy('bucket_start', 'asc');
    return { resolution, points: rows.map(toPoint) };
  }

  /**
   * Reads the hourly roll-ups (resolution `hour`, see migration
   * 20261123_metrics) in one statement per range, so billing a
   * cluster-hour costs one indexed range read, not one query per database.
   */
  async hourlyUsage(
    cluster: string,
    from: Date,
    to: Date,
  ): Promise<DatabaseHourUsage[]> {
    const rows = await this.knex(POINTS)
      .select(
        'database_name',
        'bucket_start',
        'size_bytes',
        'active_time_share',
        'commits_per_s',
        'rollbacks_per_s',
      )
      .where({ resolution: 'hour', cluster })
      .andWhere('bucket_start', '>=', from)
      .andWhere('bucket_start', '<', to)
      .orderBy(['bucket_start', 'database_name']);
    return rows.map(row => ({
      databaseName: row.database_name,
      hourStart: new Date(row.bucket_start),
      sizeBytes: optionalNumber(row.size_bytes),
      activeTimeShare: optionalNumber(row.active_time_share),
      commitsPerSecond: optionalNumber(row.commits_per_s),
      rollbacksPerSecond: optionalNumber(row.rollbacks_per_s),
    }));
  }

  async firstHour(cluster: string, since: Date): Promise<Date | undefined> {
    const row = await this.knex(POINTS)
      .where({ resolution: 'hour', cluster })
      .andWhere('bucket_start', '>=', since)
      .min({ at: 'bucket_start' })
      .first();
    return row?.at ? new Date(row.at) : undefined;
  }
}
