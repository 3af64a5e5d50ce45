export {
  DATABASES_KEY,
  DEFAULT_DATABASE_MODE,
  parseDatabaseDefinitions,
  addDatabaseEntry,
  updateDatabaseEntry,
  removeDatabaseEntry,
} from './valuesYaml';
export type { DatabaseDefinition } from './valuesYaml';
export {
  DATABASE_HELM_CHART,
  renderApplicationYaml,
  readApplicationChartVersion,
  updateApplicationChartVersion,
  validateChartVersion,
} from './applicationYaml';
export type { ApplicationYamlInput } from './applicationYaml';
export {
  APPLICATION_FILE,
  VALUES_FILE,
  createDatabaseEdit,
  databaseFolderPaths,
  deleteDatabaseEdit,
  normalizeBasePath,
  updateDatabaseEdit,
} from './databaseChanges';
export type {
  CreateDatabaseEditInput,
  DatabaseEdit,
  DatabaseLocation,
  DeleteDatabaseEditInput,
  UpdateDatabaseEditInput,
} from './databaseChanges';
export { findDefinedDatabases } from './definedDatabases';
export type { DefinedDatabase, DefinitionProblem } from './definedDatabases';
