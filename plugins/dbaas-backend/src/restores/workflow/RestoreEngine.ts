import { RestoreStep, RestoreTarget } from '@dbaas/plugin-dbaas-common';
import { ClusterSettings } from '@dbaas/plugin-dbaas-node';

/** What a restore is about: fixed when the request is made. */
export interface RestoreJob {
  /** The restore request's id (unique; usable in temporary names). */
  id: string;
  namespace: string;
  name: string;
  /** `<namespace>-<name>`: the database restored from. */
  databaseName: string;
  mode: 'standard' | 'protected';
  cluster: ClusterSettings;
  snapshotId: string;
  target: RestoreTarget;
  /** The database that receives the data (`databaseName` for in-place). */
  targetDatabaseName: string;
}

/**
 * State the steps hand to each other, persisted (as JSON) after every
 * step, so a workflow resumes after the backend dies: e.g. the temporary
 * cluster's id, the dump file, the scratch database's name, the safety
 * copy's name. Only JSON values.
 */
export type RestoreWorkState = Record<string, unknown>;

export interface RestoreStepContext {
  job: RestoreJob;
  /** What earlier steps (and earlier attempts of this step) recorded. */
  state: RestoreWorkState;
  /** Adds a line to the request's step log (persisted at once). */
  log(level: 'info' | 'warning' | 'error', message: string): Promise<void>;
  /** Aborted when the executor loses its lease or shuts down. */
  signal: AbortSignal;
}

/**
 * The outcome of one attempt of one step. `wait` asks the executor to run
 * the same step again later (polling an asynchronous operation, such as an
 * Aurora cluster becoming available); `state` is merged into the persisted
 * state in both cases.
 */
export type RestoreStepOutcome =
  | { kind: 'done'; state?: RestoreWorkState }
  | { kind: 'wait'; retryAfterMs: number; state?: RestoreWorkState };

/**
 * The provider-specific part of a restore (self-hosted PostgreSQL, or
 * Aurora via a temporary cluster). Every step is idempotent: running a step
 * again after a crash part-way through it must end in the same place.
 */
export interface RestoreEngine {
  /** The steps for this job, in order (a subset of RESTORE_STEPS). */
  steps(job: RestoreJob): RestoreStep[];
  /** Runs one attempt of one step. Throws when the step failed for good. */
  runStep(
    step: RestoreStep,
    context: RestoreStepContext,
  ): Promise<RestoreStepOutcome>;
  /**
   * After a failure (or when a workflow is abandoned): removes whatever the
   * steps created (scratch database, temporary cluster, dump files) and,
   * if a swap had started, puts the original back. Idempotent; never
   * touches the original's data otherwise.
   */
  cleanup(context: RestoreStepContext): Promise<void>;
  /**
   * Drops an in-place restore's safety copy once it is due. Idempotent (an
   * already dropped copy is fine).
   */
  dropSafetyCopy(
    job: RestoreJob,
    safetyCopyDatabaseName: string,
  ): Promise<void>;
}
