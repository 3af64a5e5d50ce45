const UNITS = [
  'years',
  'months',
  'weeks',
  'days',
  'hours',
  'minutes',
  'seconds',
  'milliseconds',
] as const;

/**
 * How long an in-place restore keeps the previous data, in words, from
 * `dbaas.restore.keepSafetyCopyFor` (a duration object such as
 * `{ days: 14 }`, or an ISO/short string such as `P14D` or `14d`).
 */
export function describeSafetyCopyPeriod(value: unknown): string {
  if (value === undefined || value === null) {
    return '7 days (the default)';
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    const parts = UNITS.flatMap(unit => {
      const amount = (value as Record<string, unknown>)[unit];
      if (typeof amount !== 'number' || amount === 0) {
        return [];
      }
      const name = amount === 1 ? unit.slice(0, -1) : unit;
      return [`${amount} ${name}`];
    });
    if (parts.length > 0) {
      return parts.join(' ');
    }
  }
  return 'the time the platform configures';
}
