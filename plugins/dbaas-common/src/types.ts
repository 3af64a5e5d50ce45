import type { NamingProblem } from './naming';

/**
 * Lifecycle of a database, from the pull request that asks for it to its
 * removal from the cluster.
 *
 * - `requested`: pull request open
 * - `merged`: pull request merged, not yet picked up
 * - `provisioning`: being created in the cluster
 * - `ready`: database, roles and secrets exist
 * - `failed`: provisioning failed
 * - `abandoned`: pull request closed without merging
 * - `deletion-requested`: a pull request removing it is open
 * - `deleted`: gone from the repository and the cluster
 * - `orphaned`: protected, removed from the repository, still in the cluster
 * - `unmanaged`: in the cluster, never defined in the repository
 *
 * @public
 */
export const DATABASE_STATUSES = [
  'requested',
  'merged',
  'provisioning',
  'ready',
  'failed',
  'abandoned',
  'deletion-requested',
  'deleted',
  'orphaned',
  'unmanaged',
] as const;

/** @public */
export type DatabaseStatus = (typeof DATABASE_STATUSES)[number];

/** @public */
export function isDatabaseStatus(value: unknown): value is DatabaseStatus {
  return (DATABASE_STATUSES as readonly unknown[]).includes(value);
}

/**
 * `protected` databases have deletion protection: removing them from the
 * repository leaves the data in the cluster.
 *
 * @public
 */
export const DATABASE_MODES = ['standard', 'protected'] as const;

/** @public */
export type DatabaseMode = (typeof DATABASE_MODES)[number];

/** @public */
export function isDatabaseMode(value: unknown): value is DatabaseMode {
  return (DATABASE_MODES as readonly unknown[]).includes(value);
}

/**
 * States of a restore request. A `failed` restore has cleaned up after itself.
 *
 * @public
 */
export const RESTORE_STATES = [
  'pending-approval',
  'approved',
  'rejected',
  'cancelled',
  'expired',
  'running',
  'succeeded',
  'failed',
] as const;

/** @public */
export type RestoreState = (typeof RESTORE_STATES)[number];

/** @public */
export function isRestoreState(value: unknown): value is RestoreState {
  return (RESTORE_STATES as readonly unknown[]).includes(value);
}

/**
 * States from which a restore can still change data; while one is in such
 * a state no other restore of the same database may start.
 *
 * @public
 */
export const ACTIVE_RESTORE_STATES = [
  'pending-approval',
  'approved',
  'running',
] as const satisfies readonly RestoreState[];

/**
 * States a restore never leaves.
 *
 * @public
 */
export const TERMINAL_RESTORE_STATES = [
  'rejected',
  'cancelled',
  'expired',
  'succeeded',
  'failed',
] as const satisfies readonly RestoreState[];

/** @public */
export function isActiveRestoreState(state: RestoreState): boolean {
  return (ACTIVE_RESTORE_STATES as readonly RestoreState[]).includes(state);
}

/** @public */
export function isTerminalRestoreState(state: RestoreState): boolean {
  return (TERMINAL_RESTORE_STATES as readonly RestoreState[]).includes(state);
}

/**
 * Restore into a new database next to the original, or replace the
 * original's data (after a safety copy).
 *
 * @public
 */
export type RestoreTarget = 'new-database' | 'in-place';

/**
 * Body of `POST /validate`.
 *
 * @public
 */
export interface ValidateDatabaseRequest {
  namespace: string;
  name: string;
}

/**
 * Response of `POST /validate`: every naming and uniqueness problem.
 *
 * @public
 */
export interface ValidateDatabaseResponse {
  valid: boolean;
  problems: NamingProblem[];
}

/**
 * Response of `GET /health`.
 *
 * @public
 */
export interface HealthResponse {
  status: 'ok';
}

/**
 * A database in the inventory (`GET /databases`).
 *
 * @public
 */
export interface DatabaseSummary {
  namespace: string;
  name: string;
  /** `<namespace>-<name>`. */
  databaseName: string;
  mode: DatabaseMode;
  status: DatabaseStatus;
  /** ISO 8601 timestamp of the last status change. */
  statusSince: string;
  /** The cluster holding it, once known. */
  cluster?: string;
  entityRef: string;
}

/**
 * One entry of a database's status history.
 *
 * @public
 */
export interface DatabaseStatusChange {
  status: DatabaseStatus;
  /** ISO 8601 timestamp. */
  at: string;
  /** Why it changed, e.g. the pull request or the provisioning error. */
  reason?: string;
}

/**
 * A tenant as the API shows it: a Kubernetes namespace that may hold
 * databases, and the entity refs of its owners.
 *
 * @public
 */
export interface TenantSummary {
  namespace: string;
  owners: string[];
}

/**
 * Response of `GET /tenants`, sorted by namespace.
 *
 * @public
 */
export interface ListTenantsResponse {
  items: TenantSummary[];
}
