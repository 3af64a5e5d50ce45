import { formatCents } from './money';
import { MonthReport } from './monthReport';

export const CSV_HEADER = [
  'tenant',
  'database',
  'day',
  'compute',
  'storage',
  'snapshots',
  'base',
  'total',
  'currency',
  'compute_used',
  'compute_idle',
] as const;

/**
 * Quotes one field per RFC 4180: fields holding a comma, a double quote,
 * CR or LF are enclosed in double quotes with inner quotes doubled. Text
 * that a spreadsheet would run as a formula (starting with =, +, -, @, tab
 * or CR) is prefixed with a single quote first (names are validated
 * upstream; this is defence in depth).
 */
export function csvField(value: string): string {
  let v = value;
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * The month as CSV: a header, then one line per tenant, database and day,
 * sorted in that order, amounts in major units with 2 decimals ('12.34'),
 * lines ended by CRLF (RFC 4180). Amounts are the report's cents, so the
 * lines add up exactly to the report's totals.
 *
 * `compute` is the whole compute share (as before); `compute_used` and
 * `compute_idle`, the last two columns so that readers by position keep
 * working, split it as the billing page does: compute = used + idle.
 */
export function monthReportToCsv(report: MonthReport): string {
  const lines = [CSV_HEADER.join(',')];
  for (const tenant of report.tenants) {
    const ns = csvField(tenant.namespace);
    for (const line of tenant.lines) {
      const c = line.cents;
      lines.push(
        [
          ns,
          csvField(line.name),
          line.day,
          formatCents(c.compute),
          formatCents(c.storage),
          formatCents(c.snapshots),
          formatCents(c.base),
          formatCents(c.total),
          csvField(report.currency),
          formatCents(c.computeUsed),
          formatCents(c.computeIdle),
        ].join(','),
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
