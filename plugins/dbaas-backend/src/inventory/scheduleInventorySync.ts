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
import { DEFAULT_FAIL_AFTER_MINUTES } from './deriveDatabaseStatus';
import { InventorySyncResult } from './InventorySync';
import { runRequestedCycles } from './runRequestedCycles';
import { SyncRequestSource, SyncRequestStore } from './SyncRequestStore';

/** Id of the inventory task in the scheduler (one per plugin, `scope: 'global'`). */
export const INVENTORY_SYNC_TASK_ID = 'dbaas-inventory-sync';

/** `dbaas.inventory.schedule`: every minute, a cycle aborted after 10. */
export const INVENTORY_SCHEDULE: TaskScheduleKeys = {
  key: 'dbaas.inventory.schedule',
  defaults: {
    frequency: { minutes: 1 },
    timeout: { minutes: 10 },
    scope: 'global',
  },
  deprecated: {
    frequency: 'dbaas.inventory.frequency',
    timeout: 'dbaas.inventory.timeout',
  },
};

/** `dbaas.inventory.webhooks.quietPeriod` default: 5 minutes. */
export const DEFAULT_WEBHOOK_QUIET_PERIOD = { minutes: 5 };

/** `dbaas.inventory.refreshDebounce` default: 1 second. */
export const DEFAULT_REFRESH_DEBOUNCE = { seconds: 1 };

/** `dbaas.inventory`, with defaults. */
export interface InventorySyncSettings {
  /** `dbaas.inventory.schedule`, see {@link INVENTORY_SCHEDULE}. */
  schedule: SchedulerServiceTaskScheduleDefinition;
  /**
   * `dbaas.inventory.failAfter`, default 15 minutes: an Aurora database not
   * ready that long after its merge is `failed`.
   */
  failAfterMinutes: number;
  /**
   * `dbaas.inventory.refreshDebounce`, default 1 second: requests (refresh
   * calls, webhooks) less than this apart are served by one cycle.
   */
  debounceMs: number;
  /**
   * `dbaas.inventory.webhooks.quietPeriod`, default 5 minutes: a scheduled
   * cycle is skipped when a cycle that served a webhook started less than
   * this ago; 0 never skips.
   */
  quietPeriodMs: number;
}

/**
 * Reads `dbaas.inventory.{schedule,failAfter,refreshDebounce}`,
 * `dbaas.inventory.webhooks.quietPeriod` (and the deprecated `frequency`
 * and `timeout`, with a warning); durations accept `{ minutes: 1 }`,
 * `'1m'` or `'PT1M'`.
 */
export function readInventorySyncSettings(
  config: Config,
  logger: LoggerService,
): InventorySyncSettings {
  const durationMs = (key: string, fallback: HumanDuration) =>
    durationToMilliseconds(readOptionalDuration(config, key, fallback));
  return {
    schedule: readTaskSchedule(config, logger, INVENTORY_SCHEDULE),
    failAfterMinutes:
      durationMs('dbaas.inventory.failAfter', {
        minutes: DEFAULT_FAIL_AFTER_MINUTES,
      }) / 60_000,
    debounceMs: durationMs(
      'dbaas.inventory.refreshDebounce',
      DEFAULT_REFRESH_DEBOUNCE,
    ),
    quietPeriodMs: durationMs(
      'dbaas.inventory.webhooks.quietPeriod',
      DEFAULT_WEBHOOK_QUIET_PERIOD,
    ),
  };
}

/** What became of a request for a cycle. */
export type SyncRequestOutcome =
  /** No request was waiting: a cycle starts within seconds (after the running one, if any). */
  | 'requested'
  /** An earlier request is still waiting: its cycle serves this one too. */
  | 'coalesced';

/** The scheduled inventory task. */
export interface InventorySyncTask {
  readonly taskId: string;
  /**
   * Asks for a cycle soon, on whichever replica the scheduler gives it to.
   * Requests coalesce: every request made before a cycle starts is served
   * by it, and those made while one runs by a single cycle after it.
   */
  requestSync(source: SyncRequestSource): Promise<SyncRequestOutcome>;
}

export interface ScheduleInventorySyncOptions {
  scheduler: SchedulerService;
  /** From {@link readInventorySyncSettings}. */
  settings: Pick<
    InventorySyncSettings,
    'schedule' | 'debounceMs' | 'quietPeriodMs'
  >;
  /** Where requests are counted, shared by every replica. */
  requests: SyncRequestStore;
  logger: LoggerService;
  /** One cycle; see `InventorySync.runOnce`. */
  sync: { runOnce(signal?: AbortSignal): Promise<InventorySyncResult> };
  /**
   * Called with every cycle's outcome, on the replica that ran it (e.g.
   * notifications and audit events for the status changes). Its errors are
   * logged and do not fail the cycle.
   */
  onResult?: (result: InventorySyncResult) => Promise<void> | void;
}

/**
 * Registers the inventory sync with the scheduler, a global task unless
 * the schedule says otherwise: with several backend replicas sharing one
 * database, each cycle runs on one of them only. Requests and the webhook
 * quiet period are decided by {@link runRequestedCycles}.
 */
export async function scheduleInventorySync(
  options: ScheduleInventorySyncOptions,
): Promise<InventorySyncTask> {
  const { scheduler, settings, requests, logger, sync, onResult } = options;
  const taskId = INVENTORY_SYNC_TASK_ID;
  await requests.ensureTask(taskId);

  const report = async (result: InventorySyncResult) => {
    if (!onResult) {
      return;
    }
    try {
      await onResult(result);
    } catch (error) {
      logger.error(
        `Handling the inventory sync result failed: ${
          isError(error) ? error.message : String(error)
        }`,
      );
    }
  };

  await scheduler.scheduleTask({
    id: taskId,
    ...settings.schedule,
    fn: signal =>
      runRequestedCycles(
        {
          taskId,
          requests,
          sync,
          logger,
          debounceMs: settings.debounceMs,
          quietPeriodMs: settings.quietPeriodMs,
          report,
        },
        signal,
      ),
  });

  return {
    taskId,
    async requestSync(source) {
      const { coalesced } = await requests.addRequest(taskId, source);
      try {
        await scheduler.triggerTask(taskId);
      } catch (error) {
        // Running: the run serves the request with one more cycle.
        if (!isError(error) || error.name !== 'ConflictError') {
          throw error;
        }
      }
      return coalesced ? 'coalesced' : 'requested';
    },
  };
}
