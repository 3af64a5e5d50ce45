import type { DatabaseMetricResolution } from '@dbaas/plugin-dbaas-common';

export const RESOLUTION_LABELS: Record<DatabaseMetricResolution, string> = {
  raw: 'raw samples',
  hour: 'hourly averages',
  day: 'daily averages',
};

/** `12.3`, `0.42`, `1,204`: rates with the precision their size calls for. */
export function formatRate(value: number): string {
  if (Math.abs(value) >= 100) {
    return Math.round(value).toLocaleString('en-US');
  }
  return Number(value.toFixed(Math.abs(value) >= 10 ? 1 : 2)).toString();
}

/** `99.2 %` from a 0..1 ratio. */
export function formatPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)} %`;
}

/** An axis tick: the time of day for a day, the date for longer ranges. */
export function formatTick(ms: number, spanMs: number): string {
  const date = new Date(ms);
  if (spanMs <= 2 * 24 * 60 * 60 * 1000) {
    return date.toLocaleTimeString(undefined, {
      hour: '2-digit',
      minute: '2-digit',
    });
  }
  return date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

/** A tooltip's heading: the full time of a point. */
export function formatPointTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}
