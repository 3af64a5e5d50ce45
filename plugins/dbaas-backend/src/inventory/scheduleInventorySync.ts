import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { readOptionalDuration } from '../config/readOptionalDuration';
import { isError } from '@backstage/errors';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { DEFAULT_FAIL_AFTER_MINUTES } from './deriveDatabaseStatus';
import { InventorySyncResult } from './InventorySync';

/** Id of the inventory task in the scheduler (one per plugin, `scope: 'global'`). */
export const INVENTORY_SYNC_TASK_ID = 'dbaas-inventory-sync';

/** `dbaas.inventory`, with defaults. */
export interface InventorySyncSettings {
  /** `dbaas.inventory.frequency`, default 1 minute. */
  frequency: HumanDuration;
  /** `dbaas.inventory.timeout`, default 10 minutes: a cycle running longer is aborted. */
  timeout: HumanDuration;
  /**
   * `dbaas.inventory.failAfter`, default 15 minutes: an Aurora database not
   * ready that long after its merge is `failed`.
   */
  failAfterMinutes: number;
}

/**
 * Reads `dbaas.inventory.{frequency,timeout,failAfter}`; each accepts
 * `{ minutes: 1 }`, `'1m'` or `'PT1M'`.
 */
export function readInventorySyncSettings(
  config: Config,
): InventorySyncSettings {
  const failAfter = readOptionalDuration(config, 'dbaas.inventory.failAfter', {
    minutes: DEFAULT_FAIL_AFTER_MINUTES,
  });
  return {
    frequency: readOptionalDuration(config, 'dbaas.inventory.frequency', {
      minutes: 1,
    }),
    timeout: readOptionalDuration(config, 'dbaas.inventory.timeout', {
      minutes: 10,
    }),
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
  config: Config;
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
 * Registers the inventory sync with the scheduler as a global task: with
 * several backend replicas sharing one database, each cycle runs on one of
 * them only.
 */
export async function scheduleInventorySync(
  options: ScheduleInventorySyncOptions,
): Promise<InventorySyncTask> {
  const { scheduler, logger, sync, onResult } = options;
  const settings = readInventorySyncSettings(options.config);

  await scheduler.scheduleTask({
    id: INVENTORY_SYNC_TASK_ID,
    scope: 'global',
    frequency: settings.frequency,
    timeout: settings.timeout,
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
