import {
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import { readTaskSchedule, TaskScheduleKeys } from '@dbaas/plugin-dbaas-node';
import { readOptionalDuration } from '../config/readOptionalDuration';
import { parseByteSize } from './parseByteSize';

/**
 * `dbaas.drills.schedule`: daily at 05:00, after the 02:00 snapshots, so
 * each drill restores a snapshot taken hours before; a cycle running past
 * 3 hours is stopped (its drill fails and its scratch copy is dropped).
 */
export const DRILL_SCHEDULE: TaskScheduleKeys = {
  key: 'dbaas.drills.schedule',
  defaults: {
    frequency: { cron: '0 5 * * *' },
    timeout: { hours: 3 },
    scope: 'global',
  },
  deprecated: {},
};

/** `dbaas.drills`, with defaults. */
export interface DrillSettings {
  /** `dbaas.drills.enabled`, default true. */
  enabled: boolean;
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Drills started per cycle (skipped databases not counted); default 3. */
  maxDatabasesPerCycle: number;
  /** Drills running at once; default 1. */
  maxConcurrent: number;
  /** Databases whose newest snapshot is larger are skipped; default 10 GiB. */
  maxSnapshotSizeBytes: number;
  /**
   * How long a running drill's claim lasts without a heartbeat: after a
   * replica dies, the next cycle fails its drill and drops its scratch
   * copy once this has passed. Default 2 minutes.
   */
  leaseMs: number;
}

function positiveInteger(config: Config, key: string, fallback: number) {
  const value = config.getOptionalNumber(key);
  if (value === undefined) {
    return fallback;
  }
  if (!Number.isInteger(value) || value < 1) {
    throw new InputError(
      `${key} must be a whole number of at least 1, not ${value}`,
    );
  }
  return value;
}

export function readDrillSettings(
  config: Config,
  logger: LoggerService,
): DrillSettings {
  const sizeKey = 'dbaas.drills.maxSnapshotSize';
  const size = config.getOptional(sizeKey);
  return {
    enabled: config.getOptionalBoolean('dbaas.drills.enabled') ?? true,
    schedule: readTaskSchedule(config, logger, DRILL_SCHEDULE),
    maxDatabasesPerCycle: positiveInteger(
      config,
      'dbaas.drills.maxDatabasesPerCycle',
      3,
    ),
    maxConcurrent: positiveInteger(config, 'dbaas.drills.maxConcurrent', 1),
    maxSnapshotSizeBytes:
      size === undefined ? 10 * 2 ** 30 : parseByteSize(size, sizeKey),
    leaseMs: durationToMilliseconds(
      readOptionalDuration(config, 'dbaas.drills.leaseDuration', {
        minutes: 2,
      }),
    ),
  };
}
