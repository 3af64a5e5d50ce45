import { RestoreStep } from '@dbaas/plugin-dbaas-common';
import { RestoreEvents } from '../RestoreEvents';
import { RestoreRecord, StoredLogEntry } from '../store/RestoreRecord';
import { RestorePatch, RestoreStore } from '../store/RestoreStore';
import { approvalProblem } from './approvalProblem';
import { RestoreEngine, RestoreJob, RestoreStepContext } from './RestoreEngine';

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

/** Thrown when a save finds the lease held by someone else. */
export class LeaseLost extends Error {}

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
}

/** One drive of one request, holding its lease. */
export class RestoreRun {
  private budget: number;

  constructor(
    private readonly executor: RestoreRunDeps,
    private record: RestoreRecord,
    private readonly lease: AbortSignal,
    private readonly options: DriveOptions,
  ) {
    this.budget = options.maxSteps ?? Infinity;
  }

  async run(): Promise<DriveOutcome> {
    if (this.record.state === 'approved' && !(await this.start())) {
      return 'finished';
    }
    let resolved;
    try {
      resolved = this.executor.resolve(this.record);
    } catch (error) {
      return this.finishFailed((error as Error).message, []);
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
        return this.succeed();
      }
      const outcome = await this.runStep(engine, job, step);
      if (outcome) return outcome;
    }
  }

  /** Re-checks the request, plans the steps; false when it must not run. */
  private async start(): Promise<boolean> {
    const now = this.executor.now();
    const record = this.record;
    if (record.expiresAt.getTime() <= now.getTime()) {
      await this.save({ state: 'expired', finishedAt: now }, [
        this.line('warning', 'Expired before it could start'),
      ]);
      await this.release();
      await this.executor.events.record({
        eventId: 'restore-expire',
        meta: { restoreId: record.id, database: record.databaseName },
      });
      await this.executor.events.notify(
        this.record,
        `Restore of ${record.databaseName} expired before it could run`,
      );
      return false;
    }
    const problem = approvalProblem(record);
    let plan: RestoreStep[];
    try {
      if (problem) {
        throw new Error(problem);
      }
      const { engine, job } = this.executor.resolve(record);
      plan = engine.steps(job).filter(step => step !== 'drop-safety-copy');
    } catch (error) {
      await this.finishFailed((error as Error).message, []);
      return false;
    }
    await this.save(
      {
        state: 'running',
        steps: plan,
        currentStep: plan[0],
        phase: 'steps',
        stepAttempts: 0,
        workState: {},
        startedAt: now,
      },
      [
        this.line('info', `Started: ${plan.join(' → ')}`),
        ...(plan[0]
          ? [this.line('info', `Running step ${plan[0]}`, plan[0])]
          : []),
      ],
    );
    await this.executor.events.record({
      eventId: 'restore-run',
      meta: {
        restoreId: record.id,
        database: record.databaseName,
        outcome: 'started',
      },
    });
    await this.executor.events.notify(
      this.record,
      `Restore of ${record.databaseName} started`,
    );
    return true;
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
    await this.save(
      { stepAttempts: interrupted + 1, nextAttemptAt: undefined },
      interrupted > 0
        ? [
            this.line(
              'warning',
              `Resuming step ${step} after an interruption`,
              step,
            ),
          ]
        : [],
    );
    let outcome;
    try {
      outcome = await engine.runStep(step, this.context(job, step));
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
      await this.save({
        workState,
        stepAttempts: 0,
        nextAttemptAt: new Date(now.getTime() + outcome.retryAfterMs),
      });
      await this.release();
      return 'waiting';
    }
    const plan = this.record.steps ?? [];
    const next = plan[plan.indexOf(step) + 1];
    const patch: RestorePatch = {
      workState,
      currentStep: next,
      stepAttempts: 0,
    };
    const log = [this.line('info', `Step ${step} done`, step)];
    const copy = workState.safetyCopyDatabaseName;
    if (typeof copy === 'string' && !this.record.safetyCopy) {
      const dropAfter = new Date(
        now.getTime() + this.executor.keepSafetyCopyForMs,
      );
      patch.safetyCopy = { databaseName: copy, dropAfter };
      log.push(
        this.line(
          'info',
          `The previous data is kept in ${copy} until ${dropAfter.toISOString()}`,
          step,
        ),
      );
    }
    if (next) {
      log.push(this.line('info', `Running step ${next}`, next));
    }
    await this.save(patch, log);
    return undefined;
  }

  private async failStep(step: RestoreStep, message: string) {
    await this.save(
      {
        phase: 'cleanup',
        error: `Step ${step} failed: ${message}`,
        stepAttempts: 0,
      },
      [
        this.line('error', `Step ${step} failed: ${message}`, step),
        this.line('info', 'Cleaning up', 'cleanup'),
      ],
    );
  }

  private async cleanUp(
    engine: RestoreEngine,
    job: RestoreJob,
  ): Promise<DriveOutcome | undefined> {
    const attempt = this.record.stepAttempts + 1;
    await this.save({ stepAttempts: attempt, nextAttemptAt: undefined });
    try {
      await engine.cleanup(this.context(job, 'cleanup'));
    } catch (error) {
      if (this.lease.aborted) {
        return 'stopped';
      }
      const message = (error as Error).message ?? String(error);
      if (attempt >= MAX_CLEANUP_ATTEMPTS) {
        return this.finishFailed(
          `${this.record.error}; cleanup failed ${attempt} times (${message}): clean up by hand`,
          [],
        );
      }
      await this.save(
        {
          nextAttemptAt: new Date(
            this.executor.now().getTime() + CLEANUP_RETRY_MS * attempt,
          ),
        },
        [
          this.line(
            'warning',
            `Cleanup failed, retrying: ${message}`,
            'cleanup',
          ),
        ],
      );
      await this.release();
      return 'waiting';
    }
    if (this.abandonNow()) {
      return 'stopped';
    }
    return this.finishFailed(this.record.error ?? 'Failed', [
      this.line('info', 'Cleaned up', 'cleanup'),
    ]);
  }

  private async succeed(): Promise<DriveOutcome> {
    const record = this.record;
    await this.save(
      {
        state: 'succeeded',
        finishedAt: this.executor.now(),
        currentStep: undefined,
      },
      [
        this.line(
          'info',
          `Succeeded: ${record.targetDatabaseName} holds the data of snapshot ${record.snapshotId}`,
        ),
      ],
    );
    await this.release();
    await this.executor.events.record({
      eventId: 'restore-run',
      meta: {
        restoreId: record.id,
        database: record.databaseName,
        outcome: 'succeeded',
      },
    });
    await this.executor.events.notify(
      this.record,
      `Restore of ${record.databaseName} succeeded`,
      {
        description: `${
          record.targetDatabaseName
        } holds the data of ${record.snapshotCreatedAt.toISOString()}`,
      },
    );
    return 'finished';
  }

  private async finishFailed(
    error: string,
    log: StoredLogEntry[],
  ): Promise<DriveOutcome> {
    const record = this.record;
    await this.save(
      { state: 'failed', error, finishedAt: this.executor.now() },
      [...log, this.line('error', `Failed: ${error}`)],
    );
    await this.release();
    await this.executor.events.record(
      {
        eventId: 'restore-run',
        severityLevel: 'high',
        meta: {
          restoreId: record.id,
          database: record.databaseName,
          outcome: 'failed',
        },
      },
      new Error(error),
    );
    await this.executor.events.notify(
      this.record,
      `Restore of ${record.databaseName} failed`,
      {
        description: error,
        severity: 'high',
      },
    );
    return 'finished';
  }

  private context(job: RestoreJob, step: RestoreStep): RestoreStepContext {
    return {
      job,
      state: { ...this.record.workState },
      log: async (level, message) => {
        await this.executor.store.appendLog(this.record.id, [
          this.line(level, message, step),
        ]);
      },
      signal: this.lease,
    };
  }

  /** True when the test budget is spent and the outcome must be dropped. */
  private abandonNow(): boolean {
    return Boolean(this.options.abandonBeforePersisting) && this.budget <= 0;
  }

  private async save(patch: RestorePatch, log: StoredLogEntry[] = []) {
    const now = this.executor.now();
    const saved = await this.executor.store.saveProgress(
      this.record.id,
      this.executor.owner,
      patch,
      now,
      log,
    );
    if (!saved) {
      throw new LeaseLost(`Lost the lease of restore ${this.record.id}`);
    }
    const { safetyCopy, ...rest } = patch;
    this.record = {
      ...this.record,
      ...rest,
      ...(safetyCopy ? { safetyCopy } : {}),
      updatedAt: now,
    };
  }

  private async release() {
    await this.executor.store.releaseLease(this.record.id, this.executor.owner);
  }

  private line(
    level: StoredLogEntry['level'],
    message: string,
    step?: RestoreStep,
  ): StoredLogEntry {
    return {
      at: this.executor.now(),
      level,
      message,
      ...(step ? { step } : {}),
    };
  }
}
