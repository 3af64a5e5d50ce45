import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { isError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';
import { readOptionalDuration } from '../config/readOptionalDuration';
import { readTaskSchedule, TaskScheduleKeys } from '@dbaas/plugin-dbaas-node';
import { DEFAULT_FAIL_AFTER_MINUTES } from './deriveDatabaseStatus';
import { InventorySyncResult } from './InventorySync';

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

/** `dbaas.inventory`, with defaults. */
export interface InventorySyncSettings {
  /** `dbaas.inventory.schedule`, see {@link INVENTORY_SCHEDULE}. */
  schedule: SchedulerServiceTaskScheduleDefinition;
  /**
   * `dbaas.inventory.failAfter`, default 15 minutes: an Aurora database not
   * ready that long after its merge is `failed`.
   */
  failAfterMinutes: number;
}

/**
 * Reads `dbaas.inventory.{schedule,failAfter}` (and the deprecated
 * `frequency` and `timeout`, with a warning); durations accept
 * `{ minutes: 1 }`, `'1m'` or `'PT1M'`.
 */
export function readInventorySyncSettings(
  config: Config,
  logger: LoggerService,
): InventorySyncSettings {
  const failAfter = readOptionalDuration(config, 'dbaas.inventory.failAfter', {
    minutes: DEFAULT_FAIL_AFTER_MINUTES,
  });
  return {
    schedule: readTaskSchedule(config, logger, INVENTORY_SCHEDULE),
    failAfterMinutes: durationToMilliseconds(failAfter) / 60_000,
  };
}

/** The scheduled inventory task. */
export interface InventorySyncTask {
  readonly taskId: string;
  /**
   * Asks for a cycle now (the scheduler starts it within seconds, on
   * whichever replica claims it). `already-running` when a cycle is under
   * way; its result is the fresh one.
   */
  refresh(): Promise<'triggered' | 'already-running'>;
}

export interface ScheduleInventorySyncOptions {
  scheduler: SchedulerService;
  /** From {@link readInventorySyncSettings}. */
  schedule: SchedulerServiceTaskScheduleDefinition;
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
 * database, each cycle runs on one of them only.
 */
export async function scheduleInventorySync(
  options: ScheduleInventorySyncOptions,
): Promise<InventorySyncTask> {
  const { scheduler, schedule, logger, sync, onResult } = options;

  await scheduler.scheduleTask({
    id: INVENTORY_SYNC_TASK_ID,
    ...schedule,
    fn: async signal => {
      const result = await sync.runOnce(signal);
      if (onResult) {
        try {
          await onResult(result);
        } catch (error) {
          logger.error(
            `Handling the inventory sync result failed: ${
              isError(error) ? error.message : String(error)
            }`,
          );
        }
      }
    },
  });

  return {
    taskId: INVENTORY_SYNC_TASK_ID,
    async refresh() {
      try {
        await scheduler.triggerTask(INVENTORY_SYNC_TASK_ID);
        return 'triggered';
      } catch (error) {
        if (isError(error) && error.name === 'ConflictError') {
          return 'already-running';
        }
        throw error;
      }
    },
  };
}
