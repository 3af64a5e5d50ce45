import {
  DatabaseRef,
  RestoreDrill,
  RestoreDrillState,
} from '@dbaas/plugin-dbaas-common';
import { Knex } from 'knex';

const TABLE = 'dbaas_restore_drills';
/** Drills kept per database; older rows are pruned. */
export const DRILLS_KEPT = 20;

/** A line of a drill's log. */
export interface DrillLogEntry {
  at: string;
  level: 'info' | 'warning' | 'error';
  message: string;
}

/** The database a drill is for. */
export interface DrillSubject extends DatabaseRef {
  databaseName: string;
  cluster: string;
}

/** A drill as stored. */
export interface StoredDrill extends DrillSubject {
  id: string;
  state: RestoreDrillState;
  scratchDatabase?: string;
  snapshotId?: string;
  snapshotCreatedAt?: Date;
  snapshotSizeBytes?: number;
  owner?: string;
  startedAt: Date;
  heartbeatAt: Date;
  finishedAt?: Date;
  durationMs?: number;
  restoredSizeBytes?: number;
  verification?: string;
  error?: string;
  log: DrillLogEntry[];
}

/** What a new drill (or skipped attempt) is recorded with. */
export type NewDrill = Pick<
  StoredDrill,
  | 'id'
  | 'namespace'
  | 'name'
  | 'databaseName'
  | 'cluster'
  | 'state'
  | 'scratchDatabase'
  | 'snapshotId'
  | 'snapshotCreatedAt'
  | 'snapshotSizeBytes'
  | 'owner'
  | 'startedAt'
  | 'error'
>;

/** How a running drill ended. */
export interface DrillOutcome {
  state: 'passed' | 'failed';
  finishedAt: Date;
  durationMs?: number;
  restoredSizeBytes?: number;
  verification?: string;
  error?: string;
  log: DrillLogEntry[];
}

function optionalDate(value: unknown): Date | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  return value instanceof Date ? value : new Date(value as string);
}

function optionalNumber(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}

function toDrill(row: any): StoredDrill {
  return {
    id: row.id,
    namespace: row.namespace,
    name: row.name,
    databaseName: row.database_name,
    cluster: row.cluster,
    state: row.state,
    scratchDatabase: row.scratch_database ?? undefined,
    snapshotId: row.snapshot_id ?? undefined,
    snapshotCreatedAt: optionalDate(row.snapshot_created_at),
    snapshotSizeBytes: optionalNumber(row.snapshot_size_bytes),
    owner: row.owner ?? undefined,
    startedAt: optionalDate(row.started_at)!,
    heartbeatAt: optionalDate(row.heartbeat_at)!,
    finishedAt: optionalDate(row.finished_at),
    durationMs: optionalNumber(row.duration_ms),
    restoredSizeBytes: optionalNumber(row.restored_size_bytes),
    verification: row.verification ?? undefined,
    error: row.error ?? undefined,
    log: JSON.parse(row.log ?? '[]'),
  };
}

/** A stored drill as the API shows it. */
export function toApiDrill(drill: StoredDrill): RestoreDrill {
  return {
    id: drill.id,
    state: drill.state,
    ...(drill.snapshotId ? { snapshotId: drill.snapshotId } : {}),
    ...(drill.snapshotCreatedAt
      ? { snapshotCreatedAt: drill.snapshotCreatedAt.toISOString() }
      : {}),
    ...(drill.snapshotSizeBytes !== undefined
      ? { snapshotSizeBytes: drill.snapshotSizeBytes }
      : {}),
    startedAt: drill.startedAt.toISOString(),
    ...(drill.finishedAt ? { finishedAt: drill.finishedAt.toISOString() } : {}),
    ...(drill.durationMs !== undefined
      ? { durationSeconds: Math.round(drill.durationMs / 100) / 10 }
      : {}),
    ...(drill.restoredSizeBytes !== undefined
      ? { restoredSizeBytes: drill.restoredSizeBytes }
      : {}),
    ...(drill.verification ? { verification: drill.verification } : {}),
    ...(drill.error ? { error: drill.error } : {}),
  };
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | undefined)?.code === '23505';
}

/**
 * Restore drills in the plugin's database (`dbaas_restore_drills`). The
 * rotation and the claims that must hold across replicas are decided here:
 * {@link DrillStore.start} records a drill only if nobody started one of
 * the same database since the caller looked, under a transaction-scoped
 * advisory lock per database, and the partial unique index admits one
 * `running` drill per database.
 */
export class DrillStore {
  constructor(private readonly knex: Knex) {}

  /** When each database's newest drill (or skipped attempt) started. */
  async lastStarted(): Promise<Map<string, Date>> {
    const rows = await this.knex(TABLE)
      .select('namespace', 'name')
      .max({ at: 'started_at' })
      .groupBy('namespace', 'name');
    return new Map(
      rows.map((r: any) => [`${r.namespace}/${r.name}`, optionalDate(r.at)!]),
    );
  }

  /**
   * Records a drill (`running`) or a skipped attempt, unless another one of
   * the database started after `seenLastStarted` (what the caller saw when
   * it picked the database) or one is running. False when refused: another
   * replica drilled or is drilling the database.
   */
  async start(drill: NewDrill, seenLastStarted?: Date): Promise<boolean> {
    try {
      return await this.knex.transaction(async tx => {
        await tx.raw(`SELECT pg_advisory_xact_lock(hashtext(?))`, [
          `dbaas-drill:${drill.namespace}/${drill.name}`,
        ]);
        const newer = await tx(TABLE)
          .where({ namespace: drill.namespace, name: drill.name })
          .andWhere(q => {
            q.where('state', 'running');
            if (seenLastStarted) {
              q.orWhere('started_at', '>', seenLastStarted);
            } else {
              q.orWhereNotNull('started_at');
            }
          })
          .first('id');
        if (newer) {
          return false;
        }
        await tx(TABLE).insert({
          id: drill.id,
          namespace: drill.namespace,
          name: drill.name,
          database_name: drill.databaseName,
          cluster: drill.cluster,
          state: drill.state,
          scratch_database: drill.scratchDatabase ?? null,
          snapshot_id: drill.snapshotId ?? null,
          snapshot_created_at: drill.snapshotCreatedAt ?? null,
          snapshot_size_bytes: drill.snapshotSizeBytes ?? null,
          owner: drill.owner ?? null,
          started_at: drill.startedAt,
          heartbeat_at: drill.startedAt,
          finished_at: drill.state === 'running' ? null : drill.startedAt,
          error: drill.error ?? null,
        });
        return true;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        return false;
      }
      throw error;
    }
  }

  /** False when the drill is no longer this owner's running drill. */
  async heartbeat(
    id: string,
    owner: string,
    at: Date,
    log: DrillLogEntry[],
  ): Promise<boolean> {
    const count = await this.knex(TABLE)
      .where({ id, owner, state: 'running' })
      .update({ heartbeat_at: at, log: JSON.stringify(log) });
    return count === 1;
  }

  /** False when the drill was no longer running (failed as stale). */
  async finish(
    id: string,
    owner: string,
    outcome: DrillOutcome,
  ): Promise<boolean> {
    const count = await this.knex(TABLE)
      .where({ id, owner, state: 'running' })
      .update({
        state: outcome.state,
        finished_at: outcome.finishedAt,
        heartbeat_at: outcome.finishedAt,
        duration_ms: outcome.durationMs ?? null,
        restored_size_bytes: outcome.restoredSizeBytes ?? null,
        verification: outcome.verification ?? null,
        error: outcome.error ?? null,
        log: JSON.stringify(outcome.log),
      });
    return count === 1;
  }

  /** Running drills whose heartbeat is older than `before`. */
  async listStale(before: Date): Promise<StoredDrill[]> {
    return (
      await this.knex(TABLE)
        .where({ state: 'running' })
        .andWhere('heartbeat_at', '<', before)
    ).map(toDrill);
  }

  /**
   * Fails a stale drill, unless its heartbeat moved since it was read (its
   * replica is alive after all). True when this call failed it.
   */
  async failStale(drill: StoredDrill, error: string, at: Date) {
    const count = await this.knex(TABLE)
      .where({
        id: drill.id,
        state: 'running',
        heartbeat_at: drill.heartbeatAt,
      })
      .update({ state: 'failed', finished_at: at, error });
    return count === 1;
  }

  /** Scratch databases of running drills (stale ones included). */
  async runningScratchDatabases(): Promise<Set<string>> {
    const rows = await this.knex(TABLE)
      .where({ state: 'running' })
      .whereNotNull('scratch_database')
      .select('scratch_database');
    return new Set(rows.map((r: any) => r.scratch_database));
  }

  async get(id: string): Promise<StoredDrill | undefined> {
    const row = await this.knex(TABLE).where({ id }).first();
    return row ? toDrill(row) : undefined;
  }

  /** Newest first. */
  async listForDatabase(
    ref: DatabaseRef,
    limit: number,
  ): Promise<StoredDrill[]> {
    return (
      await this.knex(TABLE)
        .where({ namespace: ref.namespace, name: ref.name })
        .orderBy([
          { column: 'started_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(limit)
    ).map(toDrill);
  }

  /** Keeps the newest {@link DRILLS_KEPT} finished drills per database. */
  async prune(): Promise<number> {
    const { rowCount } = await this.knex.raw(
      `DELETE FROM ${TABLE} WHERE id IN (
         SELECT id FROM (
           SELECT id, row_number() OVER (
             PARTITION BY namespace, name ORDER BY started_at DESC, id DESC) AS n
           FROM ${TABLE} WHERE state <> 'running') ranked
         WHERE n > ?)`,
      [DRILLS_KEPT],
    );
    return rowCount ?? 0;
  }
}
