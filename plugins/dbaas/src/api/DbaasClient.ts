import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
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
import type { DbaasApi } from './DbaasApi';
import type { ListTenantsOptions, TenantList } from './types';

/**
 * The default {@link DbaasApi}: resolves the backend with the discovery API
 * and sends requests through the fetch API, so they carry the user's token.
 *
 * @public
 */
export class DbaasClient implements DbaasApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async health(): Promise<HealthResponse> {
    return this.request<HealthResponse>('/health');
  }

  async validateDatabase(
    request: ValidateDatabaseRequest,
    options?: { signal?: AbortSignal },
  ): Promise<ValidateDatabaseResponse> {
    return this.request<ValidateDatabaseResponse>('/validate', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        namespace: request.namespace,
        name: request.name,
      }),
      signal: options?.signal,
    });
  }

  async listTenants(options?: ListTenantsOptions): Promise<TenantList> {
    // The backend treats any value of `owned` as true, so it is sent only
    // when asked for.
    const query = options?.owned ? '?owned=true' : '';
    return this.request<TenantList>(`/tenants${query}`, {
      signal: options?.signal,
    });
  }

  async listDatabases(options?: {
    namespace?: string;
    status?: DatabaseStatus;
    signal?: AbortSignal;
  }): Promise<ListDatabasesResponse> {
    const query = new URLSearchParams();
    if (options?.namespace) {
      query.set('namespace', options.namespace);
    }
    if (options?.status) {
      query.set('status', options.status);
    }
    const search = query.toString();
    return this.request<ListDatabasesResponse>(
      `/databases${search ? `?${search}` : ''}`,
      { signal: options?.signal },
    );
  }

  async getDatabase(
    ref: DatabaseRef,
    options?: { signal?: AbortSignal },
  ): Promise<DatabaseDetail> {
    return this.request<DatabaseDetail>(databasePath(ref), {
      signal: options?.signal,
    });
  }

  async getConnectionInfo(
    ref: DatabaseRef,
    options?: { signal?: AbortSignal },
  ): Promise<ConnectionInfo> {
    return this.request<ConnectionInfo>(`${databasePath(ref)}/connection`, {
      signal: options?.signal,
    });
  }

  async getDatabaseMetrics(
    ref: DatabaseRef,
    options?: { from?: Date; to?: Date; signal?: AbortSignal },
  ): Promise<DatabaseMetricsResponse> {
    const query = new URLSearchParams();
    if (options?.from) {
      query.set('from', options.from.toISOString());
    }
    if (options?.to) {
      query.set('to', options.to.toISOString());
    }
    const search = query.toString();
    return this.request<DatabaseMetricsResponse>(
      `${databasePath(ref)}/metrics${search ? `?${search}` : ''}`,
      { signal: options?.signal },
    );
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('dbaas');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

function databasePath(ref: DatabaseRef): string {
  return `/databases/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(
    ref.name,
  )}`;
}
