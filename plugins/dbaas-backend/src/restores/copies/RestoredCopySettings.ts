import {
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import { readTaskSchedule, TaskScheduleKeys } from '@dbaas/plugin-dbaas-node';
import { readOptionalDuration } from '../../config/readOptionalDuration';

/**
 * `dbaas.restore.copies.schedule`, the restored copies task: every minute,
 * one replica at a time.
 */
export const RESTORED_COPIES_SCHEDULE: TaskScheduleKeys = {
  key: 'dbaas.restore.copies.schedule',
  defaults: {
    frequency: { minutes: 1 },
    timeout: { minutes: 10 },
    scope: 'global',
  },
  deprecated: {},
};

/** `dbaas.restore.copies`, with defaults. */
export interface RestoredCopySettings {
  /** `expireAfter`, default 7 days: a copy not kept is dropped then. */
  expireAfterMs: number;
  /** `warnBefore`, default 1 day: owners are told this long before. */
  warnBeforeMs: number;
  /** `schedule`, see {@link RESTORED_COPIES_SCHEDULE}. */
  schedule: SchedulerServiceTaskScheduleDefinition;
  /**
   * A drop claimed this long ago and not finished is taken over (the
   * replica dropping it died): 30 minutes, longer than any drop.
   */
  dropClaimMs: number;
}

/** Reads `dbaas.restore.copies.*`; the one place that does. */
export function readRestoredCopySettings(
  config: Config,
  logger: LoggerService,
): RestoredCopySettings {
  const ms = (key: string, fallback: { days: number }) => {
    const value = durationToMilliseconds(
      readOptionalDuration(config, key, fallback),
    );
    if (!(value > 0)) {
      throw new InputError(`${key} must be longer than zero`);
    }
    return value;
  };
  const expireAfterMs = ms('dbaas.restore.copies.expireAfter', { days: 7 });
  const warnBeforeMs = ms('dbaas.restore.copies.warnBefore', { days: 1 });
  const schedule = readTaskSchedule(config, logger, RESTORED_COPIES_SCHEDULE);
  return { expireAfterMs, warnBeforeMs, schedule, dropClaimMs: 30 * 60_000 };
}
