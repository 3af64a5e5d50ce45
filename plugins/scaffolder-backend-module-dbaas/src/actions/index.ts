export { createDbaasDatabaseCreateAction } from './createDatabase';
export { createDbaasDatabaseUpdateAction } from './updateDatabase';
export { createDbaasDatabaseDeleteAction } from './deleteDatabase';
export type { DbaasActionEnvironment } from './shared/DbaasActionEnvironment';
