/**
 * Billing months are calendar months in UTC (the backend's rollups are per
 * UTC day), written `YYYY-MM` as the API takes them.
 */
const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** True for a `YYYY-MM` month the API accepts. */
export function isBillingMonth(value: string | null | undefined): boolean {
  return !!value && MONTH_PATTERN.test(value);
}

/** The UTC month `date` falls in, as `YYYY-MM`. */
export function billingMonthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/**
 * `count` months ending with the one `now` falls in, newest first: the
 * choices of the month picker. Future months have no costs to show.
 */
export function recentBillingMonths(now: Date, count: number): string[] {
  const months: string[] = [];
  for (let back = 0; back < count; back++) {
    months.push(
      billingMonthOf(
        new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)),
      ),
    );
  }
  return months;
}

/** `March 2025` for `2025-03`; anything else as it is. */
export function formatBillingMonth(month: string): string {
  const match = MONTH_PATTERN.exec(month);
  if (!match) {
    return month;
  }
  return new Date(
    Date.UTC(Number(match[1]), Number(match[2]) - 1, 1),
  ).toLocaleDateString('en-US', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}
