/**
 * PostgreSQL client tools (pg_dump, pg_restore), the one way snapshots and
 * restores find and run them: the oldest installed version that can work
 * with the server, a scrubbed environment, the password in a private
 * `.pgpass`.
 */
export { PgToolLocator, parseToolVersion, serverMajor } from './PgToolLocator';
export type {
  PgTool,
  PgToolLocatorOptions,
  PgToolName,
  PgToolServer,
} from './PgToolLocator';
export { runPgTool } from './runPgTool';
export type { PgToolRun } from './runPgTool';
export type { PgToolTarget } from './libpqEnvironment';
export { INHERITED_VARIABLES } from './toolEnvironment';
export { queryServerVersion, readServerVersion } from './serverVersion';
export type { ServerVersion } from './serverVersion';
