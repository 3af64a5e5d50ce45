import {
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError, isError } from '@backstage/errors';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import {
  ClusterEnvironment,
  readTaskSchedule,
  TaskScheduleKeys,
} from '@dbaas/plugin-dbaas-node';

/** Id of the rotation task in the scheduler (`scope: 'global'`). */
export const ROTATION_TASK_ID = 'dbaas-credential-rotation';

/**
 * `dbaas.rotation.schedule`: every 15 minutes the task runs approved
 * rotations left behind, follows Aurora rotations Secrets Manager is
 * finishing, and starts the scheduled rotations that are due.
 */
export const ROTATION_SCHEDULE: TaskScheduleKeys = {
  key: 'dbaas.rotation.schedule',
  defaults: {
    frequency: { minutes: 15 },
    timeout: { minutes: 10 },
    scope: 'global',
  },
  deprecated: {},
};

const ENVIRONMENTS: readonly ClusterEnvironment[] = [
  'production',
  'staging',
  'test',
  'dev',
];

/** `dbaas.rotation`, resolved. */
export interface RotationSettings {
  /** The rotation period of an environment; undefined: not scheduled. */
  periodFor(
    environment: ClusterEnvironment | undefined,
  ): { ms: number; text: string } | undefined;
  /**
   * An Aurora rotation still pending in Secrets Manager after this long is
   * `failed` (its function is stuck).
   */
  pendingTimeoutMs: number;
  schedule: SchedulerServiceTaskScheduleDefinition;
}

function checkKeys(config: Config, key: string, allowed: readonly string[]) {
  const unknown = config.keys().filter(k => !allowed.includes(k));
  if (unknown.length > 0) {
    throw new InputError(
      `${key} has unknown key(s) ${unknown
        .map(k => `'${k}'`)
        .join(', ')}; expected ${allowed.join(', ')}`,
    );
  }
}

function readPeriod(config: Config, key: string, field: string): number {
  let ms: number;
  try {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key: field }));
  } catch (error) {
    throw new InputError(
      `${key}.${field} must be a duration ({ days: 30 }, '30d' or 'P30D'): ${
        isError(error) ? error.message : String(error)
      }`,
    );
  }
  if (!(ms >= 60 * 60_000)) {
    throw new InputError(`${key}.${field} must be at least an hour`);
  }
  return ms;
}

function describePeriod(ms: number): string {
  const days = ms / 86_400_000;
  if (Number.isInteger(days)) {
    return `${days} day${days === 1 ? '' : 's'}`;
  }
  const hours = Math.round(ms / 3_600_000);
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}

/**
 * Reads `dbaas.rotation` (off unless configured):
 *
 * ```yaml
 * dbaas:
 *   rotation:
 *     environments:
 *       production: { every: { days: 30 } }
 *       staging: { every: { days: 90 } }
 *     pendingTimeout: { hours: 1 }
 *     schedule: { frequency: { minutes: 15 }, timeout: { minutes: 10 } }
 * ```
 *
 * A malformed duration or an unknown key stops startup, naming the key.
 */
export function readRotationSettings(
  config: Config,
  logger: LoggerService,
): RotationSettings {
  const root = config.getOptionalConfig('dbaas.rotation');
  if (root) {
    checkKeys(root, 'dbaas.rotation', [
      'environments',
      'pendingTimeout',
      'schedule',
    ]);
  }
  const periods = new Map<string, number>();
  const environments = root?.getOptionalConfig('environments');
  if (environments) {
    checkKeys(environments, 'dbaas.rotation.environments', ENVIRONMENTS);
    for (const environment of environments.keys()) {
      const key = `dbaas.rotation.environments.${environment}`;
      const envConfig = environments.getConfig(environment);
      checkKeys(envConfig, key, ['every']);
      if (envConfig.has('every')) {
        periods.set(environment, readPeriod(envConfig, key, 'every'));
      }
    }
  }
  const pendingTimeout: HumanDuration = { hours: 1 };
  return {
    periodFor(environment) {
      const ms = environment ? periods.get(environment) : undefined;
      return ms === undefined ? undefined : { ms, text: describePeriod(ms) };
    },
    pendingTimeoutMs: root?.has('pendingTimeout')
      ? readPeriod(root, 'dbaas.rotation', 'pendingTimeout')
      : durationToMilliseconds(pendingTimeout),
    schedule: readTaskSchedule(config, logger, ROTATION_SCHEDULE),
  };
}
