import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  DatabaseMode,
  DatabasePullRequest,
  DatabaseRef,
  DatabaseStatus,
  DatabaseStatusChange,
} from '@dbaas/plugin-dbaas-common';
import { Knex } from 'knex';
import {
  DatabaseRecord,
  DatabaseStateUpdate,
  DatabaseSummaryRecord,
  InventoryStore,
  RecordedStatusChange,
} from './InventoryStore';

const DATABASES = 'dbaas_databases';
const HISTORY = 'dbaas_database_status_history';

/** Rows per statement when writing many databases at once. */
const CHUNK = 500;

/** Default number of history entries returned by {@link DatabaseInventoryStore.getHistory}. */
const DEFAULT_HISTORY_LIMIT = 100;

interface DatabaseRow {
  namespace: string;
  name: string;
  database_name: string;
  mode: string;
  status: string;
  status_since: Date | string;
  status_reason: string | null;
  cluster: string | null;
  folder_path: string | null;
  pull_requests: string;
  managed_since: Date | string | null;
  last_error: string | null;
  size_bytes: string | number | null;
  unknown_since: Date | string | null;
  unknown_reason: string | null;
  updated_at: Date | string;
}

interface HistoryRow {
  from_status: string | null;
  to_status: string;
  reason: string | null;
  changed_at: Date | string;
}

/** The columns a sync writes (everything but the unknown flag and created_at). */
type WritableRow = Omit<
  DatabaseRow,
  'unknown_since' | 'unknown_reason' | 'updated_at'
> & { updated_at: Date };

const WRITABLE_COLUMNS: Array<keyof WritableRow> = [
  'database_name',
  'mode',
  'status',
  'status_since',
  'status_reason',
  'cluster',
  'folder_path',
  'pull_requests',
  'managed_since',
  'last_error',
  'size_bytes',
  'updated_at',
];

function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

function optionalDate(value: Date | string | null): Date | undefined {
  return value === null ? undefined : toDate(value);
}

function optional<T>(value: T | null): T | undefined {
  return value === null ? undefined : value;
}

function parsePullRequests(json: string): DatabasePullRequest[] {
  try {
    const parsed = JSON.parse(json);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

/** The columns a listing reads (see {@link toSummaryRecord}). */
const SUMMARY_COLUMNS = [
  'namespace',
  'name',
  'database_name',
  'mode',
  'status',
  'status_since',
  'cluster',
  'unknown_since',
  'unknown_reason',
] as const;

type SummaryRow = Pick<DatabaseRow, (typeof SUMMARY_COLUMNS)[number]>;

function toSummaryRecord(row: SummaryRow): DatabaseSummaryRecord {
  return {
    namespace: row.namespace,
    name: row.name,
    databaseName: row.database_name,
    mode: row.mode as DatabaseMode,
    status: row.status as DatabaseStatus,
    statusSince: toDate(row.status_since),
    cluster: optional(row.cluster),
    unknownSince: optionalDate(row.unknown_since),
    unknownReason: optional(row.unknown_reason),
  };
}

function toRecord(row: DatabaseRow): DatabaseRecord {
  return {
    ...toSummaryRecord(row),
    statusReason: optional(row.status_reason),
    folderPath: optional(row.folder_path),
    managedSince: optionalDate(row.managed_since),
    lastError: optional(row.last_error),
    sizeBytes: row.size_bytes === null ? undefined : Number(row.size_bytes),
    pullRequests: parsePullRequests(row.pull_requests),
    updatedAt: toDate(row.updated_at),
  };
}

function key(ref: DatabaseRef): string {
  return `${ref.namespace}/${ref.name}`;
}

function sameTime(a: Date | undefined, b: Date | undefined): boolean {
  return (a?.getTime() ?? null) === (b?.getTime() ?? null);
}

/** Whether writing `update` over `record` changes anything. */
function differs(record: DatabaseRecord, update: DatabaseStateUpdate): boolean {
  return (
    record.databaseName !== update.databaseName ||
    record.mode !== update.mode ||
    record.status !== update.status ||
    (record.statusReason ?? null) !== (update.statusReason ?? null) ||
    (record.cluster ?? null) !== (update.cluster ?? null) ||
    (record.folderPath ?? null) !== (update.folderPath ?? null) ||
    !sameTime(record.managedSince, update.managedSince) ||
    (record.lastError ?? null) !== (update.lastError ?? null) ||
    (record.sizeBytes ?? null) !== (update.sizeBytes ?? null) ||
    JSON.stringify(record.pullRequests) !== JSON.stringify(update.pullRequests)
  );
}

/**
 * The inventory in the plugin's database (tables of the migrations in
 * `migrations/`, which the plugin applies at start-up).
 */
export class DatabaseInventoryStore implements InventoryStore {
  static async create(
    database: DatabaseService,
  ): Promise<DatabaseInventoryStore> {
    return new DatabaseInventoryStore(await database.getClient());
  }

  constructor(private readonly knex: Knex) {}

  async listDatabases(filter?: {
    namespaces?: string[];
    statuses?: DatabaseStatus[];
  }): Promise<DatabaseRecord[]> {
    const rows: DatabaseRow[] = await this.listQuery(filter).select('*');
    return rows.map(toRecord);
  }

  async listDatabaseSummaries(filter?: {
    namespaces?: string[];
    statuses?: DatabaseStatus[];
  }): Promise<DatabaseSummaryRecord[]> {
    const rows: SummaryRow[] = await this.listQuery(filter).select(
      SUMMARY_COLUMNS,
    );
    return rows.map(toSummaryRecord);
  }

  /** The databases table, filtered and sorted by namespace, then name. */
  private listQuery(filter?: {
    namespaces?: string[];
    statuses?: DatabaseStatus[];
  }) {
    const query = this.knex<DatabaseRow>(DATABASES).orderBy([
      { column: 'namespace', order: 'asc' },
      { column: 'name', order: 'asc' },
    ]);
    if (filter?.namespaces) {
      query.whereIn('namespace', filter.namespaces);
    }
    if (filter?.statuses) {
      query.whereIn('status', filter.statuses);
    }
    return query;
  }

  async getDatabase(ref: DatabaseRef): Promise<DatabaseRecord | undefined> {
    const row: DatabaseRow | undefined = await this.knex<DatabaseRow>(DATABASES)
      .where({ namespace: ref.namespace, name: ref.name })
      .first();
    return row ? toRecord(row) : undefined;
  }

  async listActiveByDatabaseName(
    databaseName: string,
  ): Promise<DatabaseRecord[]> {
    // The predicate of the partial unique index on database_name.
    const rows: DatabaseRow[] = await this.knex<DatabaseRow>(DATABASES)
      .where({ database_name: databaseName })
      .whereNotIn('status', ['deleted', 'abandoned'])
      .orderBy([{ column: 'namespace' }, { column: 'name' }]);
    return rows.map(toRecord);
  }

  async getHistory(
    ref: DatabaseRef,
    limit: number = DEFAULT_HISTORY_LIMIT,
  ): Promise<DatabaseStatusChange[]> {
    const rows: HistoryRow[] = await this.knex(HISTORY)
      .select('from_status', 'to_status', 'reason', 'changed_at')
      .where({ namespace: ref.namespace, name: ref.name })
      .orderBy([
        { column: 'changed_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(row => ({
      ...(row.from_status !== null && {
        from: row.from_status as DatabaseStatus,
      }),
      status: row.to_status as DatabaseStatus,
      at: toDate(row.changed_at).toISOString(),
      ...(row.reason !== null && { reason: row.reason }),
    }));
  }

  async applyUpdates(
    updates: DatabaseStateUpdate[],
  ): Promise<RecordedStatusChange[]> {
    if (updates.length === 0) {
      return [];
    }
    const now = new Date();
    return this.knex.transaction(async tx => {
      const existing = new Map<string, DatabaseRecord>();
      for (let i = 0; i < updates.length; i += CHUNK) {
        const pairs = updates
          .slice(i, i + CHUNK)
          .map(u => [u.namespace, u.name]);
        const rows: DatabaseRow[] = await tx<DatabaseRow>(DATABASES)
          .select('*')
          .whereIn(['namespace', 'name'], pairs)
          .forUpdate();
        for (const row of rows) {
          existing.set(key(row), toRecord(row));
        }
      }

      const writes: Array<WritableRow & DatabaseRef> = [];
      const history: Array<Record<string, unknown>> = [];
      const changes: RecordedStatusChange[] = [];
      for (const update of updates) {
        const previous = existing.get(key(update));
        if (previous && !differs(previous, update)) {
          continue;
        }
        const statusChanged = previous?.status !== update.status;
        const statusSince = statusChanged
          ? update.at ?? now
          : previous!.statusSince;
        writes.push({
          namespace: update.namespace,
          name: update.name,
          database_name: update.databaseName,
          mode: update.mode,
          status: update.status,
          status_since: statusSince,
          status_reason: update.statusReason ?? null,
          cluster: update.cluster ?? null,
          folder_path: update.folderPath ?? null,
          pull_requests: JSON.stringify(update.pullRequests),
          managed_since: update.managedSince ?? null,
          last_error: update.lastError ?? null,
          size_bytes: update.sizeBytes ?? null,
          updated_at: now,
        });
        if (statusChanged) {
          history.push({
            namespace: update.namespace,
            name: update.name,
            from_status: previous?.status ?? null,
            to_status: update.status,
            reason: update.statusReason ?? null,
            changed_at: statusSince,
          });
          changes.push({
            namespace: update.namespace,
            name: update.name,
            ...(previous && { from: previous.status }),
            status: update.status,
            at: statusSince.toISOString(),
            ...(update.statusReason !== undefined && {
              reason: update.statusReason,
            }),
          });
        }
      }

      for (let i = 0; i < writes.length; i += CHUNK) {
        await tx(DATABASES)
          .insert(writes.slice(i, i + CHUNK))
          .onConflict(['namespace', 'name'])
          .merge(WRITABLE_COLUMNS);
      }
      for (let i = 0; i < history.length; i += CHUNK) {
        await tx(HISTORY).insert(history.slice(i, i + CHUNK));
      }
      return changes;
    });
  }

  async markClusterUnknown(
    cluster: string,
    at: Date,
    reason: string,
  ): Promise<void> {
    await this.knex(DATABASES)
      .where({ cluster })
      .andWhere(q =>
        q.whereNull('unknown_since').orWhereNot('unknown_reason', reason),
      )
      .update({
        unknown_since: this.knex.raw('coalesce(unknown_since, ?)', [at]),
        unknown_reason: reason,
      });
  }

  async clearClusterUnknown(cluster: string): Promise<void> {
    await this.knex(DATABASES)
      .where({ cluster })
      .whereNotNull('unknown_since')
      .update({ unknown_since: null, unknown_reason: null });
  }
}
