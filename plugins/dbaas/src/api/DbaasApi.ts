import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  AccessGrant,
  AccessGrantState,
  ActivatedAccessGrant,
  CreateAccessGrantRequest,
  DatabaseAccessGrants,
  BillingMonthResponse,
  CreateRestoreRequest,
  DatabaseSnapshot,
  DatabaseSnapshotsResponse,
  FinalizeRestoreRequest,
  ListRestoresResponse,
  RestorePreview,
  RestoreRequest,
  RestoredCopy,
  RestoreState,
  TenantBillingResponse,
  ConnectionInfo,
  DatabaseDetail,
  DatabaseMetricsResponse,
  DatabaseRecoveryResponse,
  DatabaseRef,
  DatabaseStatus,
  HealthResponse,
  ListDatabasesResponse,
  ValidateDatabaseRequest,
  ValidateDatabaseResponse,
} from '@dbaas/plugin-dbaas-common';
import type {
  CredentialRotation,
  CredentialRotationState,
  DatabaseCredentials,
  RoleAccess,
} from '@dbaas/plugin-dbaas-common';
import type { BillingCsvFormat, ListTenantsOptions, TenantList } from './types';

/**
 * Talks to the dbaas backend (`/api/dbaas`) from the browser.
 *
 * @public
 */
export interface DbaasApi {
  /** `GET /health`: resolves when the backend answers. */
  health(): Promise<HealthResponse>;

  /**
   * `POST /validate`: every naming and uniqueness problem of a
   * (namespace, name) pair. Problems are data, not errors: only transport
   * failures and rejected requests throw.
   */
  validateDatabase(
    request: ValidateDatabaseRequest,
    options?: { signal?: AbortSignal },
  ): Promise<ValidateDatabaseResponse>;

  /**
   * `GET /tenants`: the tenants and their owners, sorted by namespace. With
   * `owned: true`, only the tenants the signed-in user's groups own.
   */
  listTenants(options?: ListTenantsOptions): Promise<TenantList>;

  /** `GET /databases`: the inventory the signed-in user may read. */
  listDatabases(options?: {
    namespace?: string;
    status?: DatabaseStatus;
    signal?: AbortSignal;
  }): Promise<ListDatabasesResponse>;

  /** `GET /databases/:namespace/:name`: one database with its history. */
  getDatabase(
    ref: DatabaseRef,
    options?: { signal?: AbortSignal },
  ): Promise<DatabaseDetail>;

  /** `GET /databases/:namespace/:name/connection`: never a password. */
  getConnectionInfo(
    ref: DatabaseRef,
    options?: { signal?: AbortSignal },
  ): Promise<ConnectionInfo>;

  /**
   * `GET /databases/:namespace/:name/metrics`: the database's time series
   * between `from` (default 24 hours before `to`) and `to` (default now),
   * oldest point first, at the resolution the backend chose for the range.
   */
  getDatabaseMetrics(
    ref: DatabaseRef,
    options?: { from?: Date; to?: Date; signal?: AbortSignal },
  ): Promise<DatabaseMetricsResponse>;

  /**
   * `GET /databases/:namespace/:name/recovery`: the RPO and RTO objectives,
   * what was measured against them, and the newest restore drills.
   */
  getRecovery(
    ref: DatabaseRef,
    options?: { signal?: AbortSignal },
  ): Promise<DatabaseRecoveryResponse>;

  /** `GET /databases/:namespace/:name/snapshots`: newest first, with the restore window. */
  listSnapshots(
    ref: DatabaseRef,
    options?: { signal?: AbortSignal },
  ): Promise<DatabaseSnapshotsResponse>;

  /** `POST /databases/:namespace/:name/snapshots`: an on-demand snapshot. */
  createSnapshot(ref: DatabaseRef): Promise<DatabaseSnapshot>;

  /** `POST /databases/:namespace/:name/restores`: asks for a restore. */
  requestRestore(
    ref: DatabaseRef,
    request: CreateRestoreRequest,
  ): Promise<RestoreRequest>;

  /** `GET /restores`: the requests the signed-in user may see, newest first. */
  listRestores(options?: {
    status?: RestoreState;
    namespace?: string;
    name?: string;
    signal?: AbortSignal;
  }): Promise<ListRestoresResponse>;

  /** `GET /restores/:id`: one request with its step log. */
  getRestore(
    id: string,
    options?: { signal?: AbortSignal },
  ): Promise<RestoreRequest>;

  /**
   * `POST /restores/:id/approve`. Pass the `fingerprint` the approver saw:
   * the backend refuses the approval if the request changed since.
   */
  approveRestore(
    id: string,
    decision?: { comment?: string; fingerprint?: string },
  ): Promise<RestoreRequest>;

  /** `POST /restores/:id/reject`. */
  rejectRestore(id: string, reason: string): Promise<RestoreRequest>;

  /** `POST /restores/:id/cancel`. */
  cancelRestore(id: string): Promise<RestoreRequest>;

  /**
   * `GET /restores/:id/preview`: what an in-place swap changes, per table.
   * While the restore awaits its finalize, the live side is counted anew.
   */
  getRestorePreview(
    id: string,
    options?: { signal?: AbortSignal },
  ): Promise<RestorePreview>;

  /** `POST /restores/:id/finalize`: lets an awaiting in-place restore swap. */
  finalizeRestore(
    id: string,
    request?: FinalizeRestoreRequest,
  ): Promise<RestoreRequest>;

  /**
   * `GET /databases/:namespace/:name/access-grants`: the database's
   * personal access grants (open ones unless `state` is given) and what the
   * request form needs.
   */
  listDatabaseAccessGrants(
    ref: DatabaseRef,
    options?: { state?: AccessGrantState; signal?: AbortSignal },
  ): Promise<DatabaseAccessGrants>;

  /** `POST /databases/:namespace/:name/access-grants`: asks for personal access. */
  requestAccess(
    ref: DatabaseRef,
    request: CreateAccessGrantRequest,
  ): Promise<AccessGrant>;

  /** `GET /access-grants`: the grants the signed-in user may see, newest first. */
  listAccessGrants(options?: {
    state?: AccessGrantState;
    namespace?: string;
    name?: string;
    signal?: AbortSignal;
  }): Promise<{ items: AccessGrant[] }>;

  /** `POST /access-grants/:id/approve`. */
  approveAccessGrant(id: string, comment?: string): Promise<AccessGrant>;

  /** `POST /access-grants/:id/reject`. */
  rejectAccessGrant(id: string, reason: string): Promise<AccessGrant>;

  /**
   * `POST /access-grants/:id/activate`: the only answer that holds the
   * personal password; it cannot be fetched again.
   */
  activateAccessGrant(id: string): Promise<ActivatedAccessGrant>;

  /** `POST /access-grants/:id/revoke`: ends the access now. */
  revokeAccessGrant(id: string, reason?: string): Promise<AccessGrant>;

  /** `GET /restores/:id/copy`: the database a new-database restore created. */
  getRestoredCopy(
    id: string,
    options?: { signal?: AbortSignal },
  ): Promise<RestoredCopy>;

  /**
   * `POST /restores/:id/copy/keep`: the copy no longer expires; a pull
   * request adds it to the apps repository (the same one on every call).
   */
  keepRestoredCopy(id: string): Promise<RestoredCopy>;

  /**
   * `DELETE /restores/:id/copy`: drops the copy now, with its roles and
   * secrets; `confirm` is its database name, typed again.
   */
  deleteRestoredCopy(id: string, confirm: string): Promise<RestoredCopy>;

  /** `GET /billing?month=`: cost per tenant (default: the current month). */
  getBillingMonth(options?: {
    month?: string;
    signal?: AbortSignal;
  }): Promise<BillingMonthResponse>;

  /** `GET /billing/:namespace?month=`: one tenant per database and day. */
  getTenantBilling(
    namespace: string,
    options?: { month?: string; signal?: AbortSignal },
  ): Promise<TenantBillingResponse>;

  /**
   * The URL of `GET /billing/export.csv`. The backend wants the user's
   * token, which a plain link does not send: fetch the URL through the
   * fetch API (`fetchApiRef`), which adds it, and hand the file to the
   * browser from there. `format`: `dbaas` (default; one line per tenant,
   * database and day) or `focus` (FinOps FOCUS 1.3 columns).
   */
  getBillingCsvUrl(options?: {
    month?: string;
    namespace?: string;
    format?: BillingCsvFormat;
  }): Promise<string>;

  /**
   * `GET /databases/:namespace/:name/credentials`: age and rotations of
   * each role's credential (never a password).
   */
  getDatabaseCredentials(
    ref: DatabaseRef,
    options?: { signal?: AbortSignal },
  ): Promise<DatabaseCredentials>;

  /** `POST /databases/:namespace/:name/credentials/:role/rotate`. */
  rotateCredential(
    ref: DatabaseRef,
    role: RoleAccess,
    body?: { reason?: string },
  ): Promise<CredentialRotation>;

  /** `GET /credential-rotations?state=` (default `pending-approval`). */
  listCredentialRotations(options?: {
    state?: CredentialRotationState;
    signal?: AbortSignal;
  }): Promise<{ items: CredentialRotation[] }>;

  /** `POST /credential-rotations/:id/approve`. */
  approveCredentialRotation(
    id: string,
    comment?: string,
  ): Promise<CredentialRotation>;

  /** `POST /credential-rotations/:id/reject`. */
  rejectCredentialRotation(
    id: string,
    reason: string,
  ): Promise<CredentialRotation>;
}

/**
 * The {@link DbaasApi}, for `useApi(dbaasApiRef)`.
 *
 * @public
 */
export const dbaasApiRef = createApiRef<DbaasApi>().with({
  id: 'plugin.dbaas.api',
  pluginId: 'dbaas',
});
