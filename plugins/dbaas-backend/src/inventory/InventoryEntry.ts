import type {
  DatabaseRef,
  RestoredCopyOrigin,
} from '@dbaas/plugin-dbaas-common';
import { DatabaseRecord, DatabaseStateUpdate } from './InventoryStore';
import { DatabaseChangeFacts } from './deriveDatabaseStatus';
import { InventoryCluster } from './InventoryCluster';

/** Everything one cycle knows about one (namespace, name). */
export interface InventoryEntry {
  ref: DatabaseRef;
  databaseName: string;
  defined?: { mode: 'standard' | 'protected'; folderPath: string };
  changes: DatabaseChangeFacts[];
  previous?: DatabaseRecord;
  cluster?: InventoryCluster;
  /** Set when its definition cannot be read this cycle: nothing changes. */
  frozen?: string;
  provisioningAttempted?: boolean;
  provisioningError?: string;
  /** Set when a `new-database` restore created it and it was not dropped. */
  restoredCopy?: RestoredCopyOrigin;
}

/** The key of a (namespace, name) pair in a cycle's entries. */
export function refKey(ref: DatabaseRef): string {
  return `${ref.namespace}/${ref.name}`;
}

/** The previous state of a database, unchanged but for its last error. */
export function keepPrevious(
  previous: DatabaseRecord,
  lastError: string,
): DatabaseStateUpdate {
  const {
    statusSince: _statusSince,
    updatedAt: _updatedAt,
    unknownSince: _unknownSince,
    unknownReason: _unknownReason,
    ...rest
  } = previous;
  return { ...rest, lastError };
}
