export {
  DEFAULT_FAIL_AFTER_MINUTES,
  deriveDatabaseStatus,
  isOwnedBySuite,
} from './deriveDatabaseStatus';
export type {
  ClusterFacts,
  DatabaseChangeFacts,
  DatabaseStatusInput,
  DerivedStatus,
} from './deriveDatabaseStatus';
export { InventorySync, clusterForNamespace } from './InventorySync';
export type {
  ClusterSyncOutcome,
  InventoryCluster,
  InventorySyncOptions,
  InventorySyncResult,
} from './InventorySync';
export {
  INVENTORY_SYNC_TASK_ID,
  readInventorySyncSettings,
  scheduleInventorySync,
} from './scheduleInventorySync';
export type {
  InventorySyncSettings,
  InventorySyncTask,
  ScheduleInventorySyncOptions,
} from './scheduleInventorySync';
