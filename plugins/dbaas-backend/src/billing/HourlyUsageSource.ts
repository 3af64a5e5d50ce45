import { Knex } from 'knex';

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

/** Hourly usage per database, as billing needs it. */
export interface HourlyUsageSource {
  /** Rows with `from <= hourStart < to`, oldest first. */
  hourlyUsage(
    cluster: string,
    from: Date,
    to: Date,
  ): Promise<DatabaseHourUsage[]>;
  /** The earliest hour with usage of the cluster at or after `since`. */
  firstHour(cluster: string, since: Date): Promise<Date | undefined>;
}

const POINTS = 'dbaas_metric_points';

function optionalNumber(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}

/**
 * Reads the hourly roll-ups the metrics sampling writes
 * (`dbaas_metric_points`, resolution `hour`, see migration
 * 20261123_metrics). Read-only: one statement per range, so billing a
 * cluster-hour costs one indexed range read, not one query per database.
 */
export class MetricPointsUsageSource implements HourlyUsageSource {
  constructor(private readonly knex: Knex) {}

  async hourlyUsage(
    cluster: string,
    from: Date,
    to: Date,
  ): Promise<DatabaseHourUsage[]> {
    const rows = await this.knex(POINTS)
      .select(
        'database_name',
        'bucket_start',
        'size_bytes',
        'active_time_share',
        'commits_per_s',
        'rollbacks_per_s',
      )
      .where({ resolution: 'hour', cluster })
      .andWhere('bucket_start', '>=', from)
      .andWhere('bucket_start', '<', to)
      .orderBy(['bucket_start', 'database_name']);
    return rows.map(row => ({
      databaseName: row.database_name,
      hourStart: new Date(row.bucket_start),
      sizeBytes: optionalNumber(row.size_bytes),
      activeTimeShare: optionalNumber(row.active_time_share),
      commitsPerSecond: optionalNumber(row.commits_per_s),
      rollbacksPerSecond: optionalNumber(row.rollbacks_per_s),
    }));
  }

  async firstHour(cluster: string, since: Date): Promise<Date | undefined> {
    const row = await this.knex(POINTS)
      .where({ resolution: 'hour', cluster })
      .andWhere('bucket_start', '>=', since)
      .min({ at: 'bucket_start' })
      .first();
    return row?.at ? new Date(row.at) : undefined;
  }
}
