import type { BillingPeriod, DayCostCents } from '@dbaas/plugin-dbaas-common';
import { COST_COMPONENTS, CostComponentKey } from './costComponents';

/** One bar of the trend chart: a UTC day and its cents per component. */
export type DailyCostBar = { day: string; total: number } & Partial<
  Record<CostComponentKey, number>
>;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * One bar per day of the period up to its as-of time, days without costs
 * included (as zero, so a gap in billing shows as a gap, not as a shorter
 * month). Days after `asOf` are left out: they have not happened.
 */
export function dailyCostBars(
  period: Pick<BillingPeriod, 'from' | 'to' | 'asOf'>,
  days: DayCostCents[],
): DailyCostBar[] {
  const byDay = new Map(days.map(day => [day.day, day.cents]));
  const start = Date.parse(period.from);
  const end = Math.min(Date.parse(period.to), Date.parse(period.asOf));
  const bars: DailyCostBar[] = [];
  for (let t = start; t < end; t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    const cents = byDay.get(day);
    const bar: DailyCostBar = { day, total: cents?.total ?? 0 };
    for (const component of COST_COMPONENTS) {
      bar[component.key] = cents?.[component.key] ?? 0;
    }
    bars.push(bar);
  }
  // Days the backend has that the range missed (a clock skew between
  // asOf and the rollups) are still shown rather than dropped.
  for (const day of days) {
    if (!bars.some(bar => bar.day === day.day)) {
      const bar: DailyCostBar = { day: day.day, total: day.cents.total };
      for (const component of COST_COMPONENTS) {
        bar[component.key] = day.cents[component.key];
      }
      bars.push(bar);
    }
  }
  return bars.sort((a, b) => a.day.localeCompare(b.day));
}
