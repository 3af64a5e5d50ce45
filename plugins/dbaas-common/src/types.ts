import type { NamingProblem, RoleAccess } from './naming';
import type { DatabaseRecoverySummary } from './recoveryTypes';
import type { RestoredCopyOrigin } from './restoredCopyTypes';

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
 * - `restored`: a copy a `new-database` restore created, not (yet) defined
 *   in the repository: dropped when it expires unless kept
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
  'restored',
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
 * An in-place restore stops in `awaiting-finalize` once the snapshot is
 * restored and verified in a separate copy, until someone finalizes the swap
 * (or its time limit passes: `expired`).
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
  'awaiting-finalize',
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
  'awaiting-finalize',
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
  /**
   * The names the database would get, once the pair follows the naming
   * rules (taken or not); the secret manager paths from the backend's
   * `dbaas.secrets.pathTemplate`.
   */
  names?: RequestedDatabaseNames;
}

/**
 * The names a requested database gets, as `POST /validate` shows them.
 *
 * @public
 */
export interface RequestedDatabaseNames {
  /** `<namespace>-<name>`, the PostgreSQL database. */
  databaseName: string;
  /** `<namespace>-<name>-<access>`, the PostgreSQL roles. */
  roles: Record<RoleAccess, string>;
  /** Kubernetes Secrets in the tenant namespace. */
  kubernetesSecrets: Record<RoleAccess, string>;
  /** Secret manager paths. */
  secretManagerPaths: Record<RoleAccess, string>;
  /** The catalog entity it gets. */
  entityRef: string;
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
  /** Entity refs of the tenant's owners (catalog or `dbaas.tenants`). */
  owners: string[];
  /**
   * Set while the cluster cannot be reached: the status above is the last
   * one known, not a failure.
   */
  unknownSince?: string;
  /** Why the cluster could not be reached (one line, no credentials). */
  unknownReason?: string;
  /**
   * Its recovery objectives (RPO, RTO) and whether they are met; only for
   * `ready` databases on a known cluster.
   */
  recovery?: DatabaseRecoverySummary;
  /**
   * Set for a database a `new-database` restore created while it is not
   * defined in the apps repository (or its keep pull request is open).
   */
  restoredFrom?: RestoredCopyOrigin;
}

/**
 * One entry of a database's status history.
 *
 * @public
 */
export interface DatabaseStatusChange {
  /** The status before, absent for the first one. */
  from?: DatabaseStatus;
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

/**
 * A pull request of the suite about one database.
 *
 * @public
 */
export interface DatabasePullRequest {
  number: number;
  url: string;
  kind: 'create' | 'update' | 'delete';
  state: 'open' | 'closed' | 'merged';
  /** ISO 8601 */
  updatedAt: string;
}

/**
 * `GET /databases/:namespace/:name`: a database with where it is defined,
 * its pull requests and its history of status changes (newest first).
 *
 * @public
 */
export interface DatabaseDetail extends DatabaseSummary {
  /** `<basePath>/<namespace>/<folder>` in the apps repository, once defined. */
  folderPath?: string;
  environment?: string;
  /** The last provisioning or sync error, if the last attempt failed. */
  lastError?: string;
  sizeBytes?: number;
  pullRequests: DatabasePullRequest[];
  history: DatabaseStatusChange[];
}

/**
 * `GET /databases?namespace=&status=`.
 *
 * @public
 */
export interface ListDatabasesResponse {
  items: DatabaseSummary[];
}

/** @public */
export type SslMode = 'require' | 'verify-full';

/**
 * How to reach one role of a database. Never a password: apps read it from
 * the Kubernetes Secret, people from the secret manager.
 *
 * @public
 */
export interface RoleConnection {
  access: 'read' | 'write' | 'admin';
  host: string;
  port: number;
  database: string;
  username: string;
  kubernetesSecretName: string;
  /** Namespace of the Kubernetes Secret (the tenant). */
  kubernetesNamespace: string;
  secretManagerPath: string;
  sslmode: SslMode;
}

/**
 * `GET /databases/:namespace/:name/connection`.
 *
 * @public
 */
export interface ConnectionInfo {
  namespace: string;
  name: string;
  databaseName: string;
  roles: RoleConnection[];
  /** For people: how to reach the cluster from a laptop. */
  portForwardCommand: string;
  /** Host and port to use after the port-forward. */
  localHost: string;
  localPort: number;
  pgAdminUrl?: string;
  /**
   * Where the roles' secrets are kept (`dbaas.secrets.provider`), so that
   * people are shown the command that really prints a password: `local`,
   * a table of the portal's own database (the embedded default), or
   * `aws-secrets-manager` (mirrored into Kubernetes Secrets by an
   * ExternalSecret). Absent from older backends.
   */
  secretStore?: 'local' | 'aws-secrets-manager';
}

/**
 * Which series a metrics range is served from: single samples (short,
 * recent ranges), hourly or daily averages.
 *
 * @public
 */
export type DatabaseMetricResolution = 'raw' | 'hour' | 'day';

/**
 * One point of a database's metrics. In `hour` and `day` series the
 * figures are averages over the bucket's samples, except `deadlocks`, the
 * number of deadlocks in the bucket. A figure is absent when unknown (the
 * first sample of a database, or after a statistics reset).
 *
 * @public
 */
export interface DatabaseMetricPoint {
  /** Sample time, or start of the UTC hour/day. ISO 8601. */
  at: string;
  sizeBytes?: number;
  /** Client connections. */
  connections?: number;
  commitsPerSecond?: number;
  rollbacksPerSecond?: number;
  blocksReadPerSecond?: number;
  blocksHitPerSecond?: number;
  tuplesInsertedPerSecond?: number;
  tuplesUpdatedPerSecond?: number;
  tuplesDeletedPerSecond?: number;
  deadlocks?: number;
  tempBytesPerSecond?: number;
  /** Blocks hit / (hit + read), 0..1. */
  cacheHitRatio?: number;
  /** Average number of backends executing (PostgreSQL 14+); may exceed 1. */
  activeTimeShare?: number;
  /** Samples behind the point (1 for raw points). */
  samples: number;
}

/**
 * `GET /databases/:namespace/:name/metrics?from=&to=`.
 *
 * @public
 */
export interface DatabaseMetricsResponse {
  resolution: DatabaseMetricResolution;
  /** ISO 8601. */
  from: string;
  /** ISO 8601. */
  to: string;
  /** `max_connections` of the database's cluster at its latest sample. */
  maxConnections?: number;
  points: DatabaseMetricPoint[];
}
