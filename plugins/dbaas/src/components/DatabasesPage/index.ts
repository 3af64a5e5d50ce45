export { DatabasesPage, NfsDatabasesPage } from './DatabasesPage';
export { DatabaseInventory, REQUEST_DATABASE_PATH } from './DatabaseInventory';
export type { DatabaseInventoryProps } from './DatabaseInventory';
