import type { BillingPeriod } from '@dbaas/plugin-dbaas-common';
import { formatCents } from './formatMoney';

/** `100.5 h`: elapsed hours with the precision the backend used. */
export function formatHours(hours: number): string {
  return `${Number(hours.toFixed(1)).toLocaleString('en-US')} h`;
}

/**
 * How a forecast was reached, with the figures it was reached from, e.g.
 * `$12.00 ÷ 240 h elapsed × 744 h in the month`. The backend computes the
 * forecast; this only shows the inputs it used.
 */
export function describeForecast(
  period: Pick<
    BillingPeriod,
    'status' | 'elapsedHours' | 'hoursInMonth' | 'currency'
  >,
  monthToDateCents: number,
): string {
  if (period.status === 'past') {
    return 'The month is over: the forecast is its total.';
  }
  if (period.status === 'future') {
    return 'The month has not started.';
  }
  return `Month-to-date ÷ elapsed hours × hours in the month = ${formatCents(
    monthToDateCents,
    period.currency,
  )} ÷ ${formatHours(period.elapsedHours)} × ${formatHours(
    period.hoursInMonth,
  )}.`;
}
