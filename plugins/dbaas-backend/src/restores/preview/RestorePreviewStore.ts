/** A column as the catalog names it, with its type as `format_type` writes it. */
export interface CatalogColumn {
  name: string;
  type: string;
}

/** One table of a database: its columns, and its exact row count. */
export interface CatalogTable {
  schema: string;
  name: string;
  columns: CatalogColumn[];
  /** Partitioned: no rows of its own (its partitions are tables here too). */
  partitioned?: boolean;
  /** Exact rows; absent when partitioned or not counted. */
  rows?: number;
  /** Why it could not be counted (a lock held too long, dropped meanwhile). */
  error?: string;
}

/** What a restore's preview holds between the step and the API. */
export interface StoredPreview {
  requestId: string;
  /** The restored copy counted for the snapshot side. */
  scratchDatabase: string;
  snapshotTables: CatalogTable[];
  snapshotCountedAt: Date;
  /** The live database as last counted. */
  liveTables?: CatalogTable[];
  liveCountedAt?: Date;
  /** Why the latest count of the live database failed (the last good one stays). */
  liveError?: string;
}

/**
 * The previews of in-place restores: the restored copy's tables (counted
 * once by the `preview` step) and the live database's (counted again when
 * someone looks while the restore awaits its finalize).
 */
export interface RestorePreviewStore {
  get(requestId: string): Promise<StoredPreview | undefined>;
  /** Writes the snapshot side; a preview of another scratch copy is replaced. */
  saveSnapshotSide(
    requestId: string,
    side: { scratchDatabase: string; tables: CatalogTable[]; countedAt: Date },
  ): Promise<void>;
  /** A new count of the live database, or why it failed (keeping the last one). */
  saveLiveSide(
    requestId: string,
    side: { tables: CatalogTable[]; countedAt: Date } | { error: string },
  ): Promise<void>;
}
