import type {
  BillingAllocationSettings,
  BillingMonthResponse,
  CostCents,
  DatabaseCostCents,
  TenantBillingResponse,
  TenantCostSummary,
} from '@dbaas/plugin-dbaas-common';

/** Test data for billing views: amounts that add up as the backend's do. */

export function cents(parts: Partial<CostCents> = {}): CostCents {
  const computeUsed = parts.computeUsed ?? 0;
  const computeIdle = parts.computeIdle ?? 0;
  const storage = parts.storage ?? 0;
  const snapshots = parts.snapshots ?? 0;
  const base = parts.base ?? 0;
  return {
    computeUsed,
    computeIdle,
    compute: computeUsed + computeIdle,
    storage,
    snapshots,
    base,
    total: computeUsed + computeIdle + storage + snapshots + base,
  };
}

export function billingSettings(
  overrides: Partial<BillingAllocationSettings> = {},
): BillingAllocationSettings {
  return {
    currency: 'USD',
    prices: {
      acuHour: 0.12,
      storageGbMonth: 0.1,
      snapshotGbMonth: 0.021,
      baseMonthly: 50,
    },
    idleCapacity: 'proportional',
    baseFee: 'even',
    ...overrides,
  };
}

/** March 2025, complete: 744 hours. */
const MARCH = {
  month: '2025-03',
  currency: 'USD',
  from: '2025-03-01T00:00:00.000Z',
  to: '2025-04-01T00:00:00.000Z',
  asOf: '2025-04-01T00:00:00.000Z',
  status: 'past' as const,
  hoursInMonth: 744,
  elapsedHours: 744,
};

export function tenantSummary(
  overrides: Partial<TenantCostSummary> & { namespace: string },
): TenantCostSummary {
  const total = overrides.cents ?? cents({ computeUsed: 1000 });
  return {
    owners: [`group:default/${overrides.namespace}`],
    cents: total,
    forecastCents: total.total,
    databaseCount: 1,
    ...overrides,
  };
}

export function billingMonth(
  overrides: Partial<BillingMonthResponse> = {},
): BillingMonthResponse {
  const tenants = overrides.tenants ?? [
    tenantSummary({
      namespace: 'analytics',
      cents: cents({ computeUsed: 500, storage: 250 }),
      databaseCount: 1,
    }),
    tenantSummary({
      namespace: 'payments',
      cents: cents({
        computeUsed: 9000,
        computeIdle: 1000,
        storage: 2000,
        snapshots: 345,
        base: 1000,
      }),
      budgetCents: 15000,
      budgetUsedPercent: 89.0,
      databaseCount: 2,
    }),
    tenantSummary({
      namespace: 'search',
      cents: cents({ computeUsed: 3000, storage: 100 }),
      budgetCents: 3000,
      budgetUsedPercent: 103.3,
      databaseCount: 1,
    }),
  ];
  const total = tenants.reduce((sum, t) => sum + t.cents.total, 0);
  return {
    ...MARCH,
    settings: billingSettings(),
    totalCents: total,
    forecastCents: tenants.reduce((sum, t) => sum + t.forecastCents, 0),
    tenants,
    days: [
      { day: '2025-03-01', cents: cents({ computeUsed: 7000, storage: 1000 }) },
      { day: '2025-03-02', cents: cents({ computeUsed: 6500, storage: 1350 }) },
    ],
    ...overrides,
  };
}

export function databaseCost(
  overrides: Partial<DatabaseCostCents> & { name: string },
): DatabaseCostCents {
  return {
    namespace: 'payments',
    clusters: ['prod-eu'],
    cents: cents({ computeUsed: 100 }),
    usage: {
      hours: 744,
      storageGbHours: 744 * 1.5,
      snapshotGbHours: 744 * 0.5,
      averageStorageGb: 1.5,
      averageSnapshotGb: 0.5,
      activeSeconds: 7_560,
      transactions: 120_000,
    },
    ...overrides,
  };
}

export function tenantBilling(
  overrides: Partial<TenantBillingResponse> = {},
): TenantBillingResponse {
  const databases = overrides.databases ?? [
    databaseCost({
      name: 'ledger',
      cents: cents({
        computeUsed: 7000,
        computeIdle: 600,
        storage: 1500,
        snapshots: 300,
        base: 500,
      }),
    }),
    databaseCost({
      name: 'orders',
      cents: cents({
        computeUsed: 2000,
        computeIdle: 400,
        storage: 500,
        snapshots: 45,
        base: 500,
      }),
      usage: {
        hours: 744,
        storageGbHours: 372,
        snapshotGbHours: 0,
        averageStorageGb: 0.5,
        averageSnapshotGb: 0,
        activeSeconds: 0,
        transactions: 4_321,
      },
    }),
  ];
  const total = cents(
    databases.reduce<Partial<CostCents>>(
      (sum, db) => ({
        computeUsed: (sum.computeUsed ?? 0) + db.cents.computeUsed,
        computeIdle: (sum.computeIdle ?? 0) + db.cents.computeIdle,
        storage: (sum.storage ?? 0) + db.cents.storage,
        snapshots: (sum.snapshots ?? 0) + db.cents.snapshots,
        base: (sum.base ?? 0) + db.cents.base,
      }),
      {},
    ),
  );
  return {
    ...MARCH,
    settings: billingSettings(),
    namespace: 'payments',
    owners: ['group:default/payments'],
    cents: total,
    forecastCents: total.total,
    budgetCents: 15000,
    budgetUsedPercent: Math.round((total.total / 15000) * 1000) / 10,
    databases,
    days: [{ day: '2025-03-01', cents: total }],
    lines: [],
    ...overrides,
  };
}

/** The body the backend sends with an error status. */
export function errorBody(status: number, name: string, message: string) {
  return {
    error: { name, message },
    response: { statusCode: status },
  };
}
