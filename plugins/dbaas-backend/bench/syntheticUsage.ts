/*
 * Data for the benchmarks, made the way the plugin makes it in production:
 * sampling passes written with MetricsStore (the sampling task's write) and
 * rolled up by it, billing rows priced from those points by HourlyBilling
 * into BillingStore. Only the passes themselves are made up (there is no
 * cluster with thousands of busy databases to sample), and daily rollups
 * can be copied to more days in SQL where producing them all would take
 * too long (each benchmark says where it does).
 */
import { ClusterSample, DatabaseSample } from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import { seededRandom } from '../src/billing/testUtils';
import { MetricsStore } from '../src/metrics/MetricsStore';

const GB = 1024 ** 3;
const MB = 1024 ** 2;

/** A small stable hash, so each database keeps its own size. */
function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  }
  return h >>> 0;
}

/**
 * Sampling passes over one cluster, as PostgresMetricsSampler returns
 * them: each database's size and its cumulative `pg_stat_database`
 * counters (PostgreSQL 15, so with `active_time`), which grow by a seeded
 * random amount per second; about 40 % of the intervals are idle.
 */
export class SyntheticCluster {
  readonly #random: () => number;
  readonly #last = new Map<string, DatabaseSample>();

  constructor(readonly name: string, seed = 1) {
    this.#random = seededRandom(seed);
  }

  /** The previous pass of each database, for MetricsStore.recordSamples. */
  get previous(): Map<string, DatabaseSample> {
    return this.#last;
  }

  /** One pass at `at` over `databaseNames`. */
  pass(at: Date, databaseNames: string[]): ClusterSample {
    const databases = databaseNames.map(name => this.#next(name, at));
    return {
      cluster: this.name,
      at,
      reachable: true,
      maxConnections: 500,
      serverVersionNum: 150010,
      databases,
    };
  }

  /** Call after the pass is recorded: it becomes the previous one. */
  recorded(sample: ClusterSample) {
    for (const db of sample.databases) {
      this.#last.set(db.databaseName, db);
    }
  }

  #next(databaseName: string, at: Date): DatabaseSample {
    const random = this.#random;
    const before = this.#last.get(databaseName);
    const seconds = before ? (at.getTime() - before.at.getTime()) / 1000 : 0;
    const busy = random() >= 0.4;
    const tps = busy ? random() * 40 : 0;
    const c = before?.counters;
    const grow = (value: number | undefined, perSecond: number) =>
      (value ?? 0) + Math.round(perSecond * seconds);
    const connections = busy ? 2 + Math.floor(random() * 10) : 1;
    return {
      databaseName,
      at,
      sizeBytes:
        (before?.sizeBytes ?? (1 + (hash(databaseName) % 50)) * GB) +
        Math.round(tps * seconds * 200),
      connections: {
        byRole: { app: connections },
        byState: busy ? { active: 1, idle: connections - 1 } : { idle: 1 },
        total: connections,
      },
      counters: {
        xact_commit: grow(c?.xact_commit, tps),
        xact_rollback: grow(c?.xact_rollback, tps * 0.01),
        blks_read: grow(c?.blks_read, tps * 2),
        blks_hit: grow(c?.blks_hit, tps * 60),
        tup_inserted: grow(c?.tup_inserted, tps * 3),
        tup_updated: grow(c?.tup_updated, tps * 2),
        tup_deleted: grow(c?.tup_deleted, tps * 0.2),
        deadlocks: c?.deadlocks ?? 0,
        temp_bytes: grow(c?.temp_bytes, busy && random() < 0.05 ? MB : 0),
        active_time_ms: grow(
          c?.active_time_ms,
          busy ? random() * 0.2 * 1000 : 0,
        ),
        session_time_ms: grow(c?.session_time_ms, connections * 1000),
      },
    };
  }
}

/**
 * Writes a pass every `stepMs` from `from` (inclusive) to `to` (exclusive)
 * with MetricsStore.recordSamples, which computes each database's rates
 * from its previous pass (handed over from memory rather than read back).
 * Returns the number of raw points written.
 */
export async function recordPasses(
  store: MetricsStore,
  cluster: SyntheticCluster,
  databaseNames: string[],
  range: { from: number; to: number; stepMs: number },
): Promise<number> {
  let points = 0;
  for (let at = range.from; at < range.to; at += range.stepMs) {
    const sample = cluster.pass(new Date(at), databaseNames);
    points += await store.recordSamples(cluster.name, sample, cluster.previous);
    cluster.recorded(sample);
  }
  return points;
}

/** 'YYYY-MM-DD' (UTC) of a time. */
export function utcDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/**
 * Fills the days `fromDay`..`toDay` (inclusive) of both daily rollup tables
 * with copies of the rows of `sourceFrom` and the `sourceDays - 1` days
 * after it, cycling (target day i gets source day i mod sourceDays). Rows
 * that exist are kept (ON CONFLICT DO NOTHING). Returns the database rows
 * added.
 */
export async function copyDailyRollups(
  knex: Knex,
  options: {
    sourceFrom: string;
    sourceDays: number;
    fromDay: string;
    toDay: string;
  },
): Promise<number> {
  let added = 0;
  for (const table of [
    'dbaas_billing_daily_databases',
    'dbaas_billing_daily_clusters',
  ]) {
    const { rows: columns } = await knex.raw(
      `SELECT column_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name = ? AND column_name <> 'day'
       ORDER BY ordinal_position`,
      [table],
    );
    const names = columns.map((c: { column_name: string }) => c.column_name);
    const list = names.map(() => '??').join(', ');
    const sourceList = names.map(() => 's.??').join(', ');
    const result = await knex.raw(
      `INSERT INTO ?? (day, ${list})
       SELECT to_char(g.d, 'YYYY-MM-DD'), ${sourceList}
       FROM generate_series(?::date, ?::date, interval '1 day') AS g(d)
       JOIN ?? s ON s.day = to_char(
         ?::date + ((g.d::date - ?::date) % ?), 'YYYY-MM-DD')
       ON CONFLICT DO NOTHING`,
      [
        table,
        ...names,
        ...names,
        options.fromDay,
        options.toDay,
        table,
        options.sourceFrom,
        options.fromDay,
        options.sourceDays,
      ],
    );
    if (table === 'dbaas_billing_daily_databases') {
      added = result.rowCount ?? 0;
    }
  }
  // Rows written behind the store's back: no month split is current any
  // more (a tenant's month computes its clusters' splits again).
  await knex('dbaas_billing_month_splits').delete();
  for (const table of [
    'dbaas_billing_daily_databases',
    'dbaas_billing_daily_clusters',
  ]) {
    await knex.raw('ANALYZE ??', [table]);
  }
  return added;
}

/** The p-th percentile (0..1) of ascending values. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

export function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}
