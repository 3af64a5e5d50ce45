import { SnapshotEvidence, TableEvidence } from './SnapshotEvidence';
import { tableLabel } from './measureTables';

/** How a restored copy differs from the snapshot's evidence. */
export interface EvidenceComparison {
  /** One line per differing table, named; empty when it matches exactly. */
  problems: string[];
  /** The differing tables, `schema.name`. */
  tables: string[];
  /** Whether content hashes were compared (both sides have them). */
  fingerprints: boolean;
}

/**
 * Compares a restored database's measurements with the snapshot's
 * evidence, exactly: the same tables, the same rows, and (when both have
 * them) the same content hashes.
 */
export function compareEvidence(
  expected: SnapshotEvidence,
  actual: SnapshotEvidence,
): EvidenceComparison {
  const fingerprints =
    expected.fingerprint !== undefined &&
    expected.fingerprint === actual.fingerprint;
  const restored = new Map<string, TableEvidence>(
    actual.tables.map(t => [tableLabel(t), t]),
  );
  const problems: string[] = [];
  const tables: string[] = [];
  const differs = (label: string, problem: string) => {
    tables.push(label);
    problems.push(`${label}: ${problem}`);
  };
  for (const table of expected.tables) {
    const label = tableLabel(table);
    const copy = restored.get(label);
    restored.delete(label);
    if (!copy) {
      differs(label, `${table.rows} rows at the snapshot, missing restored`);
    } else if (copy.rows !== table.rows) {
      differs(
        label,
        `${table.rows} rows at the snapshot, ${copy.rows} restored`,
      );
    } else if (fingerprints && copy.fingerprint !== table.fingerprint) {
      differs(
        label,
        `${table.rows} rows as at the snapshot, but their content differs (content hash ${table.fingerprint} at the snapshot, ${copy.fingerprint} restored)`,
      );
    }
  }
  for (const [label, copy] of restored) {
    differs(label, `not in the snapshot, restored with ${copy.rows} rows`);
  }
  return { problems, tables, fingerprints };
}
