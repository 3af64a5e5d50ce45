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
export { clusterForNamespace } from './InventoryCluster';
export type { InventoryCluster } from './InventoryCluster';
export { InventorySync } from './InventorySync';
export type {
  ClusterSyncOutcome,
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
