/**
 * A cost split into its parts, in cents (1/100 of the currency).
 * `compute` = `computeUsed` + `computeIdle`; `total` is the sum of compute,
 * storage, snapshots and base.
 *
 * @public
 */
export interface CostCents {
  computeUsed: number;
  computeIdle: number;
  compute: number;
  storage: number;
  snapshots: number;
  base: number;
  total: number;
}

/**
 * Prices and rules the amounts were computed with, so the UI can explain
 * every number.
 *
 * @public
 */
export interface BillingAllocationSettings {
  currency: string;
  prices: {
    acuHour: number;
    storageGbMonth: number;
    snapshotGbMonth: number;
    baseMonthly: number;
  };
  idleCapacity: 'proportional' | 'even' | 'storage';
  baseFee: 'even' | 'storage';
}

/**
 * What a database used in the period, behind its cost.
 *
 * @public
 */
export interface DatabaseUsageSummary {
  hours: number;
  storageGbHours: number;
  snapshotGbHours: number;
  averageStorageGb: number;
  averageSnapshotGb: number;
  /** Seconds backends spent executing (PostgreSQL 14+ `active_time`). */
  activeSeconds: number;
  /** Commits + rollbacks: the activity proxy where active time is unknown. */
  transactions: number;
}

/** @public */
export interface DayCostCents {
  /** YYYY-MM-DD (UTC) */
  day: string;
  cents: CostCents;
}

/** @public */
export interface DatabaseCostCents {
  namespace: string;
  name: string;
  clusters: string[];
  cents: CostCents;
  usage: DatabaseUsageSummary;
}

/**
 * A cluster's cost for the month and how much of it tenants carry.
 *
 * @public
 */
export interface ClusterCostCents {
  cluster: string;
  totalCents: number;
  allocatedCents: number;
  /** Hours no database was there to carry the cost. */
  unallocatedCents: number;
  hours: number;
  acuHours: number;
  usedAcuHours: number;
}

/**
 * One tenant's month in the overview.
 *
 * @public
 */
export interface TenantCostSummary {
  namespace: string;
  owners: string[];
  cents: CostCents;
  /** Current month: month-to-date extrapolated to month end; else the total. */
  forecastCents: number;
  budgetCents?: number;
  budgetUsedPercent?: number;
  databaseCount: number;
}

/** @public */
export interface BillingPeriod {
  /** YYYY-MM (UTC) */
  month: string;
  currency: string;
  /** ISO 8601, inclusive. */
  from: string;
  /** ISO 8601, exclusive. */
  to: string;
  /** ISO 8601: the data is complete up to here. */
  asOf: string;
  status: 'past' | 'current' | 'future';
  hoursInMonth: number;
  elapsedHours: number;
  settings: BillingAllocationSettings;
}

/**
 * `GET /billing?month=YYYY-MM`: the tenants the caller may see.
 *
 * @public
 */
export interface BillingMonthResponse extends BillingPeriod {
  /** Sum over the listed tenants. */
  totalCents: number;
  forecastCents: number;
  tenants: TenantCostSummary[];
  /** Per day, summed over the listed tenants (the trend chart). */
  days: DayCostCents[];
  /** Only for callers who may see every tenant's billing. */
  clusters?: ClusterCostCents[];
}

/**
 * `GET /billing/:namespace?month=YYYY-MM`.
 *
 * @public
 */
export interface TenantBillingResponse extends BillingPeriod {
  namespace: string;
  owners: string[];
  cents: CostCents;
  forecastCents: number;
  budgetCents?: number;
  budgetUsedPercent?: number;
  databases: DatabaseCostCents[];
  days: DayCostCents[];
  /** One line per database and day. */
  lines: Array<DayCostCents & { name: string }>;
}
