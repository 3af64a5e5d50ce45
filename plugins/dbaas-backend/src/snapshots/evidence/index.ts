/**
 * Evidence taken with a logical snapshot (per table: exact rows and a
 * content hash, in the dump's own MVCC snapshot), its store, and how a
 * restored copy is measured and compared with it.
 */
export { describeEvidence, FINGERPRINT_ALGORITHM } from './SnapshotEvidence';
export type {
  SnapshotEvidence,
  SnapshotEvidenceStore,
  TableEvidence,
} from './SnapshotEvidence';
export { DatabaseSnapshotEvidenceStore } from './DatabaseSnapshotEvidenceStore';
export {
  beginEvidenceTransaction,
  canFingerprint,
  listEvidenceTables,
  measureDatabase,
  measureTable,
  measureTables,
  tableLabel,
} from './measureTables';
export type { EvidenceTable } from './measureTables';
export { compareEvidence } from './compareEvidence';
export type { EvidenceComparison } from './compareEvidence';
