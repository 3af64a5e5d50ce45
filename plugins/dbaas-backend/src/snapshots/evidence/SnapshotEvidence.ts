/**
 * The content hash this version computes, when the server can: the sum
 * over every row of `hashint8extended(hash_record_extended(row))` (columns
 * in name order, see measureTables). Named so that a later algorithm is
 * never compared with this one.
 */
export const FINGERPRINT_ALGORITHM = 'row-hash-sum-v1';

/** One table as it was in the snapshot. */
export interface TableEvidence {
  schema: string;
  name: string;
  /** Exact row count (`count(*)` of the table itself, not its children). */
  rows: number;
  /**
   * Order-independent content hash (`FINGERPRINT_ALGORITHM`, a decimal
   * number); absent when the evidence has none.
   */
  fingerprint?: string;
}

/**
 * What a snapshot held, measured in the same MVCC snapshot as its dump:
 * every ordinary table whose data pg_dump writes (partitions each on their
 * own, extension members left out), with its exact row count and, where
 * the server has `hash_record_extended` (PostgreSQL 14+), a content hash.
 */
export interface SnapshotEvidence {
  /** `FINGERPRINT_ALGORITHM` when each table has a fingerprint. */
  fingerprint?: typeof FINGERPRINT_ALGORITHM;
  /** Ordered by schema, then name. */
  tables: TableEvidence[];
}

/**
 * Reads the evidence recorded with a logical snapshot (the restore
 * workflow's verification, a restore preview's "rows at the snapshot").
 */
export interface SnapshotEvidenceStore {
  /**
   * The evidence of snapshot `snapshotId`; undefined for a snapshot taken
   * without it (before evidence was recorded, or an unknown id).
   */
  get(snapshotId: string): Promise<SnapshotEvidence | undefined>;
}

/** For logs: `3 tables, 1200 rows, with content hashes`. */
export function describeEvidence(evidence: SnapshotEvidence): string {
  const rows = evidence.tables.reduce((sum, t) => sum + t.rows, 0);
  return `${evidence.tables.length} tables, ${rows} rows, ${
    evidence.fingerprint ? 'with content hashes' : 'rows only'
  }`;
}
