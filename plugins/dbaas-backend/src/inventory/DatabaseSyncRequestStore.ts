import { Knex } from 'knex';
import {
  SyncCycleDecision,
  SyncCycleReason,
  SyncRequestCounts,
  SyncRequestSource,
  SyncRequestStore,
} from './SyncRequestStore';

const TABLE = 'dbaas_inventory_sync_requests';

interface RequestRow {
  requested: string | number;
  last_webhook_request: string | number;
  served: string | number;
  cycles: string | number;
  skipped: string | number;
  last_cycle_reason: string | null;
  ms_since_webhook_cycle: string | number | null;
  ms_since_last_request: string | number | null;
  now: Date;
}

/** Milliseconds since a column's time, computed with the database's clock. */
const msSince = (column: string) =>
  `(extract(epoch from (now() - ${column})) * 1000)`;

/** {@link SyncRequestStore} in the plugin's PostgreSQL database. */
export class DatabaseSyncRequestStore implements SyncRequestStore {
  constructor(private readonly knex: Knex) {}

  async ensureTask(taskId: string): Promise<void> {
    await this.knex(TABLE)
      .insert({ task_id: taskId })
      .onConflict('task_id')
      .ignore();
  }

  async addRequest(
    taskId: string,
    source: SyncRequestSource,
  ): Promise<{ coalesced: boolean }> {
    // One statement: the row lock orders it against a cycle's start. The
    // RETURNING sees the new counts; `requested - 1` is the count before.
    const rows: Array<{ requested: string; served: string }> = await this.knex(
      TABLE,
    )
      .where({ task_id: taskId })
      .update({
        requested: this.knex.raw('requested + 1'),
        last_requested_at: this.knex.fn.now(),
        ...(source === 'webhook'
          ? { last_webhook_request: this.knex.raw('requested + 1') }
          : {}),
      })
      .returning(['requested', 'served']);
    if (rows.length !== 1) {
      throw new Error(`No sync request row for task ${taskId}`);
    }
    return {
      coalesced: Number(rows[0].requested) - 1 > Number(rows[0].served),
    };
  }

  async pending(
    taskId: string,
  ): Promise<{ waiting: boolean; msSinceLastRequest?: number }> {
    const row = await this.read(this.knex, taskId);
    return {
      waiting: Number(row.requested) > Number(row.served),
      msSinceLastRequest: optionalNumber(row.ms_since_last_request),
    };
  }

  async beginCycle(
    taskId: string,
    options: { quietPeriodMs: number; followUp: boolean },
  ): Promise<SyncCycleDecision> {
    return this.knex.transaction(async tx => {
      const row = await this.read(tx, taskId, { forUpdate: true });
      const requested = Number(row.requested);
      const served = Number(row.served);
      if (requested <= served) {
        if (options.followUp) {
          return { run: false, reason: 'nothing-requested' };
        }
        const sinceWebhookCycle = optionalNumber(row.ms_since_webhook_cycle);
        if (
          sinceWebhookCycle !== undefined &&
          sinceWebhookCycle < options.quietPeriodMs
        ) {
          await tx(TABLE)
            .where({ task_id: taskId })
            .update({ skipped: tx.raw('skipped + 1') });
          return { run: false, reason: 'quiet-period' };
        }
      }
      let reason: SyncCycleReason = 'schedule';
      if (requested > served) {
        reason =
          Number(row.last_webhook_request) > served ? 'webhook' : 'refresh';
      }
      await tx(TABLE)
        .where({ task_id: taskId })
        .update({
          served: requested,
          cycles: tx.raw('cycles + 1'),
          last_cycle_at: row.now,
          last_cycle_reason: reason,
        });
      return {
        run: true,
        reason,
        previouslyServed: served,
        startedAt: new Date(row.now),
      };
    });
  }

  async webhookCycleCompleted(taskId: string, startedAt: Date): Promise<void> {
    // Never moves back: a slow cycle must not shorten a later one's period.
    await this.knex(TABLE)
      .where({ task_id: taskId })
      .update({
        webhook_cycle_at: this.knex.raw(
          'greatest(coalesce(webhook_cycle_at, ?), ?)',
          [startedAt, startedAt],
        ),
      });
  }

  async cycleFailed(taskId: string, previouslyServed: number): Promise<void> {
    await this.knex(TABLE)
      .where({ task_id: taskId })
      .update({
        served: this.knex.raw('least(served, ?)', [previouslyServed]),
      });
  }

  async counts(taskId: string): Promise<SyncRequestCounts> {
    const row = await this.read(this.knex, taskId);
    return {
      requested: Number(row.requested),
      served: Number(row.served),
      cycles: Number(row.cycles),
      skipped: Number(row.skipped),
      lastCycleReason: (row.last_cycle_reason ?? undefined) as
        | SyncCycleReason
        | undefined,
    };
  }

  private async read(
    db: Knex | Knex.Transaction,
    taskId: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<RequestRow> {
    const query = db(TABLE)
      .where({ task_id: taskId })
      .select(
        'requested',
        'last_webhook_request',
        'served',
        'cycles',
        'skipped',
        'last_cycle_reason',
        db.raw(`${msSince('webhook_cycle_at')} as ms_since_webhook_cycle`),
        db.raw(`${msSince('last_requested_at')} as ms_since_last_request`),
        db.raw('now() as now'),
      );
    const [row] = options.forUpdate ? await query.forUpdate() : await query;
    if (!row) {
      throw new Error(`No sync request row for task ${taskId}`);
    }
    return row;
  }
}

function optionalNumber(
  value: string | number | null | undefined,
): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}
