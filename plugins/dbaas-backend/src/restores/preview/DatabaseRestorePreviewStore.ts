import { Knex } from 'knex';
import {
  CatalogTable,
  RestorePreviewStore,
  StoredPreview,
} from './RestorePreviewStore';

const PREVIEWS = 'dbaas_restore_previews';

/** {@link RestorePreviewStore} in the plugin's database. */
export class DatabaseRestorePreviewStore implements RestorePreviewStore {
  constructor(private readonly knex: Knex) {}

  async get(requestId: string): Promise<StoredPreview | undefined> {
    const row = await this.knex(PREVIEWS)
      .where({ request_id: requestId })
      .first();
    if (!row) {
      return undefined;
    }
    return {
      requestId,
      scratchDatabase: row.scratch_database,
      snapshotTables: JSON.parse(row.snapshot_tables) as CatalogTable[],
      snapshotCountedAt: new Date(row.snapshot_counted_at),
      liveTables: row.live_tables
        ? (JSON.parse(row.live_tables) as CatalogTable[])
        : undefined,
      liveCountedAt: row.live_counted_at
        ? new Date(row.live_counted_at)
        : undefined,
      liveError: row.live_error ?? undefined,
    };
  }

  async saveSnapshotSide(
    requestId: string,
    side: { scratchDatabase: string; tables: CatalogTable[]; countedAt: Date },
  ): Promise<void> {
    await this.knex(PREVIEWS)
      .insert({
        request_id: requestId,
        scratch_database: side.scratchDatabase,
        snapshot_tables: JSON.stringify(side.tables),
        snapshot_counted_at: side.countedAt,
        live_tables: null,
        live_counted_at: null,
        live_error: null,
      })
      .onConflict('request_id')
      .merge();
  }

  async saveLiveSide(
    requestId: string,
    side: { tables: CatalogTable[]; countedAt: Date } | { error: string },
  ): Promise<void> {
    await this.knex(PREVIEWS)
      .where({ request_id: requestId })
      .update(
        'error' in side
          ? { live_error: side.error }
          : {
              live_tables: JSON.stringify(side.tables),
              live_counted_at: side.countedAt,
              live_error: null,
            },
      );
  }
}
