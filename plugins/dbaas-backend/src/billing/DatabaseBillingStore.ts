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
} from './BillingStore';

const HOURS = 'dbaas_billing_hours';
const HOUR_COSTS = 'dbaas_billing_hour_costs';
const DAILY_DATABASES = 'dbaas_billing_daily_databases';
const DAILY_CLUSTERS = 'dbaas_billing_daily_clusters';

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
    // A month of 1,000 tenants is ~31,000 rows of 14 columns. Parsed value
    // by value by the driver, reading them took most of GET /billing's
    // time; as ONE JSON array of arrays built by PostgreSQL, the driver
    // does a single JSON.parse. (Micros stay far below 2^53 in a day.)
    const inMonth = async (table: string, columns: string[]) => {
      const row = columns.map(() => '??').join(', ');
      const { rows } = await this.knex.raw(
        `SELECT coalesce(json_agg(json_build_array(${row})), '[]'::json) AS rows
         FROM ?? WHERE day >= ? AND day < ?`,
        [...columns, table, fromDay, toDay],
      );
      return rows[0].rows as unknown[][];
    };
    const [dbRows, clusterRows, latest] = await Promise.all([
      inMonth(DAILY_DATABASES, [
        'cluster',
        'namespace',
        'name',
        'day',
        'hours',
        ...USAGE_COLUMNS,
        ...MICROS_COLUMNS,
      ]),
      inMonth(DAILY_CLUSTERS, [
        'cluster',
        'day',
        'hours',
        'acu_hours',
        'used_acu_hours',
        'unallocated_micros',
        ...MICROS_COLUMNS,
      ]),
      this.knex(HOURS)
        .where('day', '>=', fromDay)
        .andWhere('day', '<', toDay)
        .max({ at: 'hour_start' })
        .first(),
    ]);
    return {
      databaseRollups: dbRows.map(row => ({
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
      })),
      clusterRollups: clusterRows.map(row => ({
        cluster: row[0] as string,
        day: row[1] as string,
        hours: Number(row[2]),
        acuHours: Number(row[3]),
        usedAcuHours: Number(row[4]),
        unallocatedMicros: Number(row[5]),
        micros: amountsAt(row, 6),
      })),
      ...(latest?.at && {
        dataEnd: new Date(new Date(latest.at).getTime() + HOUR_MS),
      }),
    };
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
    await this.knex(DAILY_DATABASES).where('day', '<', lastDay).delete();
    await this.knex(DAILY_CLUSTERS).where('day', '<', lastDay).delete();
  }
}
