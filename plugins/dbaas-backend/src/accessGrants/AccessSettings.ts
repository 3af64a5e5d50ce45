import {
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { DatabaseMode } from '@dbaas/plugin-dbaas-common';
import {
  ClusterEnvironment,
  readTaskSchedule,
  TaskScheduleKeys,
} from '@dbaas/plugin-dbaas-node';
import { readOptionalDuration } from '../config/readOptionalDuration';

/**
 * `dbaas.access.schedule`, the access task: every minute (it expires grants
 * and drops login roles), released after 5 minutes.
 */
export const ACCESS_SCHEDULE: TaskScheduleKeys = {
  key: 'dbaas.access.schedule',
  defaults: {
    frequency: { minutes: 1 },
    timeout: { minutes: 5 },
    scope: 'global',
  },
  deprecated: {},
};

/**
 * How a request of the tenant's owners is decided: `auto` approves it at
 * once, `approval` waits for someone with `dbaas.access.approve`. Requests
 * of anybody else always wait for an approver.
 */
export type AccessApproval = 'auto' | 'approval';

const ENVIRONMENTS: readonly ClusterEnvironment[] = [
  'production',
  'staging',
  'test',
  'dev',
];
const MODES: readonly DatabaseMode[] = ['standard', 'protected'];

/** `dbaas.access`, with defaults. */
export interface AccessSettings {
  /** `dbaas.access.maxDuration`, default 8 hours. */
  maxDurationMinutes: number;
  /** `dbaas.access.defaultDuration`, default 1 hour (capped at the maximum). */
  defaultDurationMinutes: number;
  /** `dbaas.access.requestTtl`, default 24 hours. */
  requestTtlMs: number;
  /** `dbaas.access.approval.<environment>.<mode>`. */
  approval: Record<ClusterEnvironment, Record<DatabaseMode, AccessApproval>>;
  /** `dbaas.access.notifyGroups`: told about every request waiting for approval. */
  notifyGroups: string[];
  /** `dbaas.access.schedule`, see {@link ACCESS_SCHEDULE}. */
  schedule: SchedulerServiceTaskScheduleDefinition;
}

/** The default policy: owners get non-production standard databases at once. */
export function defaultApproval(
  environment: ClusterEnvironment,
  mode: DatabaseMode,
): AccessApproval {
  return environment !== 'production' && mode === 'standard'
    ? 'auto'
    : 'approval';
}

/**
 * Reads `dbaas.access.*`; durations accept `{ hours: 8 }`, `'8h'` or
 * `'PT8H'`. Every bad value is an error naming its key.
 */
export function readAccessSettings(
  config: Config,
  logger: LoggerService,
): AccessSettings {
  const minutes = (key: string, fallback: HumanDuration) => {
    const ms = durationToMilliseconds(
      readOptionalDuration(config, key, fallback),
    );
    if (!(ms >= 60_000)) {
      throw new InputError(`${key} must be at least one minute`);
    }
    return Math.floor(ms / 60_000);
  };
  const maxDurationMinutes = minutes('dbaas.access.maxDuration', { hours: 8 });
  const defaultDurationMinutes = Math.min(
    minutes('dbaas.access.defaultDuration', { hours: 1 }),
    maxDurationMinutes,
  );
  const requestTtlMs =
    minutes('dbaas.access.requestTtl', { hours: 24 }) * 60_000;

  const approval = {} as AccessSettings['approval'];
  for (const environment of ENVIRONMENTS) {
    approval[environment] = {} as Record<DatabaseMode, AccessApproval>;
    for (const mode of MODES) {
      const key = `dbaas.access.approval.${environment}.${mode}`;
      const value = config.getOptionalString(key);
      if (value !== undefined && value !== 'auto' && value !== 'approval') {
        throw new InputError(
          `${key} must be 'auto' or 'approval', not '${value}'`,
        );
      }
      approval[environment][mode] = value ?? defaultApproval(environment, mode);
    }
  }
  return {
    maxDurationMinutes,
    defaultDurationMinutes,
    requestTtlMs,
    approval,
    notifyGroups:
      config.getOptionalStringArray('dbaas.access.notifyGroups') ?? [],
    schedule: readTaskSchedule(config, logger, ACCESS_SCHEDULE),
  };
}
