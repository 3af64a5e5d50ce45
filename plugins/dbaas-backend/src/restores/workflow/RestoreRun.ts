import { RestoreStep } from '@dbaas/plugin-dbaas-common';
import { RestoreEvents } from '../RestoreEvents';
import { RestoreRecord } from '../store/RestoreRecord';
import { RestorePatch, RestoreStore } from '../store/RestoreStore';
import {
  RestoreEngine,
  RestoreJob,
  RestoreStepContext,
  RestoreStepOutcome,
} from './RestoreEngine';
import { RestoreProgress } from './RestoreProgress';
import { RestoreTransitions } from './RestoreTransitions';

export { LeaseLost } from './RestoreProgress';

/** How one `drive` of one request ended. */
export type DriveOutcome =
  /** Someone else holds the lease, or it is not due. */
  | 'not-claimed'
  /** Succeeded, failed or expired: nothing left to do. */
  | 'finished'
  /** A step asked to be run again later; the lease is released. */
  | 'waiting'
  /** Stopped part-way (budget spent, lease lost, shutdown), lease kept. */
  | 'stopped';

export interface DriveOptions {
  /**
   * Run at most this many step (or cleanup) attempts, then stop as a
   * killed process would: the lease stays until it expires. For tests.
   */
  maxSteps?: number;
  /**
   * With `maxSteps`: the last attempt's outcome is not persisted, as if
   * the process died right after the step's side effects.
   */
  abandonBeforePersisting?: boolean;
  /** Stops driving (shutdown); the lease then expires on its own. */
  signal?: AbortSignal;
}

/** A step that never reports back this often in a row fails the restore. */
const MAX_INTERRUPTED_ATTEMPTS = 3;
/** Cleanup attempts before a failed restore is left for a person. */
const MAX_CLEANUP_ATTEMPTS = 5;
const CLEANUP_RETRY_MS = 60_000;

/** What a run needs from its executor. */
export interface RestoreRunDeps {
  store: RestoreStore;
  events: RestoreEvents;
  /** The lease owner name. */
  owner: string;
  now: () => Date;
  keepSafetyCopyForMs: number;
  /** The engine and job of a request; throws when there is none. */
  resolve(record: RestoreRecord): { engine: RestoreEngine; job: RestoreJob };
  /**
   * Runs the `preview` step (the same for every engine: it reads the
   * scratch copy and the live database on the primary).
   */
  preview?(context: RestoreStepContext): Promise<RestoreStepOutcome>;
}

/**
 * One drive of one request, holding its lease: runs the steps and the
 * cleanup. Saving under the lease is {@link RestoreProgress}'s part, the
 * moves between states {@link RestoreTransitions}'.
 */
export class RestoreRun {
  private budget: number;
  private readonly progress: RestoreProgress;
  private readonly transitions: RestoreTransitions;

  constructor(
    private readonly executor: RestoreRunDeps,
    record: RestoreRecord,
    private readonly lease: AbortSignal,
    private readonly options: DriveOptions,
  ) {
    this.budget = options.maxSteps ?? Infinity;
    this.progress = new RestoreProgress(executor, record, lease);
    this.transitions = new RestoreTransitions(executor, this.progress);
  }

  private get record(): RestoreRecord {
    return this.progress.record;
  }

  async run(): Promise<DriveOutcome> {
    if (this.record.state === 'approved' && !(await this.transitions.start())) {
      return 'finished';
    }
    let resolved;
    try {
      resolved = this.executor.resolve(this.record);
    } catch (error) {
      return this.transitions.finishFailed((error as Error).message, []);
    }
    const { engine, job } = resolved;
    for (;;) {
      if (this.lease.aborted || this.budget <= 0) {
        return 'stopped';
      }
      this.budget -= 1;
      if (this.record.phase === 'cleanup') {
        const outcome = await this.cleanUp(engine, job);
        if (outcome) return outcome;
        continue;
      }
      const step = this.record.currentStep;
      if (!step) {
        return this.transitions.succeed();
      }
      const outcome = await this.runStep(engine, job, step);
      if (outcome) return outcome;
    }
  }

  private async runStep(
    engine: RestoreEngine,
    job: RestoreJob,
    step: RestoreStep,
  ): Promise<DriveOutcome | undefined> {
    const interrupted = this.record.stepAttempts;
    if (interrupted >= MAX_INTERRUPTED_ATTEMPTS) {
      await this.failStep(
        step,
        `interrupted ${interrupted} times without finishing`,
      );
      return undefined;
    }
    await this.progress.save(
      { stepAttempts: interrupted + 1, nextAttemptAt: undefined },
      interrupted > 0
        ? [
            this.progress.line(
              'warning',
              `Resuming step ${step} after an interruption`,
              step,
            ),
          ]
        : [],
    );
    let outcome;
    try {
      outcome = await this.runOne(engine, job, step);
    } catch (error) {
      if (this.lease.aborted) {
        return 'stopped';
      }
      await this.failStep(step, (error as Error).message ?? String(error));
      return undefined;
    }
    if (this.abandonNow()) {
      return 'stopped';
    }
    const workState = { ...this.record.workState, ...outcome.state };
    const now = this.executor.now();
    if (outcome.kind === 'wait') {
      await this.progress.save({
        workState,
        stepAttempts: 0,
        nextAttemptAt: new Date(now.getTime() + outcome.retryAfterMs),
      });
      await this.progress.release();
      return 'waiting';
    }
    const plan = this.record.steps ?? [];
    const next = plan[plan.indexOf(step) + 1];
    const patch: RestorePatch = {
      workState,
      currentStep: next,
      stepAttempts: 0,
    };
    const log = [this.progress.line('info', `Step ${step} done`, step)];
    const copy = workState.safetyCopyDatabaseName;
    if (typeof copy === 'string' && !this.record.safetyCopy) {
      const dropAfter = new Date(
        now.getTime() + this.executor.keepSafetyCopyForMs,
      );
      patch.safetyCopy = { databaseName: copy, dropAfter };
      log.push(
        this.progress.line(
          'info',
          `The previous data is kept in ${copy} until ${dropAfter.toISOString()}`,
          step,
        ),
      );
    }
    if (step === 'preview') {
      // The swap waits for someone to look at the preview and finalize.
      return this.transitions.awaitFinalize(patch, log);
    }
    if (next) {
      log.push(this.progress.line('info', `Running step ${next}`, next));
    }
    await this.progress.save(patch, log);
    return undefined;
  }

  private runOne(
    engine: RestoreEngine,
    job: RestoreJob,
    step: RestoreStep,
  ): Promise<RestoreStepOutcome> {
    const context = this.progress.context(job, step);
    if (step !== 'preview') {
      return engine.runStep(step, context);
    }
    if (!this.executor.preview) {
      throw new Error('This backend has no restore previewer');
    }
    return this.executor.preview(context);
  }

  private async failStep(step: RestoreStep, message: string) {
    await this.progress.save(
      {
        phase: 'cleanup',
        error: `Step ${step} failed: ${message}`,
        stepAttempts: 0,
      },
      [
        this.progress.line('error', `Step ${step} failed: ${message}`, step),
        this.progress.line('info', 'Cleaning up', 'cleanup'),
      ],
    );
  }

  private async cleanUp(
    engine: RestoreEngine,
    job: RestoreJob,
  ): Promise<DriveOutcome | undefined> {
    const attempt = this.record.stepAttempts + 1;
    await this.progress.save({
      stepAttempts: attempt,
      nextAttemptAt: undefined,
    });
    try {
      await engine.cleanup(this.progress.context(job, 'cleanup'));
    } catch (error) {
      if (this.lease.aborted) {
        return 'stopped';
      }
      const message = (error as Error).message ?? String(error);
      if (attempt >= MAX_CLEANUP_ATTEMPTS) {
        const why =
          this.record.error ??
          `${this.record.cleanupOutcome ?? 'stopped'} before the swap`;
        return this.transitions.finishFailed(
          `${why}; cleanup failed ${attempt} times (${message}): clean up by hand`,
          [],
        );
      }
      await this.progress.save(
        {
          nextAttemptAt: new Date(
            this.executor.now().getTime() + CLEANUP_RETRY_MS * attempt,
          ),
        },
        [
          this.progress.line(
            'warning',
            `Cleanup failed, retrying: ${message}`,
            'cleanup',
          ),
        ],
      );
      await this.progress.release();
      return 'waiting';
    }
    if (this.abandonNow()) {
      return 'stopped';
    }
    const cleaned = this.progress.line('info', 'Cleaned up', 'cleanup');
    if (this.record.cleanupOutcome && !this.record.error) {
      // Cancelled or expired while awaiting finalize: nothing failed.
      return this.transitions.finishDiscarded(this.record.cleanupOutcome, [
        cleaned,
      ]);
    }
    return this.transitions.finishFailed(this.record.error ?? 'Failed', [
      cleaned,
    ]);
  }

  /** True when the test budget is spent and the outcome must be dropped. */
  private abandonNow(): boolean {
    return Boolean(this.options.abandonBeforePersisting) && this.budget <= 0;
  }
}
