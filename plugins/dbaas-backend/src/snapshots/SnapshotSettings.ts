import { isAbsolute } from 'node:path';
import {
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  ClusterEnvironment,
  readTaskSchedule,
  TaskScheduleKeys,
} from '@dbaas/plugin-dbaas-node';
import { CronTime } from 'cron';
import { ClusterProviderBundle } from '../providers/ClusterProviderBundle';
import {
  readS3ArchiveSettings,
  S3ArchiveSettings,
} from './local/archives/S3ArchiveSettings';

/** How often the snapshot task runs: a cron expression, an interval, or manual. */
export type SnapshotFrequency =
  SchedulerServiceTaskScheduleDefinition['frequency'];

/**
 * `dbaas.snapshots.schedule`: daily at 02:00 (inside the 02:00-04:00
 * window), a cycle aborted after 6 hours. A cron expression or a duration
 * there is the deprecated form, as is `dbaas.snapshots.timeout`.
 */
export const SNAPSHOT_SCHEDULE: TaskScheduleKeys = {
  key: 'dbaas.snapshots.schedule',
  defaults: {
    frequency: { cron: '0 2 * * *' },
    timeout: { hours: 6 },
    scope: 'global',
  },
  deprecated: {
    frequency: 'dbaas.snapshots.schedule',
    timeout: 'dbaas.snapshots.timeout',
  },
};

/** `dbaas.snapshots`, checked, with defaults. */
export interface SnapshotSettings {
  /** `dbaas.snapshots.schedule`, see {@link SNAPSHOT_SCHEDULE}. */
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Days per environment (`dbaas.snapshots.retention.*`). */
  retentionDays: Record<ClusterEnvironment, number>;
  /** Present when a cluster has logical (pg_dump) snapshots: a local one. */
  local?: {
    /** Where the dumps are kept (`dbaas.snapshots.local.storage`). */
    storage: SnapshotStorageSettings;
    /** `dbaas.snapshots.local.binDirectory`: where pg_dump is, when pinned. */
    binDirectory?: string;
  };
}

/**
 * `dbaas.snapshots.local.storage`: `directory` (the default, in
 * `dbaas.snapshots.local.directory`) or `s3` (`dbaas.snapshots.local.s3`).
 */
export type SnapshotStorageSettings =
  | { type: 'directory'; directory: string }
  | { type: 's3'; s3: S3ArchiveSettings };

const DEFAULT_RETENTION_DAYS: Record<ClusterEnvironment, number> = {
  production: 35,
  staging: 35,
  test: 7,
  dev: 7,
};

/**
 * Cluster names become a directory under `local.directory` (or a segment of
 * the object keys); anything that could climb out of it or hide a file is
 * refused at startup.
 */
const SAFE_PATH_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

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
 * Reads `dbaas.snapshots`. Where snapshots are kept (the directory, or the
 * bucket) is required as soon as one cluster's snapshots are logical ones
 * (a self-hosted cluster, `provider: local`): there is no safe default for
 * where copies of every tenant's data are written, and snapshots of
 * self-hosted clusters are not optional (final snapshots guard drops).
 */
export function readSnapshotSettings(
  config: Config,
  providers: ClusterProviderBundle[],
  logger: LoggerService,
): SnapshotSettings {
  const settings: SnapshotSettings = {
    schedule: readTaskSchedule(config, logger, SNAPSHOT_SCHEDULE),
    retentionDays: readRetention(config),
  };
  const localClusters = providers
    .filter(p => p.snapshots === 'logical')
    .map(p => p.cluster);
  if (localClusters.length === 0) {
    return settings;
  }
  const storage = readStorage(config, localClusters[0].name, logger);
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
  settings.local = { storage, binDirectory };
  return settings;
}

function readStorage(
  config: Config,
  firstLocalCluster: string,
  logger: LoggerService,
): SnapshotStorageSettings {
  const type =
    config.getOptionalString('dbaas.snapshots.local.storage') ?? 'directory';
  const directory = config.getOptionalString('dbaas.snapshots.local.directory');
  if (type === 's3') {
    const s3 = readS3ArchiveSettings(config);
    if (directory) {
      logger.warn(
        `dbaas.snapshots.local.directory is not used: dbaas.snapshots.local.storage is 's3' (s3://${s3.bucket}/${s3.prefix})`,
      );
    }
    return { type, s3 };
  }
  if (type !== 'directory') {
    throw new InputError(
      `dbaas.snapshots.local.storage must be 'directory' or 's3', not '${type}'`,
    );
  }
  if (config.has('dbaas.snapshots.local.s3')) {
    // Never let a tenant's data land on local disk while the operator
    // believes it goes to the bucket.
    throw new InputError(
      `dbaas.snapshots.local.s3 is set but dbaas.snapshots.local.storage is 'directory'; set storage: s3 to use the bucket, or remove the s3 settings`,
    );
  }
  if (!directory) {
    throw new InputError(
      `dbaas.snapshots.local.directory is required: cluster '${firstLocalCluster}' is self-hosted (provider local) and its snapshots are pg_dump files kept in that directory (or set dbaas.snapshots.local.storage: s3)`,
    );
  }
  if (!isAbsolute(directory)) {
    throw new InputError(
      `dbaas.snapshots.local.directory must be an absolute path, not '${directory}'`,
    );
  }
  return { type, directory };
}

/** The next run of a cron schedule after `now`; undefined for intervals. */
export function nextScheduledRun(
  frequency: SnapshotFrequency,
  now: Date = new Date(),
): Date | undefined {
  if (!('cron' in frequency)) {
    return undefined;
  }
  // Same computation as the Backstage scheduler (server time zone).
  const next = new CronTime(frequency.cron).getNextDateFrom(now);
  return next.toJSDate();
}
