import { DatabaseRef } from '@dbaas/plugin-dbaas-common';
import { Knex } from 'knex';

const COPIES = 'dbaas_restored_copies';
const REQUESTS = 'dbaas_restore_requests';

/** A restored copy as stored, with what its restore request says. */
export interface StoredRestoredCopy {
  restoreId: string;
  namespace: string;
  name: string;
  databaseName: string;
  cluster: string;
  createdAt: Date;
  expiresAt?: Date;
  expiryWarnedAt?: Date;
  keep?: {
    by: string;
    at: Date;
    branchName?: string;
    pullRequestNumber?: number;
    pullRequestUrl?: string;
    merged?: boolean;
  };
  droppingSince?: Date;
  dropReason?: 'expired' | 'deleted';
  droppedBy?: string;
  droppedAt?: Date;
  lastError?: string;
  /** The restore request's. */
  source: { namespace: string; name: string; databaseName: string };
  snapshotId: string;
  snapshotCreatedAt: Date;
  requestedBy: string;
}

type Row = Record<string, any>;

const date = (v: unknown): Date | undefined =>
  v === null || v === undefined ? undefined : new Date(v as string);

function toCopy(row: Row): StoredRestoredCopy {
  return {
    restoreId: row.restore_id,
    namespace: row.namespace,
    name: row.name,
    databaseName: row.database_name,
    cluster: row.cluster,
    createdAt: new Date(row.created_at),
    expiresAt: date(row.expires_at),
    expiryWarnedAt: date(row.expiry_warned_at),
    keep: row.keep_requested_at
      ? {
          by: row.keep_requested_by,
          at: new Date(row.keep_requested_at),
          branchName: row.keep_branch ?? undefined,
          pullRequestNumber: row.keep_pr_number ?? undefined,
          pullRequestUrl: row.keep_pr_url ?? undefined,
          merged: row.keep_merged ?? undefined,
        }
      : undefined,
    droppingSince: date(row.dropping_since),
    dropReason: row.drop_reason ?? undefined,
    droppedBy: row.dropped_by ?? undefined,
    droppedAt: date(row.dropped_at),
    lastError: row.last_error ?? undefined,
    source: {
      namespace: row.source_namespace,
      name: row.source_name,
      databaseName: row.source_database_name,
    },
    snapshotId: row.snapshot_id,
    snapshotCreatedAt: new Date(row.snapshot_created_at),
    requestedBy: row.requested_by,
  };
}

/**
 * The restored copies in the plugin's database. Every change of a copy's
 * fate is one conditional update, so that replicas racing on one copy
 * (two keeps, a keep and an expiry, two expiry passes) never both win.
 */
export class RestoredCopyStore {
  constructor(private readonly knex: Knex) {}

  private select() {
    return this.knex(`${COPIES} as c`)
      .join(`${REQUESTS} as r`, 'r.id', 'c.restore_id')
      .select(
        'c.*',
        'r.namespace as source_namespace',
        'r.name as source_name',
        'r.database_name as source_database_name',
        'r.snapshot_id',
        'r.snapshot_created_at',
        'r.requested_by',
      );
  }

  /**
   * Records the copies of `new-database` restores that succeeded and are
   * not recorded yet, expiring `expireAfterMs` after the restore ended
   * (never when undefined). An older live copy of the same database name
   * is gone (the restore created the name afresh): it is marked dropped.
   * Idempotent; safe on several replicas at once.
   */
  async recordNew(expireAfterMs: number | undefined, now: Date) {
    const rows: Row[] = await this.knex(`${REQUESTS} as r`)
      .leftJoin(`${COPIES} as c`, 'c.restore_id', 'r.id')
      .whereNull('c.restore_id')
      .where('r.target', 'new-database')
      .where('r.state', 'succeeded')
      .select('r.*')
      .orderBy('r.finished_at');
    let recorded = 0;
    for (const r of rows) {
      const prefix = `${r.namespace}-`;
      if (!String(r.target_database_name).startsWith(prefix)) {
        continue;
      }
      recorded += await this.recordOne(r, expireAfterMs, now);
    }
    return recorded;
  }

  private async recordOne(
    r: Row,
    expireAfterMs: number | undefined,
    now: Date,
  ): Promise<number> {
    const prefix = `${r.namespace}-`;
    const createdAt = new Date(r.finished_at ?? r.updated_at);
    return this.knex.transaction(async tx => {
      await tx(COPIES)
        .where({
          cluster: r.cluster,
          database_name: r.target_database_name,
        })
        .whereNull('dropped_at')
        .where('created_at', '<', createdAt)
        .update({
          dropped_at: createdAt,
          drop_reason: 'deleted',
          last_error: 'gone: a newer restore created this database',
          updated_at: now,
        });
      const inserted = await tx(COPIES)
        .insert({
          restore_id: r.id,
          namespace: r.namespace,
          name: String(r.target_database_name).slice(prefix.length),
          database_name: r.target_database_name,
          cluster: r.cluster,
          created_at: createdAt,
          expires_at:
            expireAfterMs === undefined
              ? null
              : new Date(createdAt.getTime() + expireAfterMs),
          updated_at: now,
        })
        .onConflict('restore_id')
        .ignore()
        .returning('restore_id');
      return inserted.length;
    });
  }

  async get(restoreId: string): Promise<StoredRestoredCopy | undefined> {
    const row = await this.select().where('c.restore_id', restoreId).first();
    return row ? toCopy(row) : undefined;
  }

  /** Copies not dropped, newest first; optionally of one database. */
  async listLive(ref?: DatabaseRef): Promise<StoredRestoredCopy[]> {
    const query = this.select()
      .whereNull('c.dropped_at')
      .orderBy('c.created_at', 'desc');
    if (ref) {
      query.where({ 'c.namespace': ref.namespace, 'c.name': ref.name });
    }
    return (await query).map(toCopy);
  }

  /**
   * Marks the copy as kept by `by`, unless it is dropped or being dropped.
   * Returns the copy as it is after the attempt, and whether this call was
   * the one that kept it.
   */
  async claimKeep(
    restoreId: string,
    by: string,
    now: Date,
    /** Why it is kept when nobody asked (recorded as its last error). */
    note?: string,
  ): Promise<{ claimed: boolean; copy?: StoredRestoredCopy }> {
    const updated = await this.knex(COPIES)
      .where('restore_id', restoreId)
      .whereNull('dropped_at')
      .whereNull('dropping_since')
      .whereNull('keep_requested_at')
      .update({
        keep_requested_by: by,
        keep_requested_at: now,
        last_error: note ?? null,
        updated_at: now,
      });
    return { claimed: updated > 0, copy: await this.get(restoreId) };
  }

  /** The pull request that adds a kept copy to the apps repository. */
  async recordKeepChange(
    restoreId: string,
    change: {
      branchName: string;
      number: number;
      url: string;
      merged: boolean;
    },
    now: Date,
  ): Promise<void> {
    await this.knex(COPIES).where('restore_id', restoreId).update({
      keep_branch: change.branchName,
      keep_pr_number: change.number,
      keep_pr_url: change.url,
      keep_merged: change.merged,
      last_error: null,
      updated_at: now,
    });
  }

  async recordError(restoreId: string, error: string, now: Date) {
    await this.knex(COPIES)
      .where('restore_id', restoreId)
      .update({ last_error: error, updated_at: now });
  }

  /**
   * Claims the drop of one copy: only a copy nobody kept, not dropped, and
   * not being dropped (or whose drop claim is older than `staleBefore`: the
   * replica that made it died). With `reason: 'expired'`, only a copy
   * whose `expiresAt` has passed.
   */
  async claimDrop(
    restoreId: string,
    options: {
      reason: 'expired' | 'deleted';
      by?: string;
      now: Date;
      staleBefore: Date;
    },
  ): Promise<boolean> {
    const query = this.knex(COPIES)
      .where('restore_id', restoreId)
      .whereNull('dropped_at')
      .whereNull('keep_requested_at')
      .where(q =>
        q
          .whereNull('dropping_since')
          .orWhere('dropping_since', '<', options.staleBefore),
      );
    if (options.reason === 'expired') {
      query.whereNotNull('expires_at').where('expires_at', '<=', options.now);
    }
    const updated = await query.update({
      dropping_since: options.now,
      drop_reason: options.reason,
      dropped_by: options.by ?? null,
      updated_at: options.now,
    });
    return updated > 0;
  }

  /** Copies whose drop is due or was left by a replica that died. */
  async listDueDrops(now: Date, staleBefore: Date, limit: number) {
    const rows: Row[] = await this.knex(COPIES)
      .whereNull('dropped_at')
      .whereNull('keep_requested_at')
      .where(q =>
        q
          .where(q2 =>
            q2
              .whereNull('dropping_since')
              .whereNotNull('expires_at')
              .where('expires_at', '<=', now),
          )
          .orWhere('dropping_since', '<', staleBefore),
      )
      .orderBy('expires_at')
      .limit(limit)
      .select('restore_id', 'drop_reason', 'dropped_by', 'dropping_since');
    return rows.map(r => ({
      restoreId: r.restore_id as string,
      /** A stale claim keeps its reason (a "delete now" stays one). */
      reason: (r.dropping_since ? r.drop_reason : 'expired') as
        | 'expired'
        | 'deleted',
      by: (r.dropped_by ?? undefined) as string | undefined,
    }));
  }

  async markDropped(restoreId: string, now: Date): Promise<void> {
    await this.knex(COPIES)
      .where('restore_id', restoreId)
      .update({ dropped_at: now, last_error: null, updated_at: now });
  }

  /** A drop failed: released, to be tried again; the error is kept. */
  async releaseDrop(restoreId: string, error: string, now: Date) {
    await this.knex(COPIES).where('restore_id', restoreId).update({
      dropping_since: null,
      drop_reason: null,
      dropped_by: null,
      last_error: error,
      updated_at: now,
    });
  }

  /**
   * Claims the expiry warnings due: copies expiring before `warnUntil`,
   * neither kept nor dropped, not warned yet. Each is returned to exactly
   * one caller.
   */
  async claimWarnings(
    warnUntil: Date,
    now: Date,
  ): Promise<StoredRestoredCopy[]> {
    const ids: Row[] = await this.knex(COPIES)
      .whereNull('expiry_warned_at')
      .whereNull('keep_requested_at')
      .whereNull('dropped_at')
      .whereNull('dropping_since')
      .whereNotNull('expires_at')
      .where('expires_at', '<=', warnUntil)
      .update({ expiry_warned_at: now, updated_at: now })
      .returning('restore_id');
    const copies: StoredRestoredCopy[] = [];
    for (const row of ids) {
      const copy = await this.get(row.restore_id);
      if (copy) {
        copies.push(copy);
      }
    }
    return copies;
  }
}
