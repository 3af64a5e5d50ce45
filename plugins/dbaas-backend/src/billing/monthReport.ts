import { InputError } from '@backstage/errors';
import { BillingSettings } from './BillingSettings';
import { MICROS_PER_CENT, microsPartsToCents } from './money';
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

/** The month's bounds and how far `asOf` is into it. */
function monthPeriod(month: string, asOf: Date) {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) {
    throw new InputError(`month must be YYYY-MM, got '${month}'`);
  }
  const start = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
  const end = new Date(Date.UTC(Number(m[1]), Number(m[2]), 1));
  const hoursInMonth = (end.getTime() - start.getTime()) / 3_600_000;
  const elapsedHours = Math.min(
    hoursInMonth,
    Math.max(0, (asOf.getTime() - start.getTime()) / 3_600_000),
  );
  let status: MonthReport['status'] = 'current';
  if (asOf.getTime() >= end.getTime()) status = 'past';
  else if (asOf.getTime() < start.getTime()) status = 'future';
  return {
    start,
    end,
    fromDay: start.toISOString().slice(0, 10),
    toDay: end.toISOString().slice(0, 10),
    hoursInMonth,
    elapsedHours,
    status,
  };
}

type MonthPeriod = ReturnType<typeof monthPeriod>;

/** The canonical order of a cluster's rows in its split. */
function compareRows(a: DailyDatabaseRollup, b: DailyDatabaseRollup): number {
  return (
    compareStrings(a.namespace, b.namespace) ||
    compareStrings(a.name, b.name) ||
    compareStrings(a.day, b.day)
  );
}

/** A tenant's figures being summed from its rows' cents. */
class TenantAccumulator {
  readonly report: TenantMonthReport;
  readonly #dbs = new Map<string, DatabaseMonthCost>();
  readonly #days = new Map<string, DayCost>();
  readonly #lines = new Map<string, DatabaseDayCost>();

  constructor(namespace: string) {
    this.report = {
      namespace,
      cents: emptyCents(),
      forecastCents: 0,
      byDatabase: [],
      byDay: [],
      lines: [],
    };
  }

  /** Adds a row whose component cents are `cents[offset..offset+NC)`. */
  add(row: DailyDatabaseRollup, cents: number[], offset: number) {
    addCents(this.report.cents, cents, offset);

    let db = this.#dbs.get(row.name);
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
      this.#dbs.set(row.name, db);
    }
    if (!db.clusters.includes(row.cluster)) db.clusters.push(row.cluster);
    addCents(db.cents, cents, offset);
    db.usage.hours += row.usage.hours;
    db.usage.storageGbHours += row.usage.storageGbHours;
    db.usage.snapshotGbHours += row.usage.snapshotGbHours;
    db.usage.activeSeconds += row.usage.activeSeconds;
    db.usage.transactions += row.usage.transactions;

    let day = this.#days.get(row.day);
    if (!day) {
      day = { day: row.day, cents: emptyCents() };
      this.#days.set(row.day, day);
    }
    addCents(day.cents, cents, offset);

    const lineKey = `${row.name}\u0000${row.day}`;
    let line = this.#lines.get(lineKey);
    if (!line) {
      line = { name: row.name, day: row.day, cents: emptyCents() };
      this.#lines.set(lineKey, line);
    }
    addCents(line.cents, cents, offset);
  }

  /** Sorts the lists, sets averages, forecast and budget. */
  finish(
    period: MonthPeriod,
    budgets: ReadonlyMap<string, number> | undefined,
  ): TenantMonthReport {
    const r = this.report;
    r.byDatabase = [...this.#dbs.values()].sort((a, b) =>
      compareStrings(a.name, b.name),
    );
    for (const db of r.byDatabase) {
      db.clusters.sort(compareStrings);
      if (db.usage.hours > 0) {
        db.usage.averageStorageGb = db.usage.storageGbHours / db.usage.hours;
        db.usage.averageSnapshotGb = db.usage.snapshotGbHours / db.usage.hours;
      }
    }
    r.byDay = [...this.#days.values()].sort((a, b) =>
      compareStrings(a.day, b.day),
    );
    r.lines = [...this.#lines.values()].sort(
      (a, b) => compareStrings(a.name, b.name) || compareStrings(a.day, b.day),
    );
    if (period.status === 'current') {
      r.forecastCents = forecast(
        r.cents.total,
        period.elapsedHours,
        period.hoursInMonth,
      );
    } else if (period.status === 'past') {
      r.forecastCents = r.cents.total;
    }
    const budget = budgets?.get(r.namespace);
    if (budget !== undefined) {
      r.budgetCents = budget;
      if (budget > 0) {
        r.budgetUsedPercent = Math.round((r.cents.total / budget) * 1000) / 10;
      }
    }
    return r;
  }
}

function reportOf(
  month: string,
  settings: BillingSettings,
  period: MonthPeriod,
  asOf: Date,
  tenants: TenantMonthReport[],
  clusters: ClusterMonthCost[],
): MonthReport {
  let totalCents = 0;
  let forecastCents = 0;
  for (const r of tenants) {
    totalCents += r.cents.total;
    forecastCents += r.forecastCents;
  }
  return {
    month,
    currency: settings.currency,
    from: period.start.toISOString(),
    to: period.end.toISOString(),
    asOf: asOf.toISOString(),
    status: period.status,
    hoursInMonth: period.hoursInMonth,
    elapsedHours: period.elapsedHours,
    settings,
    totalCents,
    forecastCents,
    clusters,
    tenants,
  };
}

/**
 * Builds the month report for every tenant from DAILY rollups.
 *
 * Cents are decided per cluster, for the month as a whole: the cluster's
 * cost is its micros for the month rounded to the cent, and that amount is
 * split into (database, day, component) cents by largest remainder
 * ({@link microsPartsToCents}) in a canonical order (namespace, name, day),
 * the cluster's unallocated micros last.
 * Every tenant, database and day figure is a sum of those cents, so all
 * figures add up: Σ tenants = Σ clusters' allocated cents, to the cent, and
 * each cent figure is within one cent per line of its exact value.
 * Clusters are gone through in name order (so a database billed on two
 * clusters sums its usage in the same order as {@link buildTenantMonthReport}).
 */
export function buildMonthReport(
  options: BuildMonthReportOptions,
): MonthReport {
  const { month, settings } = options;
  const asOf = options.asOf ?? new Date();
  const period = monthPeriod(month, asOf);
  const { fromDay, toDay } = period;

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
  const clusterList = [...clusterInfo.values()].sort((a, b) =>
    compareStrings(a.cluster, b.cluster),
  );

  const tenants = new Map<string, TenantAccumulator>();
  for (const c of clusterList) {
    const rows = byCluster.get(c.cluster) ?? [];
    rows.sort(compareRows);
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
      let t = tenants.get(row.namespace);
      if (!t) {
        t = new TenantAccumulator(row.namespace);
        tenants.set(row.namespace, t);
      }
      t.add(row, cents, i * NC);
    });
  }

  const tenantReports = [...tenants.values()]
    .map(t => t.finish(period, options.budgets))
    .sort((a, b) => compareStrings(a.namespace, b.namespace));
  const clusters = clusterList.map(({ unMicros: _unMicros, ...c }) => c);
  return reportOf(month, settings, period, asOf, tenantReports, clusters);
}

/**
 * How one cluster's month of cents is split, enough to give any tenant the
 * cents {@link buildMonthReport} gives it without the other tenants' rows.
 *
 * In the cluster's split every (database, day, component) part gets the
 * floor of its micros in cents, plus one cent when its remainder (micros
 * mod 10,000) is above `threshold`; of the parts whose remainder equals it,
 * in the split's order (namespace, name, day, component), those of tenants
 * before `tiesNamespace` get one, the first `tiesLeft` of `tiesNamespace`
 * get one and those of later tenants none. Without `tiesNamespace`, every
 * database part at the threshold gets one. See {@link remainderCut}.
 */
export interface ClusterMonthSplit {
  cluster: string;
  /** 0..10,000 (10,000: no part gets a cent above its floor). */
  threshold: number;
  tiesNamespace?: string;
  tiesLeft: number;
}

/**
 * Where the cents for parts at the threshold run out: `atThreshold` of
 * them get one, in the split's order; `tiesPerNamespace` are the counts of
 * parts at the threshold per tenant, in namespace order (code units). The
 * cluster's unallocated part comes after every tenant.
 */
export function tiesCut(
  atThreshold: number,
  tiesPerNamespace: Iterable<{ namespace: string; ties: number }>,
): { tiesNamespace?: string; tiesLeft: number } {
  let left = atThreshold;
  for (const { namespace, ties } of tiesPerNamespace) {
    if (left < ties) return { tiesNamespace: namespace, tiesLeft: left };
    left -= ties;
  }
  return { tiesLeft: 0 };
}

/** The cents of one tenant's rows of one cluster (sorted by compareRows). */
function tenantCents(
  rows: DailyDatabaseRollup[],
  namespace: string,
  split: ClusterMonthSplit,
): number[] {
  const cents = new Array<number>(rows.length * NC);
  const t = split.threshold;
  let tiesLeft = Infinity;
  if (split.tiesNamespace !== undefined) {
    if (namespace === split.tiesNamespace) tiesLeft = split.tiesLeft;
    else if (compareStrings(namespace, split.tiesNamespace) > 0) tiesLeft = 0;
  }
  rows.forEach((row, i) => {
    for (let k = 0; k < NC; k++) {
      const m = row.micros[COST_COMPONENTS[k]];
      if (!Number.isSafeInteger(m) || m < 0) {
        throw new RangeError(
          `microsPartsToCents: parts must be non-negative integers, got ${m}`,
        );
      }
      const floor = Math.floor(m / MICROS_PER_CENT);
      const rem = m - floor * MICROS_PER_CENT;
      let c = floor;
      if (rem > t) {
        c += 1;
      } else if (rem === t && tiesLeft > 0) {
        c += 1;
        tiesLeft--;
      }
      cents[i * NC + k] = c;
    }
  });
  return cents;
}

export interface BuildTenantMonthReportOptions {
  month: string;
  settings: BillingSettings;
  namespace: string;
  /** The tenant's rollups of (at least) the month; others are ignored. */
  databaseRollups: Iterable<DailyDatabaseRollup>;
  /** The month's split of every cluster the tenant has rows on. */
  splits: ReadonlyMap<string, ClusterMonthSplit>;
  /** Default: now. */
  asOf?: Date;
  budgets?: ReadonlyMap<string, number>;
}

/**
 * One tenant's month, equal to its part of {@link buildMonthReport} on
 * the same data (its cents, databases, days, lines, forecast and budget),
 * from its own rows and its clusters' splits only. `tenants` holds the
 * tenant, or nothing when it had no costs; `clusters` is empty and the
 * totals are the tenant's.
 */
export function buildTenantMonthReport(
  options: BuildTenantMonthReportOptions,
): MonthReport {
  const { month, settings, namespace } = options;
  const asOf = options.asOf ?? new Date();
  const period = monthPeriod(month, asOf);
  const byCluster = new Map<string, DailyDatabaseRollup[]>();
  for (const row of options.databaseRollups) {
    if (row.namespace !== namespace) continue;
    if (row.day < period.fromDay || row.day >= period.toDay) continue;
    let rows = byCluster.get(row.cluster);
    if (!rows) byCluster.set(row.cluster, (rows = []));
    rows.push(row);
  }
  if (byCluster.size === 0) {
    return reportOf(month, settings, period, asOf, [], []);
  }
  const tenant = new TenantAccumulator(namespace);
  for (const cluster of [...byCluster.keys()].sort(compareStrings)) {
    const split = options.splits.get(cluster);
    if (!split) {
      throw new Error(`No split of cluster '${cluster}' for ${month}`);
    }
    const rows = byCluster.get(cluster)!;
    rows.sort(compareRows);
    const cents = tenantCents(rows, namespace, split);
    rows.forEach((row, i) => tenant.add(row, cents, i * NC));
  }
  return reportOf(
    month,
    settings,
    period,
    asOf,
    [tenant.finish(period, options.budgets)],
    [],
  );
}
