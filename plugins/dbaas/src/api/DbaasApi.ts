import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  ConnectionInfo,
  DatabaseDetail,
  DatabaseMetricsResponse,
  DatabaseRef,
  DatabaseStatus,
  HealthResponse,
  ListDatabasesResponse,
  ValidateDatabaseRequest,
  ValidateDatabaseResponse,
} from '@dbaas/plugin-dbaas-common';
import type { ListTenantsOptions, TenantList } from './types';

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
