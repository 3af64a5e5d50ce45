import { ConflictError } from '@backstage/errors';
import {
  ACTIVE_RESTORE_STATES,
  RestoreState,
} from '@dbaas/plugin-dbaas-common';
import { Knex } from 'knex';
import {
  NewRestoreRecord,
  RestoreRecord,
  StoredApproval,
  StoredDecision,
  StoredFinalization,
  StoredLogEntry,
} from './RestoreRecord';
import {
  APPROVALS,
  LOG,
  REQUESTS,
  logRow,
  newRow,
  progressColumns,
  toApproval,
  toLogEntry,
  toRecord,
} from './rows';
import {
  ApprovalOutcome,
  finalizeExpiryLine,
  FinalizeOutcome,
  RestorePatch,
  RestoreStore,
} from './RestoreStore';

const ACTIVE = ACTIVE_RESTORE_STATES as readonly string[];

/** {@link RestoreStore} in the plugin's database (PostgreSQL). */
export class DatabaseRestoreStore implements RestoreStore {
  constructor(private readonly knex: Knex) {}

  /**
   * Ids of the snapshots that active requests (waiting, approved or
   * running) name, so that pruning keeps them.
   */
  async activeSnapshotIds(): Promise<Set<string>> {
    const rows: Array<{ snapshot_id: string }> = await this.knex(REQUESTS)
      .distinct('snapshot_id')
      .whereIn('state', ACTIVE);
    return new Set(rows.map(row => row.snapshot_id));
  }

  /** ConflictError naming the active request when the database already has one. */
  async create(
    record: NewRestoreRecord,
    log: StoredLogEntry[],
  ): Promise<RestoreRecord> {
    try {
      await this.knex.transaction(async tx => {
        await tx(REQUESTS).insert(newRow(record));
        await insertLog(tx, record.id, log);
      });
    } catch (error) {
      if (!isUniqueViolation(error)) {
        throw error;
      }
      throw await this.activeConflict(record);
    }
    return (await this.get(record.id))!;
  }

  async get(id: string): Promise<RestoreRecord | undefined> {
    const row = await this.knex(REQUESTS).where({ id }).first();
    return row ? (await this.withApprovals(this.knex, [row]))[0] : undefined;
  }

  /** Newest first. */
  async list(filter: {
    state?: RestoreState;
    namespace?: string;
    name?: string;
    limit?: number;
  }): Promise<RestoreRecord[]> {
    const query = this.knex(REQUESTS)
      .orderBy('requested_at', 'desc')
      .orderBy('id')
      .limit(filter.limit ?? 500);
    if (filter.state) query.where('state', filter.state);
    if (filter.namespace) query.where('namespace', filter.namespace);
    if (filter.name) query.where('name', filter.name);
    return this.withApprovals(this.knex, await query);
  }

  async getLog(id: string): Promise<StoredLogEntry[]> {
    const rows = await this.knex(LOG).where({ request_id: id }).orderBy('id');
    return rows.map(toLogEntry);
  }

  async appendLog(id: string, entries: StoredLogEntry[]): Promise<void> {
    await insertLog(this.knex, id, entries);
  }

  /**
   * Records an approval under the request's row lock, so that concurrent
   * approvals and decisions see each other: only a pending, unexpired
   * request whose fingerprint is still the approved one; each approver
   * once; `approved` once enough approvals share the request's fingerprint.
   * A request found past its expiry is marked `expired` on the way.
   */
  async addApproval(
    id: string,
    approval: StoredApproval,
    now: Date,
    log: StoredLogEntry[],
  ): Promise<ApprovalOutcome> {
    return this.knex.transaction(async tx => {
      const row = await tx(REQUESTS).where({ id }).forUpdate().first();
      if (!row) {
        return { kind: 'missing' as const };
      }
      const [current] = await this.withApprovals(tx, [row]);
      if (current.state !== 'pending-approval') {
        return { kind: 'not-pending' as const, record: current };
      }
      if (current.expiresAt.getTime() <= now.getTime()) {
        await tx(REQUESTS)
          .where({ id })
          .update({ state: 'expired', updated_at: now, finished_at: now });
        return {
          kind: 'expired' as const,
          record: { ...current, state: 'expired' as const },
        };
      }
      if (current.fingerprint !== approval.fingerprint) {
        return { kind: 'changed' as const, record: current };
      }
      if (current.approvals.some(a => a.by === approval.by)) {
        return { kind: 'duplicate' as const, record: current };
      }
      await tx(APPROVALS).insert({
        request_id: id,
        approved_by: approval.by,
        approved_at: approval.at,
        comment: approval.comment ?? null,
        fingerprint: approval.fingerprint,
      });
      const valid = [...current.approvals, approval].filter(
        a => a.fingerprint === current.fingerprint,
      ).length;
      const state =
        valid >= current.approvalsRequired ? 'approved' : 'pending-approval';
      await tx(REQUESTS).where({ id }).update({ state, updated_at: now });
      await insertLog(tx, id, log);
      const [updated] = await this.withApprovals(tx, [
        await tx(REQUESTS).where({ id }).first(),
      ]);
      return { kind: 'recorded' as const, record: updated };
    });
  }

  /**
   * Moves a request from one of `from` to a new state (a rejection, a
   * cancellation); undefined when it was no longer in one of them.
   */
  async transition(
    id: string,
    from: RestoreState[],
    patch: RestorePatch & { state: RestoreState },
    now: Date,
    log: StoredLogEntry[],
  ): Promise<RestoreRecord | undefined> {
    const changed = await this.knex.transaction(async tx => {
      const count = await tx(REQUESTS)
        .where({ id })
        .whereIn('state', from)
        .update(patchColumns(patch, now));
      if (count === 1) {
        await insertLog(tx, id, log);
      }
      return count === 1;
    });
    return changed ? this.get(id) : undefined;
  }

  /**
   * Expires requests that did not start running before their expiry
   * (pending, or approved but never started); returns them.
   */
  async expireDue(now: Date): Promise<RestoreRecord[]> {
    const ids = (
      await this.knex(REQUESTS)
        .select('id')
        .whereIn('state', ['pending-approval', 'approved'])
        .whereNull('started_at')
        .where('expires_at', '<=', now)
    ).map(r => r.id as string);
    const expired: RestoreRecord[] = [];
    for (const id of ids) {
      const record = await this.transition(
        id,
        ['pending-approval', 'approved'],
        { state: 'expired', finishedAt: now },
        now,
        [
          {
            at: now,
            level: 'warning',
            message: 'Expired: not approved and started in time',
          },
        ],
      );
      if (record) expired.push(record);
    }
    return expired;
  }

  /**
   * Lets an `awaiting-finalize` request go on to its swap (`running`), under
   * its row lock, so that of two finalize calls at once exactly one wins.
   * Past the deadline it is moved to its cleanup instead (`expired`).
   */
  async finalize(
    id: string,
    finalization: StoredFinalization,
    now: Date,
    log: StoredLogEntry[],
  ): Promise<FinalizeOutcome> {
    const outcome = await this.knex.transaction(async tx => {
      const row = await tx(REQUESTS).where({ id }).forUpdate().first();
      if (!row) {
        return 'missing' as const;
      }
      if (row.state !== 'awaiting-finalize') {
        return 'not-awaiting' as const;
      }
      if (
        !row.finalize_deadline ||
        new Date(row.finalize_deadline).getTime() <= now.getTime()
      ) {
        await tx(REQUESTS)
          .where({ id })
          .update(discardColumns({ outcome: 'expired' }, now));
        await insertLog(tx, id, [finalizeExpiryLine(now)]);
        return 'expired' as const;
      }
      await tx(REQUESTS)
        .where({ id })
        .update({
          state: 'running',
          finalized_by: finalization.by,
          finalized_at: finalization.at,
          finalize_comment: finalization.comment ?? null,
          step_attempts: 0,
          next_attempt_at: null,
          lease_owner: null,
          lease_expires_at: null,
          updated_at: now,
        });
      await insertLog(tx, id, log);
      return 'finalized' as const;
    });
    if (outcome === 'missing') {
      return { kind: 'missing' };
    }
    return { kind: outcome, record: (await this.get(id))! };
  }

  /**
   * Sends an `awaiting-finalize` request to its cleanup, which drops the
   * scratch copy and then ends it `cancelled` or `expired` (the latter only
   * once its deadline has passed); undefined when it was not awaiting (or
   * not yet due).
   */
  async discardAwaiting(
    id: string,
    change: { outcome: 'cancelled' | 'expired'; cancellation?: StoredDecision },
    now: Date,
    log: StoredLogEntry[],
  ): Promise<RestoreRecord | undefined> {
    const changed = await this.knex.transaction(async tx => {
      const query = tx(REQUESTS)
        .where({ id, state: 'awaiting-finalize' })
        .update(discardColumns(change, now));
      if (change.outcome === 'expired') {
        query.where('finalize_deadline', '<=', now);
      }
      if ((await query) !== 1) {
        return false;
      }
      await insertLog(tx, id, log);
      return true;
    });
    return changed ? this.get(id) : undefined;
  }

  /** Ids of `awaiting-finalize` requests whose deadline has passed. */
  async findFinalizeOverdue(now: Date): Promise<string[]> {
    const rows = await this.knex(REQUESTS)
      .select('id')
      .where('state', 'awaiting-finalize')
      .where('finalize_deadline', '<=', now)
      .orderBy('finalize_deadline');
    return rows.map(r => r.id as string);
  }

  /** Requests the workflow should drive now: approved or running, unleased, due. */
  async findDue(now: Date, limit: number): Promise<string[]> {
    const rows = await this.knex(REQUESTS)
      .select('id')
      .whereIn('state', ['approved', 'running'])
      .where(q =>
        q.whereNull('lease_expires_at').orWhere('lease_expires_at', '<', now),
      )
      .where(q =>
        q.whereNull('next_attempt_at').orWhere('next_attempt_at', '<=', now),
      )
      .orderBy('requested_at')
      .limit(limit);
    return rows.map(r => r.id as string);
  }

  /**
   * Takes the lease of a request if nobody holds it: one conditional
   * UPDATE, so of several replicas trying at once exactly one wins.
   */
  async claim(
    id: string,
    owner: string,
    now: Date,
    leaseMs: number,
  ): Promise<RestoreRecord | undefined> {
    const count = await this.knex(REQUESTS)
      .where({ id })
      .whereIn('state', ['approved', 'running'])
      .where(q =>
        q.whereNull('lease_expires_at').orWhere('lease_expires_at', '<', now),
      )
      .update({
        lease_owner: owner,
        lease_expires_at: new Date(now.getTime() + leaseMs),
      });
    return count === 1 ? this.get(id) : undefined;
  }

  /** False when the lease was lost (expired and taken by another replica). */
  async renewLease(
    id: string,
    owner: string,
    now: Date,
    leaseMs: number,
  ): Promise<boolean> {
    const count = await this.knex(REQUESTS)
      .where({ id, lease_owner: owner })
      .update({ lease_expires_at: new Date(now.getTime() + leaseMs) });
    return count === 1;
  }

  /**
   * Persists the workflow's progress and log lines in one transaction, only
   * while `owner` holds the lease; false (nothing written) otherwise.
   */
  async saveProgress(
    id: string,
    owner: string,
    patch: RestorePatch,
    now: Date,
    log: StoredLogEntry[],
  ): Promise<boolean> {
    return this.knex.transaction(async tx => {
      const count = await tx(REQUESTS)
        .where({ id, lease_owner: owner })
        .update(patchColumns(patch, now));
      if (count === 1) {
        await insertLog(tx, id, log);
      }
      return count === 1;
    });
  }

  async releaseLease(id: string, owner: string): Promise<void> {
    await this.knex(REQUESTS)
      .where({ id, lease_owner: owner })
      .update({ lease_owner: null, lease_expires_at: null });
  }

  /** Safety copies whose time is up and that are not dropped yet. */
  async findSafetyCopiesDue(now: Date): Promise<RestoreRecord[]> {
    const rows = await this.knex(REQUESTS)
      .whereNotNull('safety_copy_name')
      .whereNull('safety_copy_dropped_at')
      .where('safety_copy_drop_after', '<=', now)
      .orderBy('safety_copy_drop_after');
    return this.withApprovals(this.knex, rows);
  }

  async markSafetyCopyDropped(
    id: string,
    now: Date,
    log: StoredLogEntry[],
  ): Promise<void> {
    await this.knex.transaction(async tx => {
      await tx(REQUESTS)
        .where({ id })
        .update({ safety_copy_dropped_at: now, updated_at: now });
      await insertLog(tx, id, log);
    });
  }

  private async withApprovals(
    db: Knex | Knex.Transaction,
    rows: any[],
  ): Promise<RestoreRecord[]> {
    if (rows.length === 0) {
      return [];
    }
    const approvals = await db(APPROVALS)
      .whereIn(
        'request_id',
        rows.map(r => r.id),
      )
      .orderBy('approved_at');
    return rows.map(row =>
      toRecord(
        row,
        approvals.filter(a => a.request_id === row.id).map(toApproval),
      ),
    );
  }

  private async activeConflict(record: NewRestoreRecord): Promise<Error> {
    const active = await this.knex(REQUESTS)
      .whereIn('state', ACTIVE)
      .where('cluster', record.cluster)
      .where(q =>
        q
          .where('database_name', record.databaseName)
          .orWhere(q2 =>
            q2
              .where('target', 'new-database')
              .where('target_database_name', record.targetDatabaseName),
          ),
      )
      .first();
    if (active?.database_name === record.databaseName) {
      return new ConflictError(
        `Restore ${active.id} of ${record.databaseName} is ${active.state}; one restore of a database at a time`,
      );
    }
    if (active) {
      return new ConflictError(
        `Restore ${active.id} (${active.state}) already restores into ${record.targetDatabaseName}`,
      );
    }
    // The other request finished between our insert and this lookup.
    return new ConflictError(
      `Another restore of ${record.databaseName} was active; try again`,
    );
  }
}

/**
 * An awaiting request sent to its cleanup: `running` so that the worker
 * claims it, phase `cleanup`, and the state it ends in afterwards. Any
 * lease left by a replica that died right after pausing is cleared.
 */
function discardColumns(
  change: { outcome: 'cancelled' | 'expired'; cancellation?: StoredDecision },
  now: Date,
): Record<string, unknown> {
  return {
    ...patchColumns(
      {
        state: 'running',
        phase: 'cleanup',
        cleanupOutcome: change.outcome,
        currentStep: 'cleanup',
        stepAttempts: 0,
        nextAttemptAt: undefined,
        cancellation: change.cancellation,
      },
      now,
    ),
    lease_owner: null,
    lease_expires_at: null,
  };
}

function patchColumns(patch: RestorePatch, now: Date): Record<string, unknown> {
  const columns: Record<string, unknown> = {
    ...progressColumns(patch),
    updated_at: now,
  };
  if (patch.state) columns.state = patch.state;
  if (patch.rejection) {
    columns.rejected_by = patch.rejection.by;
    columns.rejected_at = patch.rejection.at;
    columns.rejection_reason = patch.rejection.reason ?? null;
  }
  if (patch.cancellation) {
    columns.cancelled_by = patch.cancellation.by;
    columns.cancelled_at = patch.cancellation.at;
    columns.cancellation_reason = patch.cancellation.reason ?? null;
  }
  if (patch.safetyCopy) {
    columns.safety_copy_name = patch.safetyCopy.databaseName;
    columns.safety_copy_drop_after = patch.safetyCopy.dropAfter;
  }
  return columns;
}

async function insertLog(
  db: Knex | Knex.Transaction,
  id: string,
  entries: StoredLogEntry[],
): Promise<void> {
  if (entries.length > 0) {
    await db(LOG).insert(entries.map(entry => logRow(id, entry)));
  }
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT';
}
