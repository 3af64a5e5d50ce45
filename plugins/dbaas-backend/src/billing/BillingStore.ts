import {
  ClusterHourCost,
  DailyClusterRollup,
  DailyDatabaseRollup,
} from './TenantCostAllocator';
import { ClusterMonthSplit } from './monthReport';

const DAY_MS = 24 * 3_600_000;

/** How long rows are kept. */
export interface BillingRetention {
  /** Hour rows (cluster hours and their split). @defaultValue 35 days */
  hourMs: number;
  /** Daily rollups, what reports read. @defaultValue 400 days */
  dayMs: number;
}

export const DEFAULT_BILLING_RETENTION: BillingRetention = {
  hourMs: 35 * DAY_MS,
  dayMs: 400 * DAY_MS,
};

/** A month's daily rows, what a month report is built from. */
export interface MonthRollups {
  databaseRollups: DailyDatabaseRollup[];
  clusterRollups: DailyClusterRollup[];
  /** End of the latest hour stored in the range (final or not). */
  dataEnd?: Date;
}

/** One tenant's daily rows of a month and what its cents need besides. */
export interface TenantMonthRollups {
  /** The tenant's daily database rows of the month. */
  databaseRollups: DailyDatabaseRollup[];
  /** The month's split of every cluster in `databaseRollups`. */
  splits: Map<string, ClusterMonthSplit>;
  /** End of the latest hour stored in the month (any cluster, final or not). */
  dataEnd?: Date;
}

/**
 * Priced hours and their daily rollups. Writing an hour is idempotent:
 * the hour's rows are replaced, and the day's rollups recomputed from the
 * day's hour rows, so the same hour written twice (a retry, two replicas)
 * counts once. {@link DatabaseBillingStore} keeps them in the plugin's
 * database.
 */
export interface BillingStore {
  /**
   * Stores a priced hour and recomputes its day. A provisional hour never
   * replaces a final one: returns false (nothing written) then.
   */
  writeHour(
    hour: ClusterHourCost,
    options: { final: boolean },
  ): Promise<boolean>;
  /** Start of the latest final hour of the cluster, if any. */
  lastFinalHour(cluster: string): Promise<Date | undefined>;
  /** Daily rows with `fromDay <= day < toDay` ('YYYY-MM-DD'). */
  dailyRollups(fromDay: string, toDay: string): Promise<MonthRollups>;
  /**
   * One tenant's rows of `month` ('YYYY-MM') and the splits of its
   * clusters, all as of one moment: a split is computed again first when
   * its cluster's month changed since it was computed.
   */
  tenantMonthRollups(
    month: string,
    namespace: string,
  ): Promise<TenantMonthRollups>;
  /**
   * Computes again every split whose cluster's month changed since (what
   * the billing task does after its run, so readers find them current).
   * Returns how many were computed.
   */
  refreshSplits(): Promise<number>;
  /** Deletes hour rows and daily rows past retention. */
  prune(now: Date): Promise<void>;
  /**
   * The first UTC day whose hour rows are all kept at `now`: hours before
   * it must not be written (their day's rollup would lose pruned hours).
   */
  firstWritableDay(now: Date): string;
}
