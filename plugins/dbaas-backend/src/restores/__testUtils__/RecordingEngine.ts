import { RestoreStep } from '@dbaas/plugin-dbaas-common';
import {
  RestoreEngine,
  RestoreJob,
  RestoreStepContext,
  RestoreStepOutcome,
} from '../workflow/RestoreEngine';

/**
 * A restore engine over a simulated cluster (database name -> the data it
 * holds), behaving like the real ones: steps are idempotent, cleanup
 * undoes what the steps created and puts the original back after a
 * partial swap, and steps fail or ask to wait on demand. The snapshot's
 * data is `snapshot:<id>`.
 */
export class RecordingEngine implements RestoreEngine {
  readonly databases = new Map<string, string>();
  readonly calls: string[] = [];
  readonly failAt = new Set<RestoreStep>();
  /** Step -> how many more attempts answer `wait`. */
  readonly waitAt = new Map<RestoreStep, number>();
  cleanupFailures = 0;
  droppedSafetyCopies: string[] = [];

  steps(job: RestoreJob): RestoreStep[] {
    return job.target === 'in-place'
      ? [
          'preflight',
          'restore',
          'verify',
          'swap',
          'grants',
          'cleanup',
          'drop-safety-copy',
        ]
      : ['preflight', 'restore', 'verify', 'grants', 'cleanup'];
  }

  async runStep(
    step: RestoreStep,
    context: RestoreStepContext,
  ): Promise<RestoreStepOutcome> {
    const { job, state } = context;
    this.calls.push(step);
    if (this.failAt.has(step)) {
      throw new Error(`${step} broke on purpose`);
    }
    const waits = this.waitAt.get(step) ?? 0;
    if (waits > 0) {
      this.waitAt.set(step, waits - 1);
      return {
        kind: 'wait',
        retryAfterMs: 30_000,
        state: { [`${step}Polls`]: waits },
      };
    }
    const names = namesOf(job);
    switch (step) {
      case 'preflight':
        if (state.targetReserved) {
          return { kind: 'done' };
        }
        if (
          job.target === 'new-database' &&
          this.databases.has(job.targetDatabaseName)
        ) {
          throw new Error(`${job.targetDatabaseName} already exists`);
        }
        await context.log('info', 'target checked');
        return { kind: 'done', state: { targetReserved: true } };
      case 'restore':
        this.databases.set(names.receiving, `snapshot:${job.snapshotId}`);
        return { kind: 'done', state: { restored: true } };
      case 'verify':
        if (
          this.databases.get(names.receiving) !== `snapshot:${job.snapshotId}`
        ) {
          throw new Error('verification failed');
        }
        return { kind: 'done' };
      case 'swap': {
        const { original, scratch, safety } = names;
        if (this.databases.has(scratch) && !this.databases.has(safety)) {
          this.databases.set(safety, this.databases.get(original)!);
          this.databases.delete(original);
        }
        if (this.databases.has(scratch) && !this.databases.has(original)) {
          this.databases.set(original, this.databases.get(scratch)!);
          this.databases.delete(scratch);
        }
        return {
          kind: 'done',
          state: { swapped: true, safetyCopyDatabaseName: safety },
        };
      }
      case 'grants':
        return { kind: 'done', state: { grantsDone: true } };
      default:
        return { kind: 'done' };
    }
  }

  async cleanup(context: RestoreStepContext): Promise<void> {
    this.calls.push('cleanup()');
    if (this.cleanupFailures > 0) {
      this.cleanupFailures -= 1;
      throw new Error('cleanup broke on purpose');
    }
    const { original, scratch, safety } = namesOf(context.job);
    if (context.job.target === 'in-place') {
      // Like the real engines: until grants are done a swap is rolled back.
      if (
        context.state.swapped &&
        !context.state.grantsDone &&
        this.databases.has(safety)
      ) {
        this.databases.set(original, this.databases.get(safety)!);
        this.databases.delete(safety);
      }
      if (!this.databases.has(original) && this.databases.has(safety)) {
        this.databases.set(original, this.databases.get(safety)!);
        this.databases.delete(safety);
      }
      this.databases.delete(scratch);
    } else if (context.state.targetReserved) {
      this.databases.delete(context.job.targetDatabaseName);
    }
  }

  async dropSafetyCopy(_job: RestoreJob, name: string): Promise<void> {
    this.droppedSafetyCopies.push(name);
    this.databases.delete(name);
  }
}

function namesOf(job: RestoreJob) {
  const original = job.databaseName;
  const scratch = `${original}_restore`;
  return {
    original,
    scratch,
    safety: `${original}_safety`,
    receiving: job.target === 'in-place' ? scratch : job.targetDatabaseName,
  };
}
