import { Knex } from 'knex';
import {
  FINGERPRINT_ALGORITHM,
  SnapshotEvidence,
  SnapshotEvidenceStore,
  TableEvidence,
} from './SnapshotEvidence';

const TABLE = 'dbaas_snapshot_evidence';

/**
 * {@link SnapshotEvidenceStore} in the plugin's database: one row per
 * snapshot (`dbaas_snapshot_evidence`), removed with its snapshot's row.
 */
export class DatabaseSnapshotEvidenceStore implements SnapshotEvidenceStore {
  constructor(private readonly knex: Knex) {}

  async get(snapshotId: string): Promise<SnapshotEvidence | undefined> {
    const row = await this.knex(TABLE)
      .where({ snapshot_id: snapshotId })
      .first();
    if (!row) {
      return undefined;
    }
    const tables: TableEvidence[] = (
      typeof row.tables === 'string' ? JSON.parse(row.tables) : row.tables
    ).map((t: TableEvidence) => ({
      schema: t.schema,
      name: t.name,
      rows: Number(t.rows),
      ...(t.fingerprint !== undefined ? { fingerprint: t.fingerprint } : {}),
    }));
    return {
      ...(row.fingerprint === FINGERPRINT_ALGORITHM
        ? { fingerprint: FINGERPRINT_ALGORITHM }
        : {}),
      tables,
    };
  }

  /**
   * Records a snapshot's evidence; `knex` may be the transaction that
   * completes the snapshot, so both land or neither.
   */
  static async put(
    knex: Knex,
    snapshotId: string,
    evidence: SnapshotEvidence,
    takenAt: Date,
  ): Promise<void> {
    await knex(TABLE).insert({
      snapshot_id: snapshotId,
      fingerprint: evidence.fingerprint ?? null,
      table_count: evidence.tables.length,
      tables: JSON.stringify(evidence.tables),
      taken_at: takenAt,
    });
  }
}
