import { ClusterSample, DatabaseSample } from '@dbaas/plugin-dbaas-node';
import { DatabaseMetricPoint } from '@dbaas/plugin-dbaas-common';

const DAY_MS = 24 * 3_600_000;

/** @public */
export type MetricResolution = 'raw' | 'hour' | 'day';

/** How long each resolution is kept (and which one a range is served from). */
export interface MetricsRetention {
  /** @defaultValue 2 days */
  rawMs: number;
  /** @defaultValue 35 days */
  hourMs: number;
  /** @defaultValue 400 days */
  dayMs: number;
}

export const DEFAULT_METRICS_RETENTION: MetricsRetention = {
  rawMs: 2 * DAY_MS,
  hourMs: 35 * DAY_MS,
  dayMs: 400 * DAY_MS,
};

/**
 * One point of a series as stored: the API's point with its time as a Date
 * (per-second figures may be unknown).
 */
export type StoredMetricPoint = Omit<DatabaseMetricPoint, 'at'> & { at: Date };

export interface MetricSeries {
  resolution: MetricResolution;
  points: StoredMetricPoint[];
}

/** The previous sample of a database, with its cluster's max_connections. */
export interface LastSample {
  cluster: string;
  sample: DatabaseSample;
  maxConnections?: number;
}

/** What one database of a cluster did during one hour, from metrics. */
export interface DatabaseHourUsage {
  /** `<namespace>-<name>` as in the cluster. */
  databaseName: string;
  /** Start of the UTC hour. */
  hourStart: Date;
  /** Average size during the hour. */
  sizeBytes?: number;
  /** Average backends executing (active time / wall time); PostgreSQL 14+. */
  activeTimeShare?: number;
  commitsPerSecond?: number;
  rollbacksPerSecond?: number;
}

/**
 * Database metrics: raw samples with their rates, hourly and daily
 * roll-ups, and the previous sample of every database for the next rate
 * computation. {@link DatabaseMetricsStore} keeps them in the plugin's
 * database.
 */
export interface MetricsStore {
  /** The previous samples of these databases (all when omitted). */
  lastSamples(databaseNames?: string[]): Promise<Map<string, LastSample>>;
  /**
   * Writes one raw point per database of a reachable sample, with the
   * rates since `previousByDb` (loaded from the store when omitted), and
   * keeps the sample as the next previous one. An unreachable sample
   * writes nothing. Returns the number of points written.
   */
  recordSamples(
    cluster: string,
    sample: ClusterSample,
    previousByDb?: Map<string, DatabaseSample | LastSample>,
  ): Promise<number>;
  /**
   * Aggregates raw points into hours and hours into days (UTC), then
   * deletes what is past retention.
   */
  rollUp(now?: Date): Promise<void>;
  /** The points of a database between `from` and `to`, oldest first. */
  series(
    databaseName: string,
    from: Date,
    to: Date,
    now?: Date,
  ): Promise<MetricSeries>;
  /**
   * The hourly roll-ups of a cluster's databases with
   * `from <= hourStart < to`, oldest first (what billing prices).
   */
  hourlyUsage(
    cluster: string,
    from: Date,
    to: Date,
  ): Promise<DatabaseHourUsage[]>;
  /** The earliest hour with usage of the cluster at or after `since`. */
  firstHour(cluster: string, since: Date): Promise<Date | undefined>;
}
