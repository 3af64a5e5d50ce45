import {
  LoggerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError, isError } from '@backstage/errors';
import { JsonValue } from '@backstage/types';
import { CronTime } from 'cron';

/**
 * Where one scheduled task's schedule is configured, and its defaults.
 *
 * @public
 */
export interface TaskScheduleKeys {
  /**
   * The key holding a `SchedulerServiceTaskScheduleDefinitionConfig`
   * (`{ frequency, timeout, initialDelay?, scope? }`), e.g.
   * `dbaas.inventory.schedule`.
   */
  key: string;
  /** The schedule when nothing is configured. */
  defaults: SchedulerServiceTaskScheduleDefinition;
  /**
   * The keys of the old form, read only when `key` holds no schedule; each
   * replaces its part of `defaults`. `frequency` may be `key` itself: a
   * cron expression or a duration there is the old form.
   */
  deprecated: { frequency?: string; timeout?: string };
}

const SHAPE = '{ frequency, timeout, initialDelay?, scope? }';

function message(error: unknown): string {
  return isError(error) ? error.message : String(error);
}

function isScheduleObject(value: JsonValue | undefined): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    'frequency' in value
  );
}

function checkCron(key: string, cron: string): void {
  try {
    // eslint-disable-next-line no-new
    new CronTime(cron);
  } catch (error) {
    throw new InputError(
      `${key} '${cron}' is not a valid cron expression: ${message(error)}`,
    );
  }
}

/** The new form, with Backstage's own reader; global unless it says otherwise. */
function readDefinition(
  config: Config,
  key: string,
): SchedulerServiceTaskScheduleDefinition {
  let read: SchedulerServiceTaskScheduleDefinition;
  try {
    read = readSchedulerServiceTaskScheduleDefinitionFromConfig(
      config.getConfig(key),
    );
  } catch (error) {
    throw new InputError(
      `${key} must be a schedule ${SHAPE}: ${message(error)}`,
    );
  }
  if ('cron' in read.frequency) {
    checkCron(`${key}.frequency.cron`, read.frequency.cron);
  }
  const { initialDelay, scope } = read;
  return {
    frequency: read.frequency,
    timeout: read.timeout,
    ...(initialDelay ? { initialDelay } : {}),
    scope: scope ?? 'global',
  };
}

/** The old form of a frequency: a cron expression or a duration. */
function readDeprecatedFrequency(
  config: Config,
  key: string,
  sameAsNewKey: boolean,
): SchedulerServiceTaskScheduleDefinition['frequency'] {
  const value = config.getOptional(key);
  // Cron expressions have fields separated by spaces; durations never do.
  if (typeof value === 'string' && /\s/.test(value.trim())) {
    const cron = value.trim();
    checkCron(key, cron);
    return { cron };
  }
  try {
    return readDurationFromConfig(config, { key });
  } catch (error) {
    const expected = sameAsNewKey
      ? `a schedule ${SHAPE} (or, deprecated, a cron expression or a duration)`
      : 'a cron expression or a duration';
    throw new InputError(`${key} must be ${expected}: ${message(error)}`);
  }
}

function readDeprecatedTimeout(
  config: Config,
  key: string,
): SchedulerServiceTaskScheduleDefinition['timeout'] {
  try {
    return readDurationFromConfig(config, { key });
  } catch (error) {
    throw new InputError(`${key} must be a duration: ${message(error)}`);
  }
}

/** The new form of a schedule, to show in the deprecation warning. */
function asConfig(schedule: SchedulerServiceTaskScheduleDefinition): string {
  const { frequency, timeout, initialDelay } = schedule;
  return JSON.stringify({
    frequency,
    timeout,
    ...(initialDelay ? { initialDelay } : {}),
  });
}

/**
 * Reads one scheduled task's schedule: `keys.key` with Backstage's reader
 * (`readSchedulerServiceTaskScheduleDefinitionFromConfig`), else the
 * deprecated keys over the defaults (with one warning that shows the new
 * form), else the defaults. A malformed value is an `InputError` naming
 * its key.
 *
 * @public
 */
export function readTaskSchedule(
  config: Config,
  logger: LoggerService,
  keys: TaskScheduleKeys,
): SchedulerServiceTaskScheduleDefinition {
  const { key, defaults, deprecated } = keys;
  const frequencyKey = deprecated.frequency;
  const sameKey = frequencyKey === key;
  const oldKeys = [frequencyKey, deprecated.timeout].filter(
    (k): k is string => k !== undefined && config.has(k),
  );

  if (config.has(key) && (!sameKey || isScheduleObject(config.get(key)))) {
    const ignored = oldKeys.filter(k => k !== key);
    if (ignored.length > 0) {
      logger.warn(
        `${ignored.join(' and ')} ${
          ignored.length > 1 ? 'are' : 'is'
        } deprecated and ignored: ${key} is set`,
      );
    }
    return readDefinition(config, key);
  }
  if (oldKeys.length === 0) {
    return defaults;
  }

  const schedule: SchedulerServiceTaskScheduleDefinition = {
    ...defaults,
    frequency:
      frequencyKey && config.has(frequencyKey)
        ? readDeprecatedFrequency(config, frequencyKey, sameKey)
        : defaults.frequency,
    timeout:
      deprecated.timeout && config.has(deprecated.timeout)
        ? readDeprecatedTimeout(config, deprecated.timeout)
        : defaults.timeout,
  };
  const names = oldKeys.map(k =>
    k === key ? `A cron expression or a duration as ${k}` : k,
  );
  logger.warn(
    `${names.join(' and ')} ${
      names.length > 1 ? 'are' : 'is'
    } deprecated; set ${key} instead, here ${key}: ${asConfig(schedule)}`,
  );
  return schedule;
}
