import { LoggerService } from '@backstage/backend-plugin-api';
import { setTimeout as sleep } from 'node:timers/promises';
import { InventorySyncResult } from './InventorySync';
import { SyncRequestStore } from './SyncRequestStore';

/**
 * Cycles one scheduler run may chain when requests keep arriving while it
 * syncs; requests left after them are served by the next run.
 */
export const MAX_CYCLES_PER_RUN = 5;

/**
 * Waiting for a burst of requests to end stops after this many debounce
 * periods, so a steady stream of requests cannot hold a cycle back.
 */
export const MAX_DEBOUNCE_PERIODS = 5;

export interface RequestedCyclesOptions {
  taskId: string;
  requests: SyncRequestStore;
  sync: { runOnce(signal?: AbortSignal): Promise<InventorySyncResult> };
  logger: LoggerService;
  /** Requests less than this apart are served by one cycle. */
  debounceMs: number;
  /** Scheduled polls are skipped this long after a webhook's cycle. */
  quietPeriodMs: number;
  /** Each completed cycle's outcome. */
  report(result: InventorySyncResult): Promise<void>;
}

/**
 * What the scheduled task does each time the scheduler starts it (on its
 * schedule, or because a request triggered it), on one replica at a time:
 *
 * 1. When requests are waiting, wait until none came for `debounceMs` (at
 *    most {@link MAX_DEBOUNCE_PERIODS} of them): a burst is one cycle.
 * 2. Decide with {@link SyncRequestStore.beginCycle}: run, taking in every
 *    request made so far; or skip a scheduled poll in the webhook quiet
 *    period.
 * 3. Sync. Requests made meanwhile (the scheduler refuses to trigger a
 *    running task) are served by one more cycle right after, up to
 *    {@link MAX_CYCLES_PER_RUN} per run.
 *
 * A failed cycle puts its requests back, so the next scheduled poll serves
 * them whatever the quiet period says. So does a request that lands in the
 * moment between the last check of step 3 and the scheduler releasing the
 * task (its trigger is refused as running): it waits for the next poll, at
 * most the schedule's frequency, which the quiet period cannot skip.
 */
export async function runRequestedCycles(
  options: RequestedCyclesOptions,
  signal: AbortSignal,
): Promise<void> {
  const { taskId, requests, sync, logger } = options;
  for (let cycle = 0; cycle < MAX_CYCLES_PER_RUN; cycle++) {
    if (signal.aborted) {
      return;
    }
    await waitForQuietRequests(options, signal);
    if (signal.aborted) {
      return;
    }
    const decision = await requests.beginCycle(taskId, {
      quietPeriodMs: options.quietPeriodMs,
      followUp: cycle > 0,
    });
    if (!decision.run) {
      if (decision.reason === 'quiet-period') {
        logger.debug(
          'Scheduled inventory sync skipped: a webhook started one less than the quiet period ago',
        );
      }
      return;
    }
    logger.debug(`Inventory sync cycle started (${decision.reason})`);
    let result: InventorySyncResult;
    try {
      result = await sync.runOnce(signal);
    } catch (error) {
      await requests.cycleFailed(taskId, decision.previouslyServed);
      throw error;
    }
    if (decision.reason === 'webhook') {
      await requests.webhookCycleCompleted(taskId, decision.startedAt);
    }
    await options.report(result);
  }
}

async function waitForQuietRequests(
  options: RequestedCyclesOptions,
  signal: AbortSignal,
): Promise<void> {
  const { requests, taskId, debounceMs } = options;
  const deadline = Date.now() + debounceMs * MAX_DEBOUNCE_PERIODS;
  for (;;) {
    const { waiting, msSinceLastRequest } = await requests.pending(taskId);
    if (
      !waiting ||
      msSinceLastRequest === undefined ||
      msSinceLastRequest >= debounceMs
    ) {
      return;
    }
    const waitMs = Math.min(
      debounceMs - msSinceLastRequest,
      deadline - Date.now(),
    );
    if (waitMs <= 0) {
      return;
    }
    try {
      await sleep(waitMs, undefined, { signal });
    } catch {
      return; // aborted: the caller sees the signal
    }
  }
}
