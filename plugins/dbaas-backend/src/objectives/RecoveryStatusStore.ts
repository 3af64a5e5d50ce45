import {
  DatabaseRef,
  RecoveryTimeBasis,
  RestoreDrillState,
} from '@dbaas/plugin-dbaas-common';
import { Knex } from 'knex';

const TABLE = 'dbaas_recovery_status';
/** Rows per INSERT: well under PostgreSQL's 65,535 parameters. */
const CHUNK = 500;

/** What the objectives task last found about one database. */
export interface RecoveryStatusRecord extends DatabaseRef {
  databaseName: string;
  cluster: string;
  /** Newest moment the data can be restored to; unset: none yet. */
  recoveryPointAt?: Date;
  recoveryPointSource?: 'snapshot' | 'restorable-time';
  recoveryPointId?: string;
  snapshotSizeBytes?: number;
  /** Why the recovery point could not be read in the last evaluation. */
  recoveryPointError?: string;
  /** Without a recovery point, since when the data exists. */
  exposedSince: Date;
  rtoEstimateMs?: number;
  rtoBasis?: RecoveryTimeBasis;
  /** The newest drill failed and nothing restored since: why. */
  rtoFailure?: string;
  lastDrillState?: RestoreDrillState;
  lastDrillAt?: Date;
  evaluatedAt: Date;
  /** Since when the RPO is missed, as evaluated; unset while met. */
  rpoMissedSince?: Date;
  /** When the current miss was notified. */
  rpoNotifiedAt?: Date;
}

/**
 * One evaluation: the record without the miss bookkeeping, and whether the
 * RPO is missed (`unknown` leaves the bookkeeping as it was).
 */
export type RecoveryEvaluation = Omit<
  RecoveryStatusRecord,
  'rpoMissedSince' | 'rpoNotifiedAt'
> & { rpo: 'met' | 'missed' | 'unknown' };

function optionalDate(value: unknown): Date | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  return value instanceof Date ? value : new Date(value as string | number);
}

function optionalNumber(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}

function toRecord(row: any): RecoveryStatusRecord {
  return {
    namespace: row.namespace,
    name: row.name,
    databaseName: row.database_name,
    cluster: row.cluster,
    recoveryPointAt: optionalDate(row.recovery_point_at),
    recoveryPointSource: row.recovery_point_source ?? undefined,
    recoveryPointId: row.recovery_point_id ?? undefined,
    snapshotSizeBytes: optionalNumber(row.snapshot_size_bytes),
    recoveryPointError: row.recovery_point_error ?? undefined,
    exposedSince: optionalDate(row.exposed_since)!,
    rtoEstimateMs: optionalNumber(row.rto_estimate_ms),
    rtoBasis: row.rto_basis ? JSON.parse(row.rto_basis) : undefined,
    rtoFailure: row.rto_failure ?? undefined,
    lastDrillState: row.last_drill_state ?? undefined,
    lastDrillAt: optionalDate(row.last_drill_at),
    evaluatedAt: optionalDate(row.evaluated_at)!,
    rpoMissedSince: optionalDate(row.rpo_missed_since),
    rpoNotifiedAt: optionalDate(row.rpo_notified_at),
  };
}

function toRow(evaluation: RecoveryEvaluation) {
  return {
    namespace: evaluation.namespace,
    name: evaluation.name,
    database_name: evaluation.databaseName,
    cluster: evaluation.cluster,
    recovery_point_at: evaluation.recoveryPointAt ?? null,
    recovery_point_source: evaluation.recoveryPointSource ?? null,
    recovery_point_id: evaluation.recoveryPointId ?? null,
    snapshot_size_bytes: evaluation.snapshotSizeBytes ?? null,
    recovery_point_error: evaluation.recoveryPointError ?? null,
    exposed_since: evaluation.exposedSince,
    rto_estimate_ms: evaluation.rtoEstimateMs ?? null,
    rto_basis: evaluation.rtoBasis ? JSON.stringify(evaluation.rtoBasis) : null,
    rto_failure: evaluation.rtoFailure ?? null,
    last_drill_state: evaluation.lastDrillState ?? null,
    last_drill_at: evaluation.lastDrillAt ?? null,
    evaluated_at: evaluation.evaluatedAt,
    // Only read by the merge below: a new miss starts now.
    rpo_missed_since:
      evaluation.rpo === 'missed' ? evaluation.evaluatedAt : null,
  };
}

/**
 * The objectives task's findings per database (`dbaas_recovery_status`),
 * shared by every replica. A miss is notified once: {@link claimNotification}
 * is one conditional UPDATE, and a met objective clears the miss, so the
 * next miss is notified again.
 */
export class RecoveryStatusStore {
  constructor(private readonly knex: Knex) {}

  async list(): Promise<RecoveryStatusRecord[]> {
    return (await this.knex(TABLE).select()).map(toRecord);
  }

  /**
   * What a listing needs of each database (of the given namespaces, or
   * all): the columns its summary reads, timestamps as epoch milliseconds
   * (parsing 5,000 rows of timestamps into dates took ~100 ms), without the
   * RTO's basis. A listing of 5,000 databases reads all of them.
   */
  async listForSummaries(
    namespaces?: string[],
  ): Promise<RecoveryStatusRecord[]> {
    const ms = (column: string) =>
      this.knex.raw(`(extract(epoch from ??) * 1000)::float8 AS ??`, [
        column,
        column,
      ]);
    const query = this.knex(TABLE).select(
      'namespace',
      'name',
      'database_name',
      'cluster',
      'recovery_point_source',
      'recovery_point_error',
      'rto_estimate_ms',
      'rto_failure',
      'last_drill_state',
      ms('recovery_point_at'),
      ms('exposed_since'),
      ms('last_drill_at'),
      ms('evaluated_at'),
      ms('rpo_missed_since'),
      ms('rpo_notified_at'),
    );
    if (namespaces) {
      query.whereIn('namespace', namespaces);
    }
    return (await query).map(toRecord);
  }

  async get(ref: DatabaseRef): Promise<RecoveryStatusRecord | undefined> {
    const row = await this.knex(TABLE)
      .where({ namespace: ref.namespace, name: ref.name })
      .first();
    return row ? toRecord(row) : undefined;
  }

  /**
   * Writes evaluations. A miss keeps the moment it started (and whether it
   * was notified) while it lasts; `met` clears both; `unknown` leaves them.
   */
  async save(evaluations: RecoveryEvaluation[]): Promise<void> {
    const known = evaluations.filter(e => e.rpo !== 'unknown');
    const unknown = evaluations.filter(e => e.rpo === 'unknown');
    const merged = (rows: ReturnType<typeof toRow>[]) =>
      Object.keys(rows[0]).filter(
        c =>
          ![
            'namespace',
            'name',
            'rpo_missed_since',
            'rpo_notified_at',
          ].includes(c),
      );
    for (let i = 0; i < known.length; i += CHUNK) {
      const rows = known.slice(i, i + CHUNK).map(toRow);
      await this.knex(TABLE)
        .insert(rows)
        .onConflict(['namespace', 'name'])
        .merge({
          ...Object.fromEntries(
            merged(rows).map(c => [c, this.knex.raw('??', [`excluded.${c}`])]),
          ),
          rpo_missed_since: this.knex.raw(
            `CASE WHEN excluded.rpo_missed_since IS NULL THEN NULL
                  ELSE COALESCE(??, excluded.rpo_missed_since) END`,
            [`${TABLE}.rpo_missed_since`],
          ),
          rpo_notified_at: this.knex.raw(
            `CASE WHEN excluded.rpo_missed_since IS NULL THEN NULL ELSE ?? END`,
            [`${TABLE}.rpo_notified_at`],
          ),
        });
    }
    for (let i = 0; i < unknown.length; i += CHUNK) {
      const rows = unknown.slice(i, i + CHUNK).map(toRow);
      await this.knex(TABLE)
        .insert(rows)
        .onConflict(['namespace', 'name'])
        // The last known recovery point stays: only the error is new.
        .merge(
          merged(rows).filter(
            c =>
              ![
                'recovery_point_at',
                'recovery_point_source',
                'recovery_point_id',
                'snapshot_size_bytes',
              ].includes(c),
          ),
        );
    }
  }

  /**
   * Changes whenever the rows do: every evaluation writes all of them with
   * one new `evaluated_at`, and removes the others.
   */
  async version(): Promise<string> {
    const row = await this.knex(TABLE).first(
      this.knex.raw('count(*)::int AS n'),
      this.knex.raw(
        `coalesce((extract(epoch from max(evaluated_at)) * 1000)::float8, 0) AS at`,
      ),
    );
    return `${row?.n ?? 0}@${row?.at ?? 0}`;
  }

  /** Forgets databases that are no longer evaluated (gone, not ready). */
  async removeExcept(keep: DatabaseRef[]): Promise<number> {
    const keys = new Set(keep.map(r => `${r.namespace}/${r.name}`));
    const rows: Array<{ namespace: string; name: string }> = await this.knex(
      TABLE,
    ).select('namespace', 'name');
    const gone = rows.filter(r => !keys.has(`${r.namespace}/${r.name}`));
    for (const ref of gone) {
      await this.knex(TABLE)
        .where({ namespace: ref.namespace, name: ref.name })
        .delete();
    }
    return gone.length;
  }

  /**
   * Marks the current RPO miss of a database as notified; false when it is
   * not missed or was already notified (by this or another replica).
   */
  async claimNotification(ref: DatabaseRef, at: Date): Promise<boolean> {
    const count = await this.knex(TABLE)
      .where({ namespace: ref.namespace, name: ref.name })
      .whereNotNull('rpo_missed_since')
      .whereNull('rpo_notified_at')
      .update({ rpo_notified_at: at });
    return count === 1;
  }

  /** After a notification could not be sent: tried again next time. */
  async releaseNotification(ref: DatabaseRef, at: Date): Promise<void> {
    await this.knex(TABLE)
      .where({ namespace: ref.namespace, name: ref.name, rpo_notified_at: at })
      .update({ rpo_notified_at: null });
  }
}
