import {
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError, isError } from '@backstage/errors';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { DatabaseMode } from '@dbaas/plugin-dbaas-common';
import {
  ClusterEnvironment,
  readTaskSchedule,
  TaskScheduleKeys,
} from '@dbaas/plugin-dbaas-node';

/** An RPO and an RTO, in milliseconds. */
export interface ObjectiveTargets {
  rpoMs: number;
  rtoMs: number;
}

/**
 * `dbaas.objectives.schedule`: the objectives task reads every database's
 * recovery point and measured recovery time every 5 minutes (a few
 * queries and one AWS call per Aurora cluster) and notifies RPO misses.
 */
export const OBJECTIVES_SCHEDULE: TaskScheduleKeys = {
  key: 'dbaas.objectives.schedule',
  defaults: {
    frequency: { minutes: 5 },
    timeout: { minutes: 2 },
    scope: 'global',
  },
  deprecated: {},
};

/**
 * A day between two daily snapshots, plus an hour for the snapshot itself
 * to finish; four hours to restore.
 */
export const DEFAULT_OBJECTIVES: Record<'rpo' | 'rto', HumanDuration> = {
  rpo: { hours: 25 },
  rto: { hours: 4 },
};

const ENVIRONMENTS: readonly ClusterEnvironment[] = [
  'production',
  'staging',
  'test',
  'dev',
];
const MODES: readonly DatabaseMode[] = ['standard', 'protected'];
const FIELDS = ['rpo', 'rto'] as const;

type Level = Partial<ObjectiveTargets>;

/** `dbaas.objectives`, resolved. */
export interface ObjectiveSettings {
  /**
   * The objectives of a database: each of RPO and RTO from
   * `environments.<env>.<mode>`, else `environments.<env>`, else `default`,
   * else {@link DEFAULT_OBJECTIVES}.
   */
  targetsFor(
    environment: ClusterEnvironment | undefined,
    mode: DatabaseMode,
  ): ObjectiveTargets;
  schedule: SchedulerServiceTaskScheduleDefinition;
}

function message(error: unknown): string {
  return isError(error) ? error.message : String(error);
}

/** Refuses keys that would otherwise be silently ignored (`prod`, `rpo_`). */
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

function readLevel(config: Config | undefined, key: string): Level {
  const level: Level = {};
  for (const field of FIELDS) {
    if (!config?.has(field)) {
      continue;
    }
    const fieldKey = `${key}.${field}`;
    let ms: number;
    try {
      ms = durationToMilliseconds(
        readDurationFromConfig(config, { key: field }),
      );
    } catch (error) {
      throw new InputError(
        `${fieldKey} must be a duration ({ hours: 4 }, '4h' or 'PT4H'): ${message(
          error,
        )}`,
      );
    }
    if (!(ms > 0)) {
      throw new InputError(`${fieldKey} must be longer than zero`);
    }
    level[field === 'rpo' ? 'rpoMs' : 'rtoMs'] = ms;
  }
  return level;
}

/**
 * Reads `dbaas.objectives`:
 *
 * ```yaml
 * dbaas:
 *   objectives:
 *     default: { rpo: { hours: 25 }, rto: { hours: 4 } }
 *     environments:
 *       production:
 *         rto: { hours: 2 }
 *         protected: { rpo: { hours: 1 }, rto: { hours: 1 } }
 * ```
 *
 * A malformed duration or an unknown key stops startup, naming the key.
 */
export function readObjectiveSettings(
  config: Config,
  logger: LoggerService,
): ObjectiveSettings {
  const root = config.getOptionalConfig('dbaas.objectives');
  if (root) {
    checkKeys(root, 'dbaas.objectives', [
      'default',
      'environments',
      'schedule',
    ]);
  }
  const defaultConfig = root?.getOptionalConfig('default');
  if (defaultConfig) {
    checkKeys(defaultConfig, 'dbaas.objectives.default', FIELDS);
  }
  const base: ObjectiveTargets = {
    rpoMs: durationToMilliseconds(DEFAULT_OBJECTIVES.rpo),
    rtoMs: durationToMilliseconds(DEFAULT_OBJECTIVES.rto),
    ...readLevel(defaultConfig, 'dbaas.objectives.default'),
  };

  const perEnvironment = new Map<string, Level>();
  const perMode = new Map<string, Level>();
  const environments = root?.getOptionalConfig('environments');
  if (environments) {
    checkKeys(environments, 'dbaas.objectives.environments', ENVIRONMENTS);
    for (const environment of environments.keys()) {
      const key = `dbaas.objectives.environments.${environment}`;
      const envConfig = environments.getConfig(environment);
      checkKeys(envConfig, key, [...FIELDS, ...MODES]);
      perEnvironment.set(environment, readLevel(envConfig, key));
      for (const mode of MODES) {
        const modeConfig = envConfig.getOptionalConfig(mode);
        if (modeConfig) {
          checkKeys(modeConfig, `${key}.${mode}`, FIELDS);
          perMode.set(
            `${environment}/${mode}`,
            readLevel(modeConfig, `${key}.${mode}`),
          );
        }
      }
    }
  }

  return {
    targetsFor(environment, mode) {
      const env = environment ? perEnvironment.get(environment) : undefined;
      const own = environment
        ? perMode.get(`${environment}/${mode}`)
        : undefined;
      return {
        rpoMs: own?.rpoMs ?? env?.rpoMs ?? base.rpoMs,
        rtoMs: own?.rtoMs ?? env?.rtoMs ?? base.rtoMs,
      };
    },
    schedule: readTaskSchedule(config, logger, OBJECTIVES_SCHEDULE),
  };
}
