import { InputError } from '@backstage/errors';
import { BillingSettings } from './BillingSettings';
import { BillingStore } from './BillingStore';
import {
  MonthReport,
  buildMonthReport,
  buildTenantMonthReport,
} from './monthReport';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** 'YYYY-MM' of a time, in UTC. */
export function utcMonthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/**
 * Month reports from the store's daily rollups (never hour rows, so a
 * month for 1,000 tenants reads ~31,000 rows); one tenant's month from its
 * own rows and its clusters' splits.
 */
export class BillingReports {
  constructor(
    private readonly options: {
      store: BillingStore;
      settings: BillingSettings;
      /** namespace -> monthly budget, cents. */
      budgets: ReadonlyMap<string, number>;
      now?: () => Date;
    },
  ) {}

  get budgets(): ReadonlyMap<string, number> {
    return this.options.budgets;
  }

  now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /**
   * The report of `month` ('YYYY-MM', default the current UTC month), for
   * every tenant. For the current month, `asOf` is the end of the latest
   * hour billed (see #asOf).
   */
  async month(month?: string): Promise<MonthReport> {
    const { wanted, start, end, now, current } = this.#period(month);
    const day = (time: number) => new Date(time).toISOString().slice(0, 10);
    const rollups = await this.options.store.dailyRollups(day(start), day(end));
    const report = buildMonthReport({
      month: wanted,
      settings: this.options.settings,
      databaseRollups: rollups.databaseRollups,
      clusterRollups: rollups.clusterRollups,
      asOf: this.#asOf(now, end, current, rollups.dataEnd),
      budgets: this.options.budgets,
    });
    // With the last hour of the month billed provisionally, asOf reaches
    // the month's end while the clock has not: the month is still open.
    if (current) report.status = 'current';
    return report;
  }

  /**
   * One tenant's part of {@link BillingReports.month}: the same cents,
   * lines, forecast and period, read from the tenant's rows and its
   * clusters' splits only (not every tenant's rows). `tenants` holds the
   * tenant or nothing (no costs); `clusters` is empty.
   */
  async tenantMonth(namespace: string, month?: string): Promise<MonthReport> {
    const { wanted, end, now, current } = this.#period(month);
    const rollups = await this.options.store.tenantMonthRollups(
      wanted,
      namespace,
    );
    const report = buildTenantMonthReport({
      month: wanted,
      settings: this.options.settings,
      namespace,
      databaseRollups: rollups.databaseRollups,
      splits: rollups.splits,
      asOf: this.#asOf(now, end, current, rollups.dataEnd),
      budgets: this.options.budgets,
    });
    if (current) report.status = 'current';
    return report;
  }

  #period(month: string | undefined) {
    const now = this.now();
    const wanted = month ?? utcMonthOf(now);
    const m = MONTH.exec(wanted);
    if (!m) {
      throw new InputError(`month must be YYYY-MM, got '${wanted}'`);
    }
    const start = Date.UTC(Number(m[1]), Number(m[2]) - 1, 1);
    const end = Date.UTC(Number(m[1]), Number(m[2]), 1);
    const current = now.getTime() >= start && now.getTime() < end;
    return { wanted, start, end, now, current };
  }

  /**
   * For the current month the amounts include the hours billed so far,
   * the open hour provisionally and in full, so the forecast extrapolates
   * from the end of the latest hour billed, not from the clock:
   * month-to-date and elapsed hours then cover the same hours.
   */
  #asOf(now: Date, end: number, current: boolean, dataEnd?: Date): Date {
    return current && dataEnd
      ? new Date(Math.min(dataEnd.getTime(), end))
      : now;
  }
}
