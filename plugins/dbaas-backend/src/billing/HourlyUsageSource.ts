import { MetricsStore } from '../metrics/MetricsStore';

export type { DatabaseHourUsage } from '../metrics/MetricsStore';

/**
 * Hourly usage per database, as billing needs it: the hourly roll-ups of
 * the metrics, read through the metrics store.
 */
export type HourlyUsageSource = Pick<MetricsStore, 'hourlyUsage' | 'firstHour'>;
