/** Who asked for an inventory cycle. */
export type SyncRequestSource = 'refresh' | 'webhook';

/** Why a cycle runs: a request of either kind, or the schedule alone. */
export type SyncCycleReason = SyncRequestSource | 'schedule';

/** What the task decides when the scheduler starts it. */
export type SyncCycleDecision =
  | {
      run: true;
      reason: SyncCycleReason;
      /** The `served` count before this cycle: restored if the cycle fails. */
      previouslyServed: number;
      /** Database time the cycle started. */
      startedAt: Date;
    }
  | { run: false; reason: 'quiet-period' | 'nothing-requested' };

/** The counters of one task, for tests and troubleshooting. */
export interface SyncRequestCounts {
  requested: number;
  served: number;
  cycles: number;
  skipped: number;
  lastCycleReason?: SyncCycleReason;
}

/**
 * Requests for an inventory cycle and the cycles that served them, shared
 * by every replica. Requests are counted, so a request and the start of a
 * cycle are ordered by the row lock, never by clocks.
 */
export interface SyncRequestStore {
  /** Creates the task's row when missing. */
  ensureTask(taskId: string): Promise<void>;
  /**
   * Records a request. `coalesced` when an earlier request was still
   * waiting for its cycle, which then serves this one too.
   */
  addRequest(
    taskId: string,
    source: SyncRequestSource,
  ): Promise<{ coalesced: boolean }>;
  /**
   * Whether a request is waiting, and how long ago (database time) the
   * latest request was made.
   */
  pending(
    taskId: string,
  ): Promise<{ waiting: boolean; msSinceLastRequest?: number }>;
  /**
   * Decides, in one transaction, whether the cycle the scheduler just
   * started runs, and takes in the requests made so far when it does:
   * - a request is waiting: run (`webhook` when one of them is a webhook);
   * - `followUp` (the task already ran a cycle in this run) and none is
   *   waiting: stop;
   * - otherwise a scheduled poll: skip it while a cycle that served a
   *   webhook started less than `quietPeriodMs` ago, else run.
   */
  beginCycle(
    taskId: string,
    options: { quietPeriodMs: number; followUp: boolean },
  ): Promise<SyncCycleDecision>;
  /** A cycle that served a webhook completed: the quiet period starts. */
  webhookCycleCompleted(taskId: string, startedAt: Date): Promise<void>;
  /** A cycle failed: its requests wait again for the next cycle. */
  cycleFailed(taskId: string, previouslyServed: number): Promise<void>;
  counts(taskId: string): Promise<SyncRequestCounts>;
}
