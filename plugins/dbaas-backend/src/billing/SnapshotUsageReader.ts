/**
 * How much snapshot storage each database of a cluster holds, for the
 * snapshot part of the bill. Implemented by the snapshots capability;
 * billing only reads it.
 */
export interface SnapshotUsageReader {
  /**
   * Bytes of the snapshots kept at `at`, per database name
   * (`<namespace>-<name>`). A database missing from the map has none.
   */
  snapshotBytesByDatabase(
    cluster: string,
    at: Date,
  ): Promise<Map<string /* databaseName */, number>>;
}
