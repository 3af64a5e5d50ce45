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
    /** `dbaas.snapshots.local.directory`: absolute. */
    directory: string;
    /** `dbaas.snapshots.local.binDirectory`: where pg_dump is, when pinned. */
    binDirectory?: string;
  };
}

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
 * one cluster's snapshots are logical ones (a self-hosted cluster, `provider:
 * local`): there is no safe default
 * for where copies of every tenant's data are written, and snapshots of
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
