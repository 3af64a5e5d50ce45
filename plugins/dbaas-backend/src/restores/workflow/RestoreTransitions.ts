import { RestoreStep } from '@dbaas/plugin-dbaas-common';
import { RestoreEvents } from '../RestoreEvents';
import { RestoreRecord, StoredLogEntry } from '../store/RestoreRecord';
import { RestorePatch } from '../store/RestoreStore';
import { approvalProblem } from './approvalProblem';
import { RestoreEngine, RestoreJob } from './RestoreEngine';
import { RestoreProgress } from './RestoreProgress';
import { readableEntity, readableTime } from '../../notifications/readable';

/** For a request stored without its limit (requests always carry one). */
const DEFAULT_FINALIZE_TIME_LIMIT_MS = 24 * 3_600_000;

/** What the transitions need of their executor. */
export interface RestoreTransitionDeps {
  events: RestoreEvents;
  now: () => Date;
  /** The engine and job of a request; throws when there is none. */
  resolve(record: RestoreRecord): { engine: RestoreEngine; job: RestoreJob };
}

/**
 * The moves of a request between states, each saved with its log lines,
 * audited and notified: approved to running (or expired, or failed when
 * it may no longer run), and running to succeeded or failed.
 */
export class RestoreTransitions {
  constructor(
    private readonly executor: RestoreTransitionDeps,
    private readonly progress: RestoreProgress,
  ) {}

  private get record(): RestoreRecord {
    return this.progress.record;
  }

  /** Re-checks the request, plans the steps; false when it must not run. */
  async start(): Promise<boolean> {
    const now = this.executor.now();
    const record = this.record;
    if (record.expiresAt.getTime() <= now.getTime()) {
      await this.progress.save({ state: 'expired', finishedAt: now }, [
        this.progress.line('warning', 'Expired before it could start'),
      ]);
      await this.progress.release();
      await this.executor.events.record({
        eventId: 'restore-expire',
        meta: { restoreId: record.id, database: record.databaseName },
      });
      await this.executor.events.notify(
        this.record,
        `Restore of ${record.databaseName} expired before it could run`,
        { severity: 'high' },
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
      plan = withPreview(
        engine.steps(job).filter(step => step !== 'drop-safety-copy'),
        record,
      );
    } catch (error) {
      await this.finishFailed((error as Error).message, []);
      return false;
    }
    await this.progress.save(
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
        this.progress.line('info', `Started: ${plan.join(' → ')}`),
        ...(plan[0]
          ? [this.progress.line('info', `Running step ${plan[0]}`, plan[0])]
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

  /**
   * The preview is taken: the request waits, without a lease, until it is
   * finalized (then the swap runs), cancelled or past its deadline (then
   * the cleanup drops the scratch copy). `patch` is the preview step's
   * progress, pointing at the swap.
   */
  async awaitFinalize(
    patch: RestorePatch,
    log: StoredLogEntry[],
  ): Promise<'waiting'> {
    const record = this.record;
    const deadline = new Date(
      this.executor.now().getTime() +
        (record.finalizeTimeLimitMs ?? DEFAULT_FINALIZE_TIME_LIMIT_MS),
    );
    const who =
      record.mode === 'protected'
        ? 'an approver (not the requester)'
        : `the requester (${record.requestedBy})`;
    const whoReadable =
      record.mode === 'protected'
        ? who
        : `the requester, ${readableEntity(record.requestedBy)}`;
    await this.progress.save(
      { ...patch, state: 'awaiting-finalize', finalizeDeadline: deadline },
      [
        ...log,
        this.progress.line(
          'info',
          `Awaiting finalize: ${
            record.databaseName
          } is untouched so far. ${who} reviews the preview and finalizes the swap before ${deadline.toISOString()}; otherwise the restored copy is dropped`,
          'preview',
        ),
      ],
    );
    await this.progress.release();
    const summary = this.record.workState.previewSummary;
    await this.executor.events.record({
      eventId: 'restore-run',
      meta: {
        restoreId: record.id,
        database: record.databaseName,
        outcome: 'awaiting-finalize',
        finalizeDeadline: deadline.toISOString(),
        ...(typeof summary === 'string' ? { preview: summary } : {}),
      },
    });
    await this.executor.events.notify(
      this.record,
      `Restore of ${record.databaseName} is ready to finalize`,
      {
        description: `Review what the swap changes and finalize before ${readableTime(
          deadline,
        )} (${whoReadable}), or the restored copy is dropped.${
          typeof summary === 'string' ? ` ${summary}` : ''
        }`,
        severity: 'high',
      },
    );
    return 'waiting';
  }

  /**
   * Cancelled or expired while awaiting finalize, and the scratch copy is
   * dropped: the live database was never touched.
   */
  async finishDiscarded(
    outcome: 'expired' | 'cancelled',
    log: StoredLogEntry[],
  ): Promise<'finished'> {
    const record = this.record;
    await this.progress.save(
      { state: outcome, finishedAt: this.executor.now() },
      [
        ...log,
        this.progress.line(
          'info',
          `${
            outcome === 'expired' ? 'Expired' : 'Cancelled'
          } before the swap: the restored copy is dropped, ${
            record.databaseName
          } is as it was`,
        ),
      ],
    );
    await this.progress.release();
    await this.executor.events.record({
      eventId: 'restore-run',
      meta: {
        restoreId: record.id,
        database: record.databaseName,
        outcome,
      },
    });
    await this.executor.events.notify(
      this.record,
      `Restore of ${record.databaseName} ${outcome} before the swap`,
      {
        description: `The restored copy was dropped; ${record.databaseName} was not changed.`,
        // A cancel is someone's choice; running out of time is a warning.
        severity: outcome === 'cancelled' ? 'low' : 'high',
      },
    );
    return 'finished';
  }

  /** The last step is done. */
  async succeed(): Promise<'finished'> {
    const record = this.record;
    await this.progress.save(
      {
        state: 'succeeded',
        finishedAt: this.executor.now(),
        currentStep: undefined,
      },
      [
        this.progress.line(
          'info',
          `Succeeded: ${record.targetDatabaseName} holds the data of snapshot ${record.snapshotId}`,
        ),
      ],
    );
    await this.progress.release();
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
        } holds the data of ${readableTime(record.snapshotCreatedAt)}`,
      },
    );
    return 'finished';
  }

  /** Failed for good: after cleanup, or before anything ran. */
  async finishFailed(
    error: string,
    log: StoredLogEntry[],
  ): Promise<'finished'> {
    const record = this.record;
    await this.progress.save(
      { state: 'failed', error, finishedAt: this.executor.now() },
      [...log, this.progress.line('error', `Failed: ${error}`)],
    );
    await this.progress.release();
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
}

/**
 * The plan with the `preview` step before the swap, for an in-place
 * restore that stops to be finalized.
 */
function withPreview(
  plan: RestoreStep[],
  record: RestoreRecord,
): RestoreStep[] {
  const swap = plan.indexOf('swap');
  if (!record.finalizeRequired || record.target !== 'in-place' || swap < 0) {
    return plan;
  }
  return [...plan.slice(0, swap), 'preview', ...plan.slice(swap)];
}
