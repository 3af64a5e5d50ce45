import { Knex } from 'knex';
import {
  COST_COMPONENTS,
  ClusterHourCost,
  ComponentAmounts,
  CostComponent,
  DailyClusterRollup,
  DailyDatabaseRollup,
} from './TenantCostAllocator';
import {
  BillingRetention,
  BillingStore,
  DEFAULT_BILLING_RETENTION,
  MonthRollups,
  TenantMonthRollups,
} from './BillingStore';
import { MICROS_PER_CENT, microsToCents, remainderCut } from './money';
import { ClusterMonthSplit, tiesCut } from './monthReport';

const HOURS = 'dbaas_billing_hours';
const HOUR_COSTS = 'dbaas_billing_hour_costs';
const DAILY_DATABASES = 'dbaas_billing_daily_databases';
const DAILY_CLUSTERS = 'dbaas_billing_daily_clusters';
const SPLITS = 'dbaas_billing_month_splits';
const VERSION_SEQ = 'dbaas_billing_month_version_seq';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Rows per INSERT statement. */
const CHUNK = 500;
/**
 * First key of the advisory locks that serialize writes to one cluster's
 * day (the second is a hash of cluster and day). Arbitrary, fixed so every
 * replica takes the same lock.
 */
const DAY_LOCK_CLASS = 0x0dbaa5b1;

type Row = Record<string, unknown>;

const microsColumn = (component: CostComponent) =>
  `${component.replace(/[A-Z]/g, c => `_${c.toLowerCase()}`)}_micros`;
const MICROS_COLUMNS = COST_COMPONENTS.map(microsColumn);
const USAGE_COLUMNS = [
  'storage_gb_hours',
  'snapshot_gb_hours',
  'active_seconds',
  'transactions',
];

function microsRow(amounts: ComponentAmounts): Row {
  const row: Row = {};
  COST_COMPONENTS.forEach((component, i) => {
    row[MICROS_COLUMNS[i]] = amounts[component];
  });
  return row;
}

/** Micros from an array row holding MICROS_COLUMNS (COST_COMPONENTS order) at `offset`. */
function amountsAt(row: unknown[], offset: number): ComponentAmounts {
  return {
    computeUsed: Number(row[offset]),
    computeIdle: Number(row[offset + 1]),
    storage: Number(row[offset + 2]),
    snapshots: Number(row[offset + 3]),
    base: Number(row[offset + 4]),
  };
}

function utcDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** First day of a 'YYYY-MM' month and first day of the next. */
function monthDays(month: string): { fromDay: string; toDay: string } {
  const [year, m] = month.split('-').map(Number);
  return {
    fromDay: `${month}-01`,
    toDay: utcDay(Date.UTC(year, m, 1)),
  };
}

const DATABASE_ROW_COLUMNS = [
  'cluster',
  'namespace',
  'name',
  'day',
  'hours',
  ...USAGE_COLUMNS,
  ...MICROS_COLUMNS,
];

/** Rows of a query on DATABASE_ROW_COLUMNS as rollups. */
function databaseRollupsOf(rows: unknown[][]): DailyDatabaseRollup[] {
  return rows.map(row => ({
    cluster: row[0] as string,
    namespace: row[1] as string,
    name: row[2] as string,
    day: row[3] as string,
    usage: {
      hours: Number(row[4]),
      storageGbHours: Number(row[5]),
      snapshotGbHours: Number(row[6]),
      activeSeconds: Number(row[7]),
      transactions: Number(row[8]),
    },
    micros: amountsAt(row, 9),
  }));
}

/**
 * Rows of `table` with `fromDay <= day < toDay` (and `where`), the
 * columns as arrays. A month of 1,000 tenants is ~31,000 rows of 14
 * columns: parsed value by value by the driver, reading them took most of
 * GET /billing's time; as ONE JSON array of arrays built by PostgreSQL,
 * the driver does a single JSON.parse. (Micros stay far below 2^53 in a
 * day.)
 */
async function rowsInDays(
  db: Knex | Knex.Transaction,
  table: string,
  columns: string[],
  fromDay: string,
  toDay: string,
  where: { namespace?: string } = {},
): Promise<unknown[][]> {
  const row = columns.map(() => '??').join(', ');
  const byNamespace = where.namespace !== undefined ? 'AND namespace = ?' : '';
  const { rows } = await db.raw(
    `SELECT coalesce(json_agg(json_build_array(${row})), '[]'::json) AS rows
     FROM ?? WHERE day >= ? AND day < ? ${byNamespace}`,
    [
      ...columns,
      table,
      fromDay,
      toDay,
      ...(where.namespace !== undefined ? [where.namespace] : []),
    ],
  );
  return rows[0].rows as unknown[][];
}

/** End of the latest hour stored with `fromDay <= day < toDay`. */
async function dataEndOf(
  db: Knex | Knex.Transaction,
  fromDay: string,
  toDay: string,
): Promise<Date | undefined> {
  const latest = await db(HOURS)
    .where('day', '>=', fromDay)
    .andWhere('day', '<', toDay)
    .max({ at: 'hour_start' })
    .first();
  return latest?.at
    ? new Date(new Date(latest.at).getTime() + HOUR_MS)
    : undefined;
}

/** Starts a transaction that reads one snapshot of the database. */
async function snapshotOf(tx: Knex.Transaction) {
  await tx.raw('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
}

interface SplitRow {
  cluster: string;
  version: string;
  split_version: string | null;
  threshold: number | null;
  ties_namespace: string | null;
  ties_left: number | null;
}

/** Daily rollup of a database as a row of `dbaas_billing_daily_databases`. */
export function dailyDatabaseRow(rollup: DailyDatabaseRollup): Row {
  return {
    day: rollup.day,
    cluster: rollup.cluster,
    namespace: rollup.namespace,
    name: rollup.name,
    hours: rollup.usage.hours,
    ...microsRow(rollup.micros),
    storage_gb_hours: rollup.usage.storageGbHours,
    snapshot_gb_hours: rollup.usage.snapshotGbHours,
    active_seconds: rollup.usage.activeSeconds,
    transactions: rollup.usage.transactions,
  };
}

/** Daily rollup of a cluster as a row of `dbaas_billing_daily_clusters`. */
export function dailyClusterRow(rollup: DailyClusterRollup): Row {
  return {
    day: rollup.day,
    cluster: rollup.cluster,
    hours: rollup.hours,
    acu_hours: rollup.acuHours,
    used_acu_hours: rollup.usedAcuHours,
    ...microsRow(rollup.micros),
    unallocated_micros: rollup.unallocatedMicros,
  };
}

/** {@link BillingStore} in the plugin's PostgreSQL database. */
export class DatabaseBillingStore implements BillingStore {
  readonly retention: BillingRetention;

  constructor(
    private readonly knex: Knex,
    retention: Partial<BillingRetention> = {},
  ) {
    this.retention = { ...DEFAULT_BILLING_RETENTION, ...retention };
  }

  async writeHour(
    hour: ClusterHourCost,
    options: { final: boolean },
  ): Promise<boolean> {
    const hourStart = new Date(hour.hourStart);
    return this.knex.transaction(async tx => {
      // Every write to this cluster's day is serialized: the recomputed
      // rollup must see the hour rows of a concurrent writer (another
      // replica, an overlapping run) once it has committed.
      await tx.raw('SELECT pg_advisory_xact_lock(?, hashtext(?))', [
        DAY_LOCK_CLASS,
        `${hour.cluster} ${hour.day}`,
      ]);
      const existing = await tx(HOURS)
        .where({ cluster: hour.cluster, hour_start: hourStart })
        .first('final');
      if (existing?.final && !options.final) {
        return false;
      }
      await tx(HOURS)
        .insert({
          cluster: hour.cluster,
          hour_start: hourStart,
          day: hour.day,
          final: options.final,
          hours_in_month: hour.hoursInMonth,
          activity_source: hour.activitySource,
          acu: hour.acu,
          used_acu_hours: hour.usedAcuHours,
          ...microsRow(hour.micros),
          unallocated_micros: hour.unallocatedMicros,
          computed_at: tx.fn.now(),
        })
        .onConflict(['cluster', 'hour_start'])
        .merge();
      await tx(HOUR_COSTS)
        .where({ cluster: hour.cluster, hour_start: hourStart })
        .delete();
      const rows = hour.databases.map(db => ({
        cluster: hour.cluster,
        hour_start: hourStart,
        namespace: db.namespace,
        name: db.name,
        ...microsRow(db.micros),
        storage_gb_hours: db.usage.storageGbHours,
        snapshot_gb_hours: db.usage.snapshotGbHours,
        active_seconds: db.usage.activeSeconds,
        transactions: db.usage.transactions,
      }));
      for (let i = 0; i < rows.length; i += CHUNK) {
        await tx(HOUR_COSTS).insert(rows.slice(i, i + CHUNK));
      }
      await this.#recomputeDay(tx, hour.cluster, hour.day);
      // Last, so the row stays locked briefly: the month's split is stale.
      await tx.raw(
        `INSERT INTO ?? (month, cluster, version)
         VALUES (?, ?, nextval('${VERSION_SEQ}'))
         ON CONFLICT (month, cluster)
         DO UPDATE SET version = nextval('${VERSION_SEQ}')`,
        [SPLITS, hour.day.slice(0, 7), hour.cluster],
      );
      return true;
    });
  }

  /** The day's rollups as the sums of its hour rows, replacing the old ones. */
  async #recomputeDay(tx: Knex.Transaction, cluster: string, day: string) {
    const from = new Date(`${day}T00:00:00.000Z`);
    const to = new Date(from.getTime() + DAY_MS);
    const sums = (columns: string[]) =>
      columns.map(c => `sum(${c}) AS ${c}`).join(', ');
    await tx(DAILY_DATABASES).where({ cluster, day }).delete();
    await tx.raw(
      `INSERT INTO ${DAILY_DATABASES}
         (day, cluster, namespace, name, hours, ${MICROS_COLUMNS.join(
           ', ',
         )}, ${USAGE_COLUMNS.join(', ')})
       SELECT ?, cluster, namespace, name, count(*),
              ${sums(MICROS_COLUMNS)}, ${sums(USAGE_COLUMNS)}
       FROM ${HOUR_COSTS}
       WHERE cluster = ? AND hour_start >= ? AND hour_start < ?
       GROUP BY cluster, namespace, name`,
      [day, cluster, from, to],
    );
    await tx(DAILY_CLUSTERS).where({ cluster, day }).delete();
    await tx.raw(
      `INSERT INTO ${DAILY_CLUSTERS}
         (day, cluster, hours, acu_hours, used_acu_hours, ${MICROS_COLUMNS.join(
           ', ',
         )}, unallocated_micros)
       SELECT ?, cluster, count(*), sum(acu), sum(used_acu_hours),
              ${sums(MICROS_COLUMNS)}, sum(unallocated_micros)
       FROM ${HOURS}
       WHERE cluster = ? AND hour_start >= ? AND hour_start < ?
       GROUP BY cluster`,
      [day, cluster, from, to],
    );
  }

  async lastFinalHour(cluster: string): Promise<Date | undefined> {
    const row = await this.knex(HOURS)
      .where({ cluster, final: true })
      .max({ at: 'hour_start' })
      .first();
    return row?.at ? new Date(row.at) : undefined;
  }

  async dailyRollups(fromDay: string, toDay: string): Promise<MonthRollups> {
    const [dbRows, clusterRows, dataEnd] = await Promise.all([
      rowsInDays(
        this.knex,
        DAILY_DATABASES,
        DATABASE_ROW_COLUMNS,
        fromDay,
        toDay,
      ),
      rowsInDays(
        this.knex,
        DAILY_CLUSTERS,
        [
          'cluster',
          'day',
          'hours',
          'acu_hours',
          'used_acu_hours',
          'unallocated_micros',
          ...MICROS_COLUMNS,
        ],
        fromDay,
        toDay,
      ),
      dataEndOf(this.knex, fromDay, toDay),
    ]);
    return {
      databaseRollups: databaseRollupsOf(dbRows),
      clusterRollups: clusterRows.map(row => ({
        cluster: row[0] as string,
        day: row[1] as string,
        hours: Number(row[2]),
        acuHours: Number(row[3]),
        usedAcuHours: Number(row[4]),
        unallocatedMicros: Number(row[5]),
        micros: amountsAt(row, 6),
      })),
      ...(dataEnd && { dataEnd }),
    };
  }

  async tenantMonthRollups(
    month: string,
    namespace: string,
  ): Promise<TenantMonthRollups> {
    const { fromDay, toDay } = monthDays(month);
    const computed: Array<{ split: ClusterMonthSplit; version?: string }> = [];
    const result = await this.knex.transaction(async tx => {
      // The tenant's rows, the splits and any split computed here all
      // come from the same snapshot.
      await snapshotOf(tx);
      const databaseRollups = databaseRollupsOf(
        await rowsInDays(
          tx,
          DAILY_DATABASES,
          DATABASE_ROW_COLUMNS,
          fromDay,
          toDay,
          {
            namespace,
          },
        ),
      );
      const clusters = [...new Set(databaseRollups.map(r => r.cluster))];
      const stored: SplitRow[] =
        clusters.length > 0
          ? await tx(SPLITS).where({ month }).whereIn('cluster', clusters)
          : [];
      const splits = new Map<string, ClusterMonthSplit>();
      for (const cluster of clusters) {
        const row = stored.find(r => r.cluster === cluster);
        if (
          row &&
          row.split_version !== null &&
          row.split_version === row.version
        ) {
          splits.set(cluster, {
            cluster,
            threshold: Number(row.threshold),
            ...(row.ties_namespace !== null && {
              tiesNamespace: row.ties_namespace,
            }),
            tiesLeft: Number(row.ties_left),
          });
        } else {
          const split = await this.#computeSplit(tx, month, cluster);
          splits.set(cluster, split);
          computed.push({ split, version: row?.version });
        }
      }
      const dataEnd = await dataEndOf(tx, fromDay, toDay);
      return { databaseRollups, splits, ...(dataEnd && { dataEnd }) };
    });
    for (const { split, version } of computed) {
      await this.#storeSplit(month, split, version);
    }
    return result;
  }

  async refreshSplits(): Promise<number> {
    const stale: Array<{ month: string; cluster: string }> = await this.knex(
      SPLITS,
    )
      .whereRaw('split_version IS DISTINCT FROM version')
      .select('month', 'cluster');
    let count = 0;
    for (const { month, cluster } of stale) {
      const found = await this.knex.transaction(async tx => {
        await snapshotOf(tx);
        const row = await tx(SPLITS).where({ month, cluster }).first('version');
        if (!row) return undefined;
        return {
          version: row.version as string,
          split: await this.#computeSplit(tx, month, cluster),
        };
      });
      if (
        found &&
        (await this.#storeSplit(month, found.split, found.version))
      ) {
        count++;
      }
    }
    return count;
  }

  /**
   * The split {@link buildMonthReport} makes of the cluster's month, from
   * aggregates computed by PostgreSQL: how many parts (one per database,
   * day and component, and the cluster's unallocated micros) have each
   * remainder, the sum of their floors, and, for the remainder where the
   * cents run out, how many parts each tenant has at it.
   */
  async #computeSplit(
    tx: Knex.Transaction,
    month: string,
    cluster: string,
  ): Promise<ClusterMonthSplit> {
    const { fromDay, toDay } = monthDays(month);
    const inMonth = 'cluster = :cluster AND day >= :fromDay AND day < :toDay';
    const bindings = { cluster, fromDay, toDay };
    const parts = MICROS_COLUMNS.map(
      c =>
        `SELECT ${c} % ${MICROS_PER_CENT} AS rem, ${c} / ${MICROS_PER_CENT} AS floor
         FROM ${DAILY_DATABASES} WHERE ${inMonth}`,
    ).join(' UNION ALL ');
    const [{ rows: histogram }, { rows: unallocated }] = await Promise.all([
      tx.raw(
        `SELECT rem, count(*) AS n, sum(floor) AS floors
         FROM (${parts}) p GROUP BY rem`,
        bindings,
      ),
      tx.raw(
        `SELECT coalesce(sum(unallocated_micros), 0) AS micros
         FROM ${DAILY_CLUSTERS} WHERE ${inMonth}`,
        bindings,
      ),
    ]);
    const counts = new Uint32Array(MICROS_PER_CENT);
    let totalMicros = 0;
    let floors = 0;
    for (const row of histogram) {
      const rem = Number(row.rem);
      const floorSum = Number(row.floors);
      counts[rem] += Number(row.n);
      floors += floorSum;
      totalMicros += floorSum * MICROS_PER_CENT + rem * Number(row.n);
    }
    const unMicros = Number(unallocated[0].micros);
    const unFloor = Math.floor(unMicros / MICROS_PER_CENT);
    counts[unMicros - unFloor * MICROS_PER_CENT] += 1;
    floors += unFloor;
    totalMicros += unMicros;
    const { threshold, atThreshold } = remainderCut(
      counts,
      microsToCents(totalMicros) - floors,
    );
    if (atThreshold === 0) {
      // '' sorts before every namespace: no part at the threshold gets one.
      return { cluster, threshold, tiesNamespace: '', tiesLeft: 0 };
    }
    const { rows: ties } = await tx.raw(
      `SELECT namespace, sum(${MICROS_COLUMNS.map(
        c => `(${c} % ${MICROS_PER_CENT} = :threshold)::int`,
      ).join(' + ')}) AS ties
       FROM ${DAILY_DATABASES} WHERE ${inMonth} GROUP BY namespace`,
      { ...bindings, threshold },
    );
    const perNamespace = (ties as Array<{ namespace: string; ties: string }>)
      .map(r => ({ namespace: r.namespace, ties: Number(r.ties) }))
      .sort((a, b) => {
        if (a.namespace < b.namespace) return -1;
        return a.namespace > b.namespace ? 1 : 0;
      });
    return { cluster, threshold, ...tiesCut(atThreshold, perNamespace) };
  }

  /**
   * Keeps a split computed from `version` (undefined: the month had no
   * row yet), unless the month changed since. Returns whether it was kept.
   */
  async #storeSplit(
    month: string,
    split: ClusterMonthSplit,
    version: string | undefined,
  ): Promise<boolean> {
    const values = {
      threshold: split.threshold,
      ties_namespace: split.tiesNamespace ?? null,
      ties_left: split.tiesLeft,
      computed_at: this.knex.fn.now(),
    };
    if (version === undefined) {
      const { rowCount } = await this.knex.raw(
        `INSERT INTO ?? (month, cluster, version, split_version, threshold,
                         ties_namespace, ties_left, computed_at)
         SELECT ?, ?, v, v, ?, ?, ?, now()
         FROM (SELECT nextval('${VERSION_SEQ}') AS v) s
         ON CONFLICT (month, cluster) DO NOTHING`,
        [
          SPLITS,
          month,
          split.cluster,
          values.threshold,
          values.ties_namespace,
          values.ties_left,
        ],
      );
      return rowCount > 0;
    }
    const updated = await this.knex(SPLITS)
      .where({ month, cluster: split.cluster, version })
      .update({ ...values, split_version: version });
    return updated > 0;
  }

  firstWritableDay(now: Date): string {
    return utcDay(now.getTime() - this.retention.hourMs);
  }

  async prune(now: Date): Promise<void> {
    // Whole days only, so that a day's rollup is never recomputed from
    // some of its hours (see firstWritableDay).
    await this.knex(HOURS)
      .where('day', '<', this.firstWritableDay(now))
      .delete();
    const lastDay = utcDay(now.getTime() - this.retention.dayMs);
    const deleted =
      (await this.knex(DAILY_DATABASES).where('day', '<', lastDay).delete()) +
      (await this.knex(DAILY_CLUSTERS).where('day', '<', lastDay).delete());
    if (deleted > 0) {
      // The month of lastDay may have lost days: its splits are stale.
      // Months before it have no rows left.
      const month = lastDay.slice(0, 7);
      await this.knex(SPLITS)
        .where({ month })
        .update({ version: this.knex.raw(`nextval('${VERSION_SEQ}')`) });
      await this.knex(SPLITS).where('month', '<', month).delete();
    }
  }
}
