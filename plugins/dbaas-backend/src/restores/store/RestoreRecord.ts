import {
  RestoreState,
  RestoreStep,
  RestoreTarget,
} from '@dbaas/plugin-dbaas-common';
import { RestoreWorkState } from '../workflow/RestoreEngine';

/** One approval as stored: bound to the fingerprint it was given for. */
export interface StoredApproval {
  by: string;
  at: Date;
  comment?: string;
  fingerprint: string;
}

export interface StoredDecision {
  by: string;
  at: Date;
  reason?: string;
}

/** A line of the step log as stored. */
export interface StoredLogEntry {
  at: Date;
  step?: RestoreStep;
  level: 'info' | 'warning' | 'error';
  message: string;
}

/** What the workflow persists between steps and across crashes. */
export interface RestoreProgress {
  /** The steps planned when the run started, in order. */
  steps?: RestoreStep[];
  currentStep?: RestoreStep;
  /** `cleanup` once a step has failed: only cleanup remains to be done. */
  phase?: 'steps' | 'cleanup';
  /** Attempts of the current step that started and never reported back. */
  stepAttempts: number;
  workState: RestoreWorkState;
  error?: string;
  nextAttemptAt?: Date;
  startedAt?: Date;
  finishedAt?: Date;
  /**
   * With phase `cleanup` after a cancel or an expiry (no step failed): the
   * state the request ends in once the cleanup has dropped the scratch copy.
   */
  cleanupOutcome?: 'expired' | 'cancelled';
  /** Set on entering `awaiting-finalize`: the scratch copy is dropped after. */
  finalizeDeadline?: Date;
}

/** The decision to swap an in-place restore's verified copy in. */
export interface StoredFinalization {
  by: string;
  at: Date;
  comment?: string;
}

/** A restore request as the store holds it. */
export interface RestoreRecord extends RestoreProgress {
  id: string;
  namespace: string;
  name: string;
  databaseName: string;
  cluster: string;
  mode: 'standard' | 'protected';
  snapshotId: string;
  snapshotCreatedAt: Date;
  target: RestoreTarget;
  targetDatabaseName: string;
  reason: string;
  state: RestoreState;
  requestedBy: string;
  requestedAt: Date;
  expiresAt: Date;
  updatedAt: Date;
  fingerprint: string;
  approvalsRequired: number;
  approvals: StoredApproval[];
  rejection?: StoredDecision;
  cancellation?: StoredDecision;
  /** In place: stop in `awaiting-finalize` after the preview. */
  finalizeRequired: boolean;
  /** How long `awaiting-finalize` may last (set with `finalizeRequired`). */
  finalizeTimeLimitMs?: number;
  finalization?: StoredFinalization;
  leaseOwner?: string;
  leaseExpiresAt?: Date;
  safetyCopy?: { databaseName: string; dropAfter: Date; droppedAt?: Date };
}

/** The fields a new request is created with. */
export type NewRestoreRecord = Pick<
  RestoreRecord,
  | 'id'
  | 'namespace'
  | 'name'
  | 'databaseName'
  | 'cluster'
  | 'mode'
  | 'snapshotId'
  | 'snapshotCreatedAt'
  | 'target'
  | 'targetDatabaseName'
  | 'reason'
  | 'requestedBy'
  | 'requestedAt'
  | 'expiresAt'
  | 'fingerprint'
  | 'approvalsRequired'
> &
  Partial<Pick<RestoreRecord, 'finalizeRequired' | 'finalizeTimeLimitMs'>>;
