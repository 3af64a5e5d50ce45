import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { readOptionalDuration } from '../config/readOptionalDuration';
import { readTaskSchedule, TaskScheduleKeys } from '@dbaas/plugin-dbaas-node';
import { isError } from '@backstage/errors';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { ClusterSample } from '@dbaas/plugin-dbaas-node';
import { MetricsRetention, MetricsStore } from './MetricsStore';

/** Id of the sampling task in the scheduler (`scope: 'global'`). */
export const METRICS_SAMPLING_TASK_ID = 'dbaas-metrics-sampling';

/** `dbaas.metrics.schedule`: every minute, a cycle aborted after 5. */
export const METRICS_SCHEDULE: TaskScheduleKeys = {
  key: 'dbaas.metrics.schedule',
  defaults: {
    frequency: { minutes: 1 },
    timeout: { minutes: 5 },
    scope: 'global',
  },
  deprecated: {
    frequency: 'dbaas.metrics.frequency',
    timeout: 'dbaas.metrics.timeout',
  },
};

/** `dbaas.metrics`, with defaults. */
export interface MetricsSettings {
  /** `dbaas.metrics.schedule`, see {@link METRICS_SCHEDULE}. */
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** `dbaas.metrics.retention.{raw,hour,day}`: 2, 35 and 400 days. */
  retention: MetricsRetention;
}

/**
 * Reads `dbaas.metrics.*` (the deprecated `frequency` and `timeout` with a
 * warning); durations accept `{ days: 2 }`, `'2d'` or `'P2D'`.
 */
export function readMetricsSettings(
  config: Config,
  logger: LoggerService,
): MetricsSettings {
  const ms = (key: string, fallback: HumanDuration) =>
    durationToMilliseconds(readOptionalDuration(config, key, fallback));
  return {
    schedule: readTaskSchedule(config, logger, METRICS_SCHEDULE),
    retention: {
      rawMs: ms('dbaas.metrics.retention.raw', { days: 2 }),
      hourMs: ms('dbaas.metrics.retention.hour', { days: 35 }),
      dayMs: ms('dbaas.metrics.retention.day', { days: 400 }),
    },
  };
}

/** Samples one cluster: one connection, one statement; never throws. */
export interface ClusterMetricsSampler {
  readonly cluster: string;
  sample(): Promise<ClusterSample>;
}

export interface MetricsCycleResult {
  /** Databases recorded per reachable cluster. */
  recorded: Record<string, number>;
  /** One-line reason per cluster that could not be sampled or recorded. */
  failed: Record<string, string>;
}

function message(error: unknown): string {
  return isError(error) ? error.message : String(error);
}

/**
 * One cycle: samples every cluster (in parallel, one connection each),
 * records what it got, then rolls up. A cluster that cannot be reached or
 * recorded is logged and skipped; the others continue.
 */
export async function runMetricsCycle(options: {
  samplers: ClusterMetricsSampler[];
  store: MetricsStore;
  logger: LoggerService;
  now?: () => Date;
}): Promise<MetricsCycleResult> {
  const { samplers, store, logger } = options;
  const result: MetricsCycleResult = { recorded: {}, failed: {} };
  await Promise.all(
    samplers.map(async sampler => {
      try {
        const sample = await sampler.sample();
        if (!sample.reachable) {
          result.failed[sampler.cluster] = sample.error ?? 'unreachable';
          logger.warn(
            sample.error ??
              `Cannot sample metrics of cluster '${sampler.cluster}'`,
          );
          return;
        }
        result.recorded[sampler.cluster] = await store.recordSamples(
          sampler.cluster,
          sample,
        );
      } catch (error) {
        result.failed[sampler.cluster] = message(error);
        logger.error(
          `Recording metrics of cluster '${sampler.cluster}' failed: ${message(
            error,
          )}`,
        );
      }
    }),
  );
  try {
    await store.rollUp(options.now?.() ?? new Date());
  } catch (error) {
    logger.error(`Rolling up metrics failed: ${message(error)}`);
  }
  return result;
}

/**
 * Registers metrics sampling, a global task unless the schedule says
 * otherwise: with several backend replicas sharing one database, each
 * cycle runs on one of them only.
 */
export async function scheduleMetricsSampling(options: {
  scheduler: SchedulerService;
  settings: Pick<MetricsSettings, 'schedule'>;
  logger: LoggerService;
  samplers: ClusterMetricsSampler[];
  store: MetricsStore;
}): Promise<void> {
  const { scheduler, settings, logger, samplers, store } = options;
  await scheduler.scheduleTask({
    id: METRICS_SAMPLING_TASK_ID,
    ...settings.schedule,
    fn: async () => {
      await runMetricsCycle({ samplers, store, logger });
    },
  });
}
