import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  HealthResponse,
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

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('dbaas');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
