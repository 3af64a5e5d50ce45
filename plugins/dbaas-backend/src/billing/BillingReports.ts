import { InputError } from '@backstage/errors';
import { BillingSettings } from './BillingSettings';
import { BillingStore } from './BillingStore';
import { MonthReport, buildMonthReport } from './monthReport';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** 'YYYY-MM' of a time, in UTC. */
export function utcMonthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/**
 * Month reports from the store's daily rollups (never hour rows, so a
 * month for 1,000 tenants reads ~31,000 rows).
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
   * The report of `month` ('YYYY-MM', default the current UTC month).
   *
   * For the current month the amounts include the hours billed so far,
   * the open hour provisionally and in full, so the forecast extrapolates
   * from the end of the latest hour billed (`asOf`), not from the clock:
   * month-to-date and elapsed hours then cover the same hours.
   */
  async month(month?: string): Promise<MonthReport> {
    const now = this.now();
    const wanted = month ?? utcMonthOf(now);
    const m = MONTH.exec(wanted);
    if (!m) {
      throw new InputError(`month must be YYYY-MM, got '${wanted}'`);
    }
    const start = Date.UTC(Number(m[1]), Number(m[2]) - 1, 1);
    const end = Date.UTC(Number(m[1]), Number(m[2]), 1);
    const day = (time: number) => new Date(time).toISOString().slice(0, 10);
    const rollups = await this.options.store.dailyRollups(day(start), day(end));
    const current = now.getTime() >= start && now.getTime() < end;
    const asOf =
      current && rollups.dataEnd
        ? new Date(Math.min(rollups.dataEnd.getTime(), end))
        : now;
    const report = buildMonthReport({
      month: wanted,
      settings: this.options.settings,
      databaseRollups: rollups.databaseRollups,
      clusterRollups: rollups.clusterRollups,
      asOf,
      budgets: this.options.budgets,
    });
    // With the last hour of the month billed provisionally, asOf reaches
    // the month's end while the clock has not: the month is still open.
    if (current) report.status = 'current';
    return report;
  }
}
