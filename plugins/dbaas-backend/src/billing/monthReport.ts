import { InputError } from '@backstage/errors';
import { BillingSettings } from './BillingSettings';
import { microsPartsToCents } from './money';
import {
  COST_COMPONENTS,
  ComponentAmounts,
  DailyClusterRollup,
  DailyDatabaseRollup,
  DatabaseUsage,
} from './TenantCostAllocator';

/** Amounts in cents; `compute` = `computeUsed` + `computeIdle`. */
export interface ComponentCents extends ComponentAmounts {
  compute: number;
  total: number;
}

export interface DatabaseMonthCost {
  namespace: string;
  name: string;
  /** Clusters the database was billed on this month (usually one). */
  clusters: string[];
  cents: ComponentCents;
  usage: DatabaseUsage & {
    /** storageGbHours / hours: the size the storage charge is based on. */
    averageStorageGb: number;
    averageSnapshotGb: number;
  };
}

export interface DayCost {
  day: string;
  cents: ComponentCents;
}

export interface DatabaseDayCost extends DayCost {
  name: string;
}

export interface TenantMonthReport {
  namespace: string;
  cents: ComponentCents;
  /** Month-to-date for the current month; see {@link MonthReport.forecastCents}. */
  forecastCents: number;
  budgetCents?: number;
  /** cents.total / budgetCents × 100, one decimal. */
  budgetUsedPercent?: number;
  byDatabase: DatabaseMonthCost[];
  byDay: DayCost[];
  /** One line per database and day (what the CSV holds). */
  lines: DatabaseDayCost[];
}

export interface ClusterMonthCost {
  cluster: string;
  /** The cluster's cost for the month: allocated + unallocated. */
  totalCents: number;
  /** What its databases carry; the sum over tenants of their part here. */
  allocatedCents: number;
  /** Hours with no database to carry the cost. */
  unallocatedCents: number;
  hours: number;
  acuHours: number;
  usedAcuHours: number;
}

export interface MonthReport {
  /** 'YYYY-MM' (UTC). */
  month: string;
  currency: string;
  /** ISO start (inclusive) and end (exclusive) of the month. */
  from: string;
  to: string;
  /** The moment the data is complete up to (the end of the last hour added). */
  asOf: string;
  status: 'past' | 'current' | 'future';
  hoursInMonth: number;
  elapsedHours: number;
  /** Prices and rules the amounts come from, for explanations. */
  settings: BillingSettings;
  totalCents: number;
  /**
   * Past month: the total. Current month: month-to-date + month-to-date /
   * elapsedHours × (hoursInMonth − elapsedHours), per tenant and rounded
   * to the cent (elapsedHours at least 1); this total is their sum.
   * Future month: 0.
   */
  forecastCents: number;
  clusters: ClusterMonthCost[];
  tenants: TenantMonthReport[];
}

export interface BuildMonthReportOptions {
  month: string;
  settings: BillingSettings;
  /** Rollups of (at least) the month; other days are ignored. */
  databaseRollups: Iterable<DailyDatabaseRollup>;
  clusterRollups?: Iterable<DailyClusterRollup>;
  /** Default: now. */
  asOf?: Date;
  /** namespace -> monthly budget in cents. */
  budgets?: ReadonlyMap<string, number>;
}

function emptyCents(): ComponentCents {
  return {
    computeUsed: 0,
    computeIdle: 0,
    storage: 0,
    snapshots: 0,
    base: 0,
    compute: 0,
    total: 0,
  };
}

function addCents(into: ComponentCents, parts: number[], offset: number) {
  into.computeUsed += parts[offset];
  into.computeIdle += parts[offset + 1];
  into.storage += parts[offset + 2];
  into.snapshots += parts[offset + 3];
  into.base += parts[offset + 4];
  const compute = parts[offset] + parts[offset + 1];
  into.compute += compute;
  into.total +=
    compute + parts[offset + 2] + parts[offset + 3] + parts[offset + 4];
}

function compareStrings(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

function forecast(total: number, elapsed: number, hours: number): number {
  return total + Math.round((total / Math.max(elapsed, 1)) * (hours - elapsed));
}

const NC = COST_COMPONENTS.length;

/**
 * Builds the month report for every tenant from DAILY rollups.
 *
 * Cents are decided per cluster, for the month as a whole: the cluster's
 * cost is its micros for the month rounded to the cent, and that amount is
 * split into (database, day, component) cents by largest remainder
 * ({@link microsPartsToCents}) in a canonical order (namespace, name, day).
 * Every tenant, database and day figure is a sum of those cents, so all
 * figures add up: Σ tenants = Σ clusters' allocated cents, to the cent, and
 * each cent figure is within one cent per line of its exact value.
 */
export function buildMonthReport(
  options: BuildMonthReportOptions,
): MonthReport {
  const { month, settings } = options;
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) {
    throw new InputError(`month must be YYYY-MM, got '${month}'`);
  }
  const start = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
  const end = new Date(Date.UTC(Number(m[1]), Number(m[2]), 1));
  const fromDay = start.toISOString().slice(0, 10);
  const toDay = end.toISOString().slice(0, 10);
  const hoursInMonth = (end.getTime() - start.getTime()) / 3_600_000;
  const asOf = options.asOf ?? new Date();
  const elapsedHours = Math.min(
    hoursInMonth,
    Math.max(0, (asOf.getTime() - start.getTime()) / 3_600_000),
  );
  let status: MonthReport['status'] = 'current';
  if (asOf.getTime() >= end.getTime()) status = 'past';
  else if (asOf.getTime() < start.getTime()) status = 'future';

  // Group the month's rows per cluster.
  const byCluster = new Map<string, DailyDatabaseRollup[]>();
  for (const row of options.databaseRollups) {
    if (row.day < fromDay || row.day >= toDay) continue;
    let rows = byCluster.get(row.cluster);
    if (!rows) byCluster.set(row.cluster, (rows = []));
    rows.push(row);
  }
  const clusterInfo = new Map<
    string,
    ClusterMonthCost & { unMicros: number }
  >();
  const clusterEntry = (cluster: string) => {
    let c = clusterInfo.get(cluster);
    if (!c) {
      c = {
        cluster,
        totalCents: 0,
        allocatedCents: 0,
        unallocatedCents: 0,
        hours: 0,
        acuHours: 0,
        usedAcuHours: 0,
        unMicros: 0,
      };
      clusterInfo.set(cluster, c);
    }
    return c;
  };
  for (const row of options.clusterRollups ?? []) {
    if (row.day < fromDay || row.day >= toDay) continue;
    const c = clusterEntry(row.cluster);
    c.hours += row.hours;
    c.acuHours += row.acuHours;
    c.usedAcuHours += row.usedAcuHours;
    c.unMicros += row.unallocatedMicros;
  }
  for (const cluster of byCluster.keys()) clusterEntry(cluster);

  interface TenantAcc {
    report: TenantMonthReport;
    dbs: Map<string, DatabaseMonthCost>;
    days: Map<string, DayCost>;
    lines: Map<string, DatabaseDayCost>;
  }
  const tenants = new Map<string, TenantAcc>();

  for (const c of clusterInfo.values()) {
    const rows = byCluster.get(c.cluster) ?? [];
    rows.sort(
      (a, b) =>
        compareStrings(a.namespace, b.namespace) ||
        compareStrings(a.name, b.name) ||
        compareStrings(a.day, b.day),
    );
    const micros = new Array<number>(rows.length * NC + 1);
    rows.forEach((row, i) => {
      for (let k = 0; k < NC; k++) {
        micros[i * NC + k] = row.micros[COST_COMPONENTS[k]];
      }
    });
    micros[rows.length * NC] = c.unMicros;
    const { totalCents, cents } = microsPartsToCents(micros);
    c.totalCents = totalCents;
    c.unallocatedCents = cents[rows.length * NC];
    c.allocatedCents = totalCents - c.unallocatedCents;

    rows.forEach((row, i) => {
      const offset = i * NC;
      let t = tenants.get(row.namespace);
      if (!t) {
        t = {
          report: {
            namespace: row.namespace,
            cents: emptyCents(),
            forecastCents: 0,
            byDatabase: [],
            byDay: [],
            lines: [],
          },
          dbs: new Map(),
          days: new Map(),
          lines: new Map(),
        };
        tenants.set(row.namespace, t);
      }
      addCents(t.report.cents, cents, offset);

      let db = t.dbs.get(row.name);
      if (!db) {
        db = {
          namespace: row.namespace,
          name: row.name,
          clusters: [],
          cents: emptyCents(),
          usage: {
            hours: 0,
            storageGbHours: 0,
            snapshotGbHours: 0,
            activeSeconds: 0,
            transactions: 0,
            averageStorageGb: 0,
            averageSnapshotGb: 0,
          },
        };
        t.dbs.set(row.name, db);
      }
      if (!db.clusters.includes(row.cluster)) db.clusters.push(row.cluster);
      addCents(db.cents, cents, offset);
      db.usage.hours += row.usage.hours;
      db.usage.storageGbHours += row.usage.storageGbHours;
      db.usage.snapshotGbHours += row.usage.snapshotGbHours;
      db.usage.activeSeconds += row.usage.activeSeconds;
      db.usage.transactions += row.usage.transactions;

      let day = t.days.get(row.day);
      if (!day) {
        day = { day: row.day, cents: emptyCents() };
        t.days.set(row.day, day);
      }
      addCents(day.cents, cents, offset);

      const lineKey = `${row.name}\u0000${row.day}`;
      let line = t.lines.get(lineKey);
      if (!line) {
        line = { name: row.name, day: row.day, cents: emptyCents() };
        t.lines.set(lineKey, line);
      }
      addCents(line.cents, cents, offset);
    });
  }

  const tenantReports: TenantMonthReport[] = [];
  let totalCents = 0;
  let forecastCents = 0;
  for (const t of tenants.values()) {
    const r = t.report;
    r.byDatabase = [...t.dbs.values()].sort((a, b) =>
      compareStrings(a.name, b.name),
    );
    for (const db of r.byDatabase) {
      db.clusters.sort(compareStrings);
      if (db.usage.hours > 0) {
        db.usage.averageStorageGb = db.usage.storageGbHours / db.usage.hours;
        db.usage.averageSnapshotGb = db.usage.snapshotGbHours / db.usage.hours;
      }
    }
    r.byDay = [...t.days.values()].sort((a, b) => compareStrings(a.day, b.day));
    r.lines = [...t.lines.values()].sort(
      (a, b) => compareStrings(a.name, b.name) || compareStrings(a.day, b.day),
    );
    if (status === 'current') {
      r.forecastCents = forecast(r.cents.total, elapsedHours, hoursInMonth);
    } else if (status === 'past') {
      r.forecastCents = r.cents.total;
    }
    const budget = options.budgets?.get(r.namespace);
    if (budget !== undefined) {
      r.budgetCents = budget;
      if (budget > 0) {
        r.budgetUsedPercent = Math.round((r.cents.total / budget) * 1000) / 10;
      }
    }
    totalCents += r.cents.total;
    forecastCents += r.forecastCents;
    tenantReports.push(r);
  }
  tenantReports.sort((a, b) => compareStrings(a.namespace, b.namespace));

  const clusters = [...clusterInfo.values()]
    .map(({ unMicros: _unMicros, ...c }) => c)
    .sort((a, b) => compareStrings(a.cluster, b.cluster));

  return {
    month,
    currency: settings.currency,
    from: start.toISOString(),
    to: end.toISOString(),
    asOf: asOf.toISOString(),
    status,
    hoursInMonth,
    elapsedHours,
    settings,
    totalCents,
    forecastCents,
    clusters,
    tenants: tenantReports,
  };
}
