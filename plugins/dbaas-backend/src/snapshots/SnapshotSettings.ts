import { isAbsolute } from 'node:path';
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { HumanDuration } from '@backstage/types';
import { ClusterEnvironment, ClusterSettings } from '@dbaas/plugin-dbaas-node';
import { CronTime } from 'cron';
import { readOptionalDuration } from '../config/readOptionalDuration';

/** A scheduler cadence: a cron expression or a fixed interval. */
export type SnapshotSchedule = { cron: string } | HumanDuration;

/** `dbaas.snapshots`, checked, with defaults. */
export interface SnapshotSettings {
  /** `dbaas.snapshots.schedule`, default `{ cron: '0 2 * * *' }`. */
  schedule: SnapshotSchedule;
  /** `dbaas.snapshots.timeout`, default 6 hours: a longer cycle is aborted. */
  timeout: HumanDuration;
  /** Days per environment (`dbaas.snapshots.retention.*`). */
  retentionDays: Record<ClusterEnvironment, number>;
  /** Present when a local cluster is configured. */
  local?: {
    /** `dbaas.snapshots.local.directory`: absolute. */
    directory: string;
    /** `dbaas.snapshots.local.binDirectory`: where pg_dump is, when pinned. */
    binDirectory?: string;
  };
}

export const DEFAULT_SNAPSHOT_SCHEDULE = '0 2 * * *';

const DEFAULT_RETENTION_DAYS: Record<ClusterEnvironment, number> = {
  production: 35,
  staging: 35,
  test: 7,
  dev: 7,
};

/**
 * Cluster names become a directory under `local.directory`; anything that
 * could climb out of it or hide a file is refused at startup.
 */
const SAFE_PATH_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function readSchedule(config: Config): SnapshotSchedule {
  const key = 'dbaas.snapshots.schedule';
  const value = config.getOptional(key);
  if (value === undefined) {
    return { cron: DEFAULT_SNAPSHOT_SCHEDULE };
  }
  // Cron expressions have fields separated by spaces; durations never do.
  if (typeof value === 'string' && /\s/.test(value.trim())) {
    const cron = value.trim();
    try {
      // eslint-disable-next-line no-new
      new CronTime(cron);
    } catch (error) {
      throw new InputError(
        `${key} '${cron}' is not a valid cron expression: ${
          (error as Error).message
        }`,
      );
    }
    return { cron };
  }
  return readDurationFromConfig(config, { key });
}

function readRetention(config: Config): Record<ClusterEnvironment, number> {
  const result = { ...DEFAULT_RETENTION_DAYS };
  for (const environment of Object.keys(result) as ClusterEnvironment[]) {
    const key = `dbaas.snapshots.retention.${environment}`;
    const days = config.getOptionalNumber(key);
    if (days === undefined) {
      continue;
    }
    if (!Number.isInteger(days) || days < 1) {
      throw new InputError(`${key} must be a whole number of days (>= 1)`);
    }
    result[environment] = days;
  }
  return result;
}

/**
 * Reads `dbaas.snapshots`. The snapshot directory is required as soon as
 * one cluster is self-hosted (`provider: local`): there is no safe default
 * for where copies of every tenant's data are written, and snapshots of
 * self-hosted clusters are not optional (final snapshots guard drops).
 */
export function readSnapshotSettings(
  config: Config,
  clusters: ClusterSettings[],
): SnapshotSettings {
  const settings: SnapshotSettings = {
    schedule: readSchedule(config),
    timeout: readOptionalDuration(config, 'dbaas.snapshots.timeout', {
      hours: 6,
    }),
    retentionDays: readRetention(config),
  };
  const localClusters = clusters.filter(c => c.provider === 'local');
  if (localClusters.length === 0) {
    return settings;
  }
  const directory = config.getOptionalString('dbaas.snapshots.local.directory');
  if (!directory) {
    throw new InputError(
      `dbaas.snapshots.local.directory is required: cluster '${localClusters[0].name}' is self-hosted (provider local) and its snapshots are pg_dump files kept in that directory`,
    );
  }
  if (!isAbsolute(directory)) {
    throw new InputError(
      `dbaas.snapshots.local.directory must be an absolute path, not '${directory}'`,
    );
  }
  const binDirectory = config.getOptionalString(
    'dbaas.snapshots.local.binDirectory',
  );
  if (binDirectory !== undefined && !isAbsolute(binDirectory)) {
    throw new InputError(
      `dbaas.snapshots.local.binDirectory must be an absolute path, not '${binDirectory}'`,
    );
  }
  for (const cluster of localClusters) {
    if (!SAFE_PATH_SEGMENT.test(cluster.name)) {
      throw new InputError(
        `Cluster name '${cluster.name}' cannot name a snapshot directory; use letters, digits, '.', '_' and '-' (starting with a letter or digit)`,
      );
    }
  }
  settings.local = { directory, binDirectory };
  return settings;
}

/** The next run of a cron schedule after `now`; undefined for intervals. */
export function nextScheduledRun(
  schedule: SnapshotSchedule,
  now: Date = new Date(),
): Date | undefined {
  if (!('cron' in schedule)) {
    return undefined;
  }
  // Same computation as the Backstage scheduler (server time zone).
  const next = new CronTime(schedule.cron).getNextDateFrom(now);
  return next.toJSDate();
}
