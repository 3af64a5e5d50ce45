export { DatabaseTab, DATABASE_SEARCH_PARAM } from './DatabaseTab';
export { EntityDatabaseStatusCard } from './EntityDatabaseStatusCard';
export { isDbaasDatabaseAvailable } from './linkedDatabases';
