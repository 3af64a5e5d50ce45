import { RestoreState } from '@dbaas/plugin-dbaas-common';
import {
  NewRestoreRecord,
  RestoreProgress,
  RestoreRecord,
  StoredApproval,
  StoredDecision,
  StoredFinalization,
  StoredLogEntry,
} from './RestoreRecord';

/** What happened to an approval, decided under the request's row lock. */
export type ApprovalOutcome =
  | { kind: 'recorded'; record: RestoreRecord }
  | { kind: 'missing' }
  | {
      kind: 'not-pending' | 'expired' | 'changed' | 'duplicate';
      record: RestoreRecord;
    };

/** What happened to a finalize call, decided under the request's row lock. */
export type FinalizeOutcome =
  | { kind: 'finalized'; record: RestoreRecord }
  | { kind: 'missing' }
  | {
      /**
       * `expired`: the deadline had passed; the request was moved to its
       * cleanup on the way (as {@link RestoreStore.discardAwaiting} does).
       */
      kind: 'not-awaiting' | 'expired';
      record: RestoreRecord;
    };

/** The log line of a request that was not finalized before its deadline. */
export function finalizeExpiryLine(now: Date): StoredLogEntry {
  return {
    at: now,
    level: 'warning',
    message:
      'Not finalized before the deadline: dropping the restored copy; the live database stays as it is',
  };
}

/** A change to a request made by the workflow (or a decision). */
export interface RestorePatch extends Partial<RestoreProgress> {
  state?: RestoreState;
  rejection?: StoredDecision;
  cancellation?: StoredDecision;
  safetyCopy?: { databaseName: string; dropAfter: Date };
}

/**
 * Restore requests, approvals and step logs. The
 * state checks that must hold with several replicas (one active restore
 * per database, an approval only for a pending request, one replica
 * driving a workflow) are made by the store: {@link DatabaseRestoreStore}
 * keeps them in the plugin's database with partial unique indexes, row
 * locks and conditional updates.
 */
export interface RestoreStore {
  /**
   * Ids of the snapshots that active requests (waiting, approved or
   * running) name, so that pruning keeps them.
   */
  activeSnapshotIds(): Promise<Set<string>>;
  /** ConflictError naming the active request when the database already has one. */
  create(
    record: NewRestoreRecord,
    log: StoredLogEntry[],
  ): Promise<RestoreRecord>;
  get(id: string): Promise<RestoreRecord | undefined>;
  /** Newest first. */
  list(filter: {
    state?: RestoreState;
    namespace?: string;
    name?: string;
    limit?: number;
  }): Promise<RestoreRecord[]>;
  getLog(id: string): Promise<StoredLogEntry[]>;
  appendLog(id: string, entries: StoredLogEntry[]): Promise<void>;
  /**
   * Records an approval under the request's row lock, so that concurrent
   * approvals and decisions see each other: only a pending, unexpired
   * request whose fingerprint is still the approved one; each approver
   * once; `approved` once enough approvals share the request's fingerprint.
   * A request found past its expiry is marked `expired` on the way.
   */
  addApproval(
    id: string,
    approval: StoredApproval,
    now: Date,
    log: StoredLogEntry[],
  ): Promise<ApprovalOutcome>;
  /**
   * Moves a request from one of `from` to a new state (a rejection, a
   * cancellation); undefined when it was no longer in one of them.
   */
  transition(
    id: string,
    from: RestoreState[],
    patch: RestorePatch & { state: RestoreState },
    now: Date,
    log: StoredLogEntry[],
  ): Promise<RestoreRecord | undefined>;
  /**
   * Expires requests that did not start running before their expiry
   * (pending, or approved but never started); returns them.
   */
  expireDue(now: Date): Promise<RestoreRecord[]>;
  /**
   * Lets an `awaiting-finalize` request go on to its swap (`running`), under
   * its row lock, so that of two finalize calls at once exactly one wins.
   * Past the deadline it is moved to its cleanup instead (`expired`).
   */
  finalize(
    id: string,
    finalization: StoredFinalization,
    now: Date,
    log: StoredLogEntry[],
  ): Promise<FinalizeOutcome>;
  /**
   * Sends an `awaiting-finalize` request to its cleanup, which drops the
   * scratch copy and then ends it `cancelled` or `expired` (the latter only
   * once its deadline has passed); undefined when it was not awaiting (or
   * not yet due).
   */
  discardAwaiting(
    id: string,
    change: { outcome: 'cancelled' | 'expired'; cancellation?: StoredDecision },
    now: Date,
    log: StoredLogEntry[],
  ): Promise<RestoreRecord | undefined>;
  /** Ids of `awaiting-finalize` requests whose deadline has passed. */
  findFinalizeOverdue(now: Date): Promise<string[]>;
  /** Requests the workflow should drive now: approved or running, unleased, due. */
  findDue(now: Date, limit: number): Promise<string[]>;
  /**
   * Takes the lease of a request if nobody holds it: one conditional
   * UPDATE, so of several replicas trying at once exactly one wins.
   */
  claim(
    id: string,
    owner: string,
    now: Date,
    leaseMs: number,
  ): Promise<RestoreRecord | undefined>;
  /** False when the lease was lost (expired and taken by another replica). */
  renewLease(
    id: string,
    owner: string,
    now: Date,
    leaseMs: number,
  ): Promise<boolean>;
  /**
   * Persists the workflow's progress and log lines in one transaction, only
   * while `owner` holds the lease; false (nothing written) otherwise.
   */
  saveProgress(
    id: string,
    owner: string,
    patch: RestorePatch,
    now: Date,
    log: StoredLogEntry[],
  ): Promise<boolean>;
  releaseLease(id: string, owner: string): Promise<void>;
  /** Safety copies whose time is up and that are not dropped yet. */
  findSafetyCopiesDue(now: Date): Promise<RestoreRecord[]>;
  markSafetyCopyDropped(
    id: string,
    now: Date,
    log: StoredLogEntry[],
  ): Promise<void>;
}
