import { Knex } from 'knex';
import { DatabaseSnapshotEvidenceStore } from './evidence/DatabaseSnapshotEvidenceStore';
import { SnapshotEvidence } from './evidence/SnapshotEvidence';
import { NewSnapshot, SnapshotStore, StoredSnapshot } from './SnapshotStore';

const TABLE = 'dbaas_snapshots';

function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(value as string);
}

function optionalDate(value: unknown): Date | undefined {
  return value === null || value === undefined ? undefined : toDate(value);
}

function toSnapshot(row: any): StoredSnapshot {
  return {
    id: row.id,
    cluster: row.cluster,
    databaseName: row.database_name,
    namespace: row.namespace,
    name: row.name,
    type: row.type,
    status: row.status,
    createdAt: toDate(row.created_at),
    completedAt: optionalDate(row.completed_at),
    expiresAt: toDate(row.expires_at),
    heartbeatAt: toDate(row.heartbeat_at),
    deletedAt: optionalDate(row.deleted_at),
    sizeBytes:
      row.size_bytes === null || row.size_bytes === undefined
        ? undefined
        : Number(row.size_bytes),
    checksum: row.checksum ?? undefined,
    engineVersion: row.engine_version ?? undefined,
    error: row.error ?? undefined,
  };
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT';
}

/**
 * {@link SnapshotStore} in the plugin's database (PostgreSQL): the partial
 * unique index on `creating` rows admits one running snapshot per database.
 */
export class DatabaseSnapshotStore implements SnapshotStore {
  constructor(private readonly knex: Knex) {}

  /**
   * Records a snapshot as `creating`, or returns the snapshot of the same
   * database that is already being created.
   */
  async begin(
    snapshot: NewSnapshot,
  ): Promise<{ started: true } | { started: false; running: StoredSnapshot }> {
    try {
      await this.knex(TABLE).insert({
        id: snapshot.id,
        cluster: snapshot.cluster,
        database_name: snapshot.databaseName,
        namespace: snapshot.namespace,
        name: snapshot.name,
        type: snapshot.type,
        status: 'creating',
        created_at: snapshot.createdAt,
        expires_at: snapshot.expiresAt,
        heartbeat_at: snapshot.createdAt,
      });
      return { started: true };
    } catch (error) {
      if (!isUniqueViolation(error)) {
        throw error;
      }
      const running = await this.knex(TABLE)
        .where({
          cluster: snapshot.cluster,
          database_name: snapshot.databaseName,
          status: 'creating',
        })
        .first();
      if (!running) {
        // The other snapshot finished between our insert and this read.
        return this.begin(snapshot);
      }
      return { started: false, running: toSnapshot(running) };
    }
  }

  async heartbeat(id: string, at: Date): Promise<void> {
    await this.knex(TABLE)
      .where({ id, status: 'creating' })
      .update({ heartbeat_at: at });
  }

  /**
   * False when the row is no longer `creating` (taken over as stale). The
   * evidence is written in the same transaction: a snapshot is never
   * available without the evidence it was taken with.
   */
  async complete(
    id: string,
    result: {
      sizeBytes: number;
      checksum: string;
      engineVersion: string;
      completedAt: Date;
      evidence?: SnapshotEvidence;
    },
  ): Promise<boolean> {
    return this.knex.transaction(async trx => {
      const updated = await trx(TABLE)
        .where({ id, status: 'creating' })
        .update({
          status: 'available',
          size_bytes: result.sizeBytes,
          checksum: result.checksum,
          engine_version: result.engineVersion,
          completed_at: result.completedAt,
          heartbeat_at: result.completedAt,
        });
      if (updated === 0) {
        return false;
      }
      if (result.evidence) {
        const row = await trx(TABLE).where({ id }).first('created_at');
        await DatabaseSnapshotEvidenceStore.put(
          trx,
          id,
          result.evidence,
          new Date(row.created_at),
        );
      }
      return true;
    });
  }

  /** False when the row is no longer `creating`. */
  async fail(
    id: string,
    error: string,
    at: Date,
    engineVersion?: string,
  ): Promise<boolean> {
    const updated = await this.knex(TABLE)
      .where({ id, status: 'creating' })
      .update({
        status: 'failed',
        error,
        completed_at: at,
        ...(engineVersion ? { engine_version: engineVersion } : {}),
      });
    return updated > 0;
  }

  async get(id: string): Promise<StoredSnapshot | undefined> {
    const row = await this.knex(TABLE).where({ id }).first();
    return row ? toSnapshot(row) : undefined;
  }

  /** Every snapshot of a database that was not pruned, newest first. */
  async listForDatabase(
    cluster: string,
    databaseName: string,
  ): Promise<StoredSnapshot[]> {
    const rows = await this.knex(TABLE)
      .where({ cluster, database_name: databaseName })
      .whereNot({ status: 'deleted' })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    return rows.map(toSnapshot);
  }

  /** `creating` rows whose heartbeat is older than `before`. */
  async listStale(before: Date): Promise<StoredSnapshot[]> {
    const rows = await this.knex(TABLE)
      .where({ status: 'creating' })
      .where('heartbeat_at', '<', before);
    return rows.map(toSnapshot);
  }

  /** Available and failed snapshots whose retention ended by `now`. */
  async listExpired(now: Date): Promise<StoredSnapshot[]> {
    const rows = await this.knex(TABLE)
      .whereIn('status', ['available', 'failed'])
      .where('expires_at', '<=', now)
      .orderBy('created_at');
    return rows.map(toSnapshot);
  }

  /**
   * The newest available snapshot of each of the given databases of a
   * cluster, keyed by database name.
   */
  async newestAvailable(cluster: string): Promise<Map<string, StoredSnapshot>> {
    const rows = await this.knex(TABLE)
      .where({ cluster, status: 'available' })
      .orderBy([
        { column: 'database_name' },
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    const newest = new Map<string, StoredSnapshot>();
    for (const row of rows) {
      if (!newest.has(row.database_name)) {
        newest.set(row.database_name, toSnapshot(row));
      }
    }
    return newest;
  }

  /** Marks a pruned snapshot; its file is already gone. */
  async markDeleted(id: string, at: Date): Promise<void> {
    await this.knex(TABLE)
      .where({ id })
      .whereIn('status', ['available', 'failed'])
      .update({ status: 'deleted', deleted_at: at });
  }

  /** Forgets failed and pruned snapshots for good. */
  async purge(ids: string[]): Promise<void> {
    if (ids.length > 0) {
      await this.knex(TABLE).whereIn('id', ids).delete();
    }
  }

  /** Rows of pruned snapshots deleted before `before`. */
  async purgeDeletedBefore(before: Date): Promise<number> {
    return this.knex(TABLE)
      .where({ status: 'deleted' })
      .where('deleted_at', '<', before)
      .delete();
  }

  /**
   * Bytes of the snapshots of each database of a cluster that were
   * available at `at`: completed by then and not yet pruned.
   */
  async availableBytesByDatabase(
    cluster: string,
    at: Date,
  ): Promise<Map<string, number>> {
    const rows: Array<{ database_name: string; bytes: string | number }> =
      await this.knex(TABLE)
        .select('database_name')
        .sum({ bytes: 'size_bytes' })
        .where({ cluster })
        .whereIn('status', ['available', 'deleted'])
        .where('completed_at', '<=', at)
        .where(q => q.whereNull('deleted_at').orWhere('deleted_at', '>', at))
        .groupBy('database_name');
    return new Map(rows.map(r => [r.database_name, Number(r.bytes)]));
  }
}
