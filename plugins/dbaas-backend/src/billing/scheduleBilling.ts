import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { isError } from '@backstage/errors';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { readOptionalDuration } from '../config/readOptionalDuration';
import { readTaskSchedule, TaskScheduleKeys } from '@dbaas/plugin-dbaas-node';
import { BillingReports } from './BillingReports';
import { BillingRetention } from './BillingStore';
import { BudgetNotifier } from './BudgetNotifier';
import { BillingRunResult, HourlyBilling } from './HourlyBilling';

/** Id of the billing task in the scheduler (`scope: 'global'`). */
export const BILLING_TASK_ID = 'dbaas-billing';

/**
 * `dbaas.billing.schedule`: every 15 minutes, a cycle aborted after 10.
 * The first cycle waits for a couple of metrics samples, so that a fresh
 * portal shows month-to-date figures minutes after it starts.
 */
export const BILLING_SCHEDULE: TaskScheduleKeys = {
  key: 'dbaas.billing.schedule',
  defaults: {
    frequency: { minutes: 15 },
    timeout: { minutes: 10 },
    initialDelay: { minutes: 2 },
    scope: 'global',
  },
  deprecated: {
    frequency: 'dbaas.billing.frequency',
    timeout: 'dbaas.billing.timeout',
  },
};

/** `dbaas.billing` task settings, with defaults. */
export interface BillingTaskSettings {
  /** `dbaas.billing.schedule`, see {@link BILLING_SCHEDULE}. */
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** `dbaas.billing.retention.{hour,day}`: 35 and 400 days. */
  retention: BillingRetention;
}

/**
 * Reads the task keys of `dbaas.billing` (the deprecated `frequency` and
 * `timeout` with a warning); durations as `{ minutes: 15 }`, `'15m'` or
 * `'PT15M'`.
 */
export function readBillingTaskSettings(
  config: Config,
  logger: LoggerService,
): BillingTaskSettings {
  const ms = (key: string, fallback: HumanDuration) =>
    durationToMilliseconds(readOptionalDuration(config, key, fallback));
  return {
    schedule: readTaskSchedule(config, logger, BILLING_SCHEDULE),
    retention: {
      hourMs: ms('dbaas.billing.retention.hour', { days: 35 }),
      dayMs: ms('dbaas.billing.retention.day', { days: 400 }),
    },
  };
}

function message(error: unknown): string {
  return isError(error) ? error.message : String(error);
}

/**
 * One cycle: bills the hours due on every cluster, then checks the current
 * month against the tenants' budgets. A failure of the budget check is
 * logged; the hours billed stay.
 */
export async function runBillingCycle(options: {
  billing: HourlyBilling;
  reports: BillingReports;
  notifier: BudgetNotifier;
  logger: LoggerService;
  signal?: AbortSignal;
}): Promise<BillingRunResult> {
  const { billing, reports, notifier, logger } = options;
  const result = await billing.run(reports.now(), options.signal);
  try {
    await notifier.notify(await reports.month(), reports.budgets);
  } catch (error) {
    logger.error(`Checking billing budgets failed: ${message(error)}`);
  }
  return result;
}

/**
 * Registers billing, a global task unless the schedule says otherwise:
 * with several backend replicas sharing one database, each cycle runs on
 * one of them only (and a cycle on two at once would still count every
 * hour once, see BillingStore).
 */
export async function scheduleBilling(options: {
  scheduler: SchedulerService;
  settings: Pick<BillingTaskSettings, 'schedule'>;
  run: (signal?: AbortSignal) => Promise<unknown>;
}): Promise<void> {
  await options.scheduler.scheduleTask({
    id: BILLING_TASK_ID,
    ...options.settings.schedule,
    fn: async signal => {
      await options.run(signal);
    },
  });
}
