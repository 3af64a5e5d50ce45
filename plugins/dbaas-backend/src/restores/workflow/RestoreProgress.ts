import { RestoreStep } from '@dbaas/plugin-dbaas-common';
import { RestoreRecord, StoredLogEntry } from '../store/RestoreRecord';
import { RestorePatch, RestoreStore } from '../store/RestoreStore';
import { RestoreJob, RestoreStepContext } from './RestoreEngine';

/** Thrown when a save finds the lease held by someone else. */
export class LeaseLost extends Error {}

/** What the lease holder needs to persist progress. */
export interface RestoreProgressDeps {
  store: RestoreStore;
  /** The lease owner name. */
  owner: string;
  now: () => Date;
}

/**
 * A request's record as the holder of its lease sees it: every change is
 * saved under the lease (a save that finds another owner throws
 * {@link LeaseLost}), with its log lines, and the lease is released here.
 */
export class RestoreProgress {
  constructor(
    private readonly deps: RestoreProgressDeps,
    private current: RestoreRecord,
    private readonly lease: AbortSignal,
  ) {}

  /** The record as last saved. */
  get record(): RestoreRecord {
    return this.current;
  }

  /** A step's context: its job, a copy of the work state, its log. */
  context(job: RestoreJob, step: RestoreStep): RestoreStepContext {
    return {
      job,
      state: { ...this.record.workState },
      log: async (level, message) => {
        await this.deps.store.appendLog(this.record.id, [
          this.line(level, message, step),
        ]);
      },
      signal: this.lease,
    };
  }

  /** Saves `patch` and `log` under the lease; throws LeaseLost without it. */
  async save(patch: RestorePatch, log: StoredLogEntry[] = []) {
    const now = this.deps.now();
    const saved = await this.deps.store.saveProgress(
      this.record.id,
      this.deps.owner,
      patch,
      now,
      log,
    );
    if (!saved) {
      throw new LeaseLost(`Lost the lease of restore ${this.record.id}`);
    }
    const { safetyCopy, ...rest } = patch;
    this.current = {
      ...this.current,
      ...rest,
      ...(safetyCopy ? { safetyCopy } : {}),
      updatedAt: now,
    };
  }

  async release() {
    await this.deps.store.releaseLease(this.record.id, this.deps.owner);
  }

  line(
    level: StoredLogEntry['level'],
    message: string,
    step?: RestoreStep,
  ): StoredLogEntry {
    return {
      at: this.deps.now(),
      level,
      message,
      ...(step ? { step } : {}),
    };
  }
}
