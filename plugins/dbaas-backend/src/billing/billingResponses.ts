import {
  BillingMonthResponse,
  BillingPeriod,
  CostCents,
  DatabaseCostCents,
  DayCostCents,
  TenantBillingResponse,
  TenantCostSummary,
} from '@dbaas/plugin-dbaas-common';
import { ComponentCents, MonthReport, TenantMonthReport } from './monthReport';

/** The API's cents: exactly the contract's fields. */
export function costCents(c: ComponentCents): CostCents {
  return {
    computeUsed: c.computeUsed,
    computeIdle: c.computeIdle,
    compute: c.compute,
    storage: c.storage,
    snapshots: c.snapshots,
    base: c.base,
    total: c.total,
  };
}

function zeroCents(): ComponentCents {
  return {
    computeUsed: 0,
    computeIdle: 0,
    compute: 0,
    storage: 0,
    snapshots: 0,
    base: 0,
    total: 0,
  };
}

function addInto(into: ComponentCents, add: ComponentCents) {
  into.computeUsed += add.computeUsed;
  into.computeIdle += add.computeIdle;
  into.compute += add.compute;
  into.storage += add.storage;
  into.snapshots += add.snapshots;
  into.base += add.base;
  into.total += add.total;
}

export function billingPeriod(report: MonthReport): BillingPeriod {
  const { settings } = report;
  return {
    month: report.month,
    currency: report.currency,
    from: report.from,
    to: report.to,
    asOf: report.asOf,
    status: report.status,
    hoursInMonth: report.hoursInMonth,
    elapsedHours: report.elapsedHours,
    settings: {
      currency: settings.currency,
      prices: { ...settings.prices },
      idleCapacity: settings.allocation.idleCapacity,
      baseFee: settings.allocation.baseFee,
    },
  };
}

/**
 * A tenant's month; a tenant without costs (known to the tenant
 * directory) gets zeros, with its budget.
 */
export function tenantMonth(
  report: MonthReport,
  namespace: string,
  budgets: ReadonlyMap<string, number>,
): TenantMonthReport {
  const found = report.tenants.find(t => t.namespace === namespace);
  if (found) return found;
  const budgetCents = budgets.get(namespace);
  return {
    namespace,
    cents: zeroCents(),
    forecastCents: 0,
    ...(budgetCents !== undefined && { budgetCents }),
    ...(budgetCents !== undefined &&
      budgetCents > 0 && { budgetUsedPercent: 0 }),
    byDatabase: [],
    byDay: [],
    lines: [],
  };
}

function budgetFields(t: TenantMonthReport) {
  return {
    ...(t.budgetCents !== undefined && { budgetCents: t.budgetCents }),
    ...(t.budgetUsedPercent !== undefined && {
      budgetUsedPercent: t.budgetUsedPercent,
    }),
  };
}

/** `GET /billing`: the listed tenants, their days, clusters when allowed. */
export function billingMonthResponse(
  report: MonthReport,
  tenants: Array<{ month: TenantMonthReport; owners: string[] }>,
  options: { withClusters: boolean },
): BillingMonthResponse {
  const days = new Map<string, ComponentCents>();
  let totalCents = 0;
  let forecastCents = 0;
  const summaries: TenantCostSummary[] = tenants.map(({ month, owners }) => {
    totalCents += month.cents.total;
    forecastCents += month.forecastCents;
    for (const day of month.byDay) {
      let sum = days.get(day.day);
      if (!sum) days.set(day.day, (sum = zeroCents()));
      addInto(sum, day.cents);
    }
    return {
      namespace: month.namespace,
      owners,
      cents: costCents(month.cents),
      forecastCents: month.forecastCents,
      ...budgetFields(month),
      databaseCount: month.byDatabase.length,
    };
  });
  const dayList: DayCostCents[] = [...days.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([day, cents]) => ({ day, cents: costCents(cents) }));
  return {
    ...billingPeriod(report),
    totalCents,
    forecastCents,
    tenants: summaries,
    days: dayList,
    ...(options.withClusters && {
      clusters: report.clusters.map(c => ({
        cluster: c.cluster,
        totalCents: c.totalCents,
        allocatedCents: c.allocatedCents,
        unallocatedCents: c.unallocatedCents,
        hours: c.hours,
        acuHours: c.acuHours,
        usedAcuHours: c.usedAcuHours,
      })),
    }),
  };
}

/** `GET /billing/:namespace`. */
export function tenantBillingResponse(
  report: MonthReport,
  month: TenantMonthReport,
  owners: string[],
): TenantBillingResponse {
  const databases: DatabaseCostCents[] = month.byDatabase.map(db => ({
    namespace: db.namespace,
    name: db.name,
    clusters: db.clusters,
    cents: costCents(db.cents),
    usage: { ...db.usage },
  }));
  return {
    ...billingPeriod(report),
    namespace: month.namespace,
    owners,
    cents: costCents(month.cents),
    forecastCents: month.forecastCents,
    ...budgetFields(month),
    databases,
    days: month.byDay.map(d => ({ day: d.day, cents: costCents(d.cents) })),
    lines: month.lines.map(l => ({
      name: l.name,
      day: l.day,
      cents: costCents(l.cents),
    })),
  };
}
