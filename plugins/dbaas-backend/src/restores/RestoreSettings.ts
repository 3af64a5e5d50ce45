import {
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { readOptionalDuration } from '../config/readOptionalDuration';
import { readTaskSchedule, TaskScheduleKeys } from '@dbaas/plugin-dbaas-node';

/**
 * `dbaas.restore.schedule`, the restore task: every 10 seconds, a tick
 * released after 5 minutes (it only starts restores; they run on).
 */
export const RESTORE_SCHEDULE: TaskScheduleKeys = {
  key: 'dbaas.restore.schedule',
  defaults: {
    frequency: { seconds: 10 },
    timeout: { minutes: 5 },
    scope: 'global',
  },
  deprecated: { frequency: 'dbaas.restore.workerFrequency' },
};

/** Whether in-place restores of one mode stop to be finalized, for how long. */
export interface FinalizeRule {
  required: boolean;
  timeLimitMs: number;
}

/** `dbaas.restore.finalize.<mode>`. */
export type FinalizeSettings = Record<'standard' | 'protected', FinalizeRule>;

/** `dbaas.restore`, with defaults. */
export interface RestoreSettings {
  /**
   * `dbaas.restore.approvers`: group refs whose members may approve (on top
   * of the `dbaas.restore.approve` permission); empty means no extra limit.
   */
  approvers: string[];
  /** `dbaas.restore.requestTtl`, default 24 hours. */
  requestTtlMs: number;
  /** `dbaas.restore.keepSafetyCopyFor`, default 7 days. */
  keepSafetyCopyForMs: number;
  /** `dbaas.restore.schedule`, see {@link RESTORE_SCHEDULE}. */
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** `dbaas.restore.leaseDuration`, default 2 minutes. */
  leaseMs: number;
  /**
   * `dbaas.restore.finalize.standard` and `.protected`: `required`
   * (default true) and `timeLimit` (default 24 hours).
   */
  finalize: FinalizeSettings;
}

/**
 * Reads `dbaas.restore.*` (the deprecated `workerFrequency` with a
 * warning); durations accept `{ hours: 24 }`, `'24h'` or `'PT24H'`.
 */
export function readRestoreSettings(
  config: Config,
  logger: LoggerService,
): RestoreSettings {
  const ms = (key: string, fallback: HumanDuration) =>
    durationToMilliseconds(readOptionalDuration(config, key, fallback));
  return {
    approvers: config.getOptionalStringArray('dbaas.restore.approvers') ?? [],
    requestTtlMs: ms('dbaas.restore.requestTtl', { hours: 24 }),
    keepSafetyCopyForMs: ms('dbaas.restore.keepSafetyCopyFor', { days: 7 }),
    schedule: readTaskSchedule(config, logger, RESTORE_SCHEDULE),
    leaseMs: ms('dbaas.restore.leaseDuration', { minutes: 2 }),
    finalize: {
      standard: readFinalizeRule(config, 'standard'),
      protected: readFinalizeRule(config, 'protected'),
    },
  };
}

function readFinalizeRule(
  config: Config,
  mode: 'standard' | 'protected',
): FinalizeRule {
  const key = `dbaas.restore.finalize.${mode}`;
  const timeLimitMs = durationToMilliseconds(
    readOptionalDuration(config, `${key}.timeLimit`, { hours: 24 }),
  );
  if (!(timeLimitMs > 0)) {
    throw new InputError(`${key}.timeLimit must be longer than zero`);
  }
  return {
    required: config.getOptionalBoolean(`${key}.required`) ?? true,
    timeLimitMs,
  };
}
