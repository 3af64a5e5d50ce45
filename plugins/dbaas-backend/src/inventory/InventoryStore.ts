import {
  DatabaseMode,
  DatabasePullRequest,
  DatabaseRef,
  DatabaseStatus,
  DatabaseStatusChange,
} from '@dbaas/plugin-dbaas-common';

/**
 * One database as the inventory knows it.
 */
export interface DatabaseRecord {
  namespace: string;
  name: string;
  /** `<namespace>-<name>` */
  databaseName: string;
  mode: DatabaseMode;
  status: DatabaseStatus;
  statusSince: Date;
  statusReason?: string;
  cluster?: string;
  /**
   * `<basePath>/<namespace>/<folder>` where it is defined on the base branch
   * (kept after its removal: where it was last defined).
   */
  folderPath?: string;
  /**
   * First time its definition was seen on the base branch. Never cleared:
   * a database removed from the repository is known to have been managed.
   */
  managedSince?: Date;
  /** The last provisioning or sync error of this database. */
  lastError?: string;
  /** Set while its cluster cannot be reached (the status is the last known). */
  unknownSince?: Date;
  unknownReason?: string;
  sizeBytes?: number;
  /** Newest first. */
  pullRequests: DatabasePullRequest[];
  updatedAt: Date;
}

/** The fields of a database that a listing shows. */
export type DatabaseSummaryRecord = Pick<
  DatabaseRecord,
  | 'namespace'
  | 'name'
  | 'databaseName'
  | 'mode'
  | 'status'
  | 'statusSince'
  | 'cluster'
  | 'unknownSince'
  | 'unknownReason'
>;

/**
 * What one sync decided about one database: its new state (the store
 * records a history row whenever `status` differs from the stored one).
 * The unknown flag is not part of it: {@link InventoryStore.markClusterUnknown}
 * and {@link InventoryStore.clearClusterUnknown} set and clear it per cluster.
 */
export interface DatabaseStateUpdate
  extends Omit<
    DatabaseRecord,
    'statusSince' | 'updatedAt' | 'unknownSince' | 'unknownReason'
  > {
  /** When the status changed, if it did; defaults to now. */
  at?: Date;
}

/** A status change as recorded, with the database it belongs to. */
export type RecordedStatusChange = DatabaseStatusChange & DatabaseRef;

/**
 * The plugin's inventory of databases and their status history.
 */
export interface InventoryStore {
  /** Sorted by namespace, then name. */
  listDatabases(filter?: {
    namespaces?: string[];
    statuses?: DatabaseStatus[];
  }): Promise<DatabaseRecord[]>;
  /**
   * Like {@link InventoryStore.listDatabases}, with only what a listing
   * shows: `GET /databases` reads thousands of rows, and skipping the
   * pull requests, errors and folders keeps it fast.
   */
  listDatabaseSummaries(filter?: {
    namespaces?: string[];
    statuses?: DatabaseStatus[];
  }): Promise<DatabaseSummaryRecord[]>;
  getDatabase(ref: DatabaseRef): Promise<DatabaseRecord | undefined>;
  /**
   * The databases that may exist (any status but `deleted` and
   * `abandoned`) whose `<namespace>-<name>` is `databaseName`: the one that
   * owns the name, for request checks (one index lookup).
   */
  listActiveByDatabaseName(databaseName: string): Promise<DatabaseRecord[]>;
  /** Newest first. */
  getHistory(ref: DatabaseRef, limit?: number): Promise<DatabaseStatusChange[]>;
  /**
   * Writes the outcome of a sync in one transaction: inserts new databases,
   * updates the changed ones (unchanged rows are not written) and records a
   * history row for every status change. Returns the status changes it
   * recorded (for notifications and audit).
   */
  applyUpdates(updates: DatabaseStateUpdate[]): Promise<RecordedStatusChange[]>;
  /**
   * Marks every database of a cluster as unknown since `at`, keeping its
   * status. A database already unknown keeps its `unknownSince` and gets the
   * new reason.
   */
  markClusterUnknown(cluster: string, at: Date, reason: string): Promise<void>;
  /** Clears the unknown flag of every database of a reachable cluster. */
  clearClusterUnknown(cluster: string): Promise<void>;
}
