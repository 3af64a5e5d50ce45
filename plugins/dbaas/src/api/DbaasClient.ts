import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
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
import type { DbaasApi } from './DbaasApi';
import type { BillingCsvFormat, ListTenantsOptions, TenantList } from './types';

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

  async getRecovery(
    ref: DatabaseRef,
    options?: { signal?: AbortSignal },
  ): Promise<DatabaseRecoveryResponse> {
    return this.request<DatabaseRecoveryResponse>(
      `${databasePath(ref)}/recovery`,
      { signal: options?.signal },
    );
  }

  async listSnapshots(
    ref: DatabaseRef,
    options?: { signal?: AbortSignal },
  ): Promise<DatabaseSnapshotsResponse> {
    return this.request<DatabaseSnapshotsResponse>(
      `${databasePath(ref)}/snapshots`,
      { signal: options?.signal },
    );
  }

  async createSnapshot(ref: DatabaseRef): Promise<DatabaseSnapshot> {
    return this.request<DatabaseSnapshot>(`${databasePath(ref)}/snapshots`, {
      method: 'POST',
    });
  }

  async requestRestore(
    ref: DatabaseRef,
    request: CreateRestoreRequest,
  ): Promise<RestoreRequest> {
    return this.postJson<RestoreRequest>(
      `${databasePath(ref)}/restores`,
      request,
    );
  }

  async listRestores(options?: {
    status?: RestoreState;
    namespace?: string;
    name?: string;
    signal?: AbortSignal;
  }): Promise<ListRestoresResponse> {
    const search = queryString({
      status: options?.status,
      namespace: options?.namespace,
      name: options?.name,
    });
    return this.request<ListRestoresResponse>(`/restores${search}`, {
      signal: options?.signal,
    });
  }

  async getRestore(
    id: string,
    options?: { signal?: AbortSignal },
  ): Promise<RestoreRequest> {
    return this.request<RestoreRequest>(restorePath(id), {
      signal: options?.signal,
    });
  }

  async approveRestore(
    id: string,
    decision?: { comment?: string; fingerprint?: string },
  ): Promise<RestoreRequest> {
    return this.postJson<RestoreRequest>(
      `${restorePath(id)}/approve`,
      decision ?? {},
    );
  }

  async rejectRestore(id: string, reason: string): Promise<RestoreRequest> {
    return this.postJson<RestoreRequest>(`${restorePath(id)}/reject`, {
      reason,
    });
  }

  async cancelRestore(id: string): Promise<RestoreRequest> {
    return this.request<RestoreRequest>(`${restorePath(id)}/cancel`, {
      method: 'POST',
    });
  }

  async getRestorePreview(
    id: string,
    options?: { signal?: AbortSignal },
  ): Promise<RestorePreview> {
    return this.request<RestorePreview>(`${restorePath(id)}/preview`, {
      signal: options?.signal,
    });
  }

  async finalizeRestore(
    id: string,
    request?: FinalizeRestoreRequest,
  ): Promise<RestoreRequest> {
    return this.postJson<RestoreRequest>(
      `${restorePath(id)}/finalize`,
      request ?? {},
    );
  }

  async getRestoredCopy(
    id: string,
    options?: { signal?: AbortSignal },
  ): Promise<RestoredCopy> {
    return this.request<RestoredCopy>(`${restorePath(id)}/copy`, {
      signal: options?.signal,
    });
  }

  async keepRestoredCopy(id: string): Promise<RestoredCopy> {
    return this.request<RestoredCopy>(`${restorePath(id)}/copy/keep`, {
      method: 'POST',
    });
  }

  async deleteRestoredCopy(id: string, confirm: string): Promise<RestoredCopy> {
    return this.request<RestoredCopy>(`${restorePath(id)}/copy`, {
      method: 'DELETE',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ confirm }),
    });
  }

  async getBillingMonth(options?: {
    month?: string;
    signal?: AbortSignal;
  }): Promise<BillingMonthResponse> {
    return this.request<BillingMonthResponse>(
      `/billing${queryString({ month: options?.month })}`,
      { signal: options?.signal },
    );
  }

  async getTenantBilling(
    namespace: string,
    options?: { month?: string; signal?: AbortSignal },
  ): Promise<TenantBillingResponse> {
    return this.request<TenantBillingResponse>(
      `/billing/${encodeURIComponent(namespace)}${queryString({
        month: options?.month,
      })}`,
      { signal: options?.signal },
    );
  }

  async getBillingCsvUrl(options?: {
    month?: string;
    namespace?: string;
    format?: BillingCsvFormat;
  }): Promise<string> {
    const baseUrl = await this.discoveryApi.getBaseUrl('dbaas');
    return `${baseUrl}/billing/export.csv${queryString({
      month: options?.month,
      namespace: options?.namespace,
      format: options?.format,
    })}`;
  }

  async listDatabaseAccessGrants(
    ref: DatabaseRef,
    options?: { state?: AccessGrantState; signal?: AbortSignal },
  ): Promise<DatabaseAccessGrants> {
    return this.request<DatabaseAccessGrants>(
      `${databasePath(ref)}/access-grants${queryString({
        state: options?.state,
      })}`,
      { signal: options?.signal },
    );
  }

  async requestAccess(
    ref: DatabaseRef,
    request: CreateAccessGrantRequest,
  ): Promise<AccessGrant> {
    return this.postJson<AccessGrant>(
      `${databasePath(ref)}/access-grants`,
      request,
    );
  }

  async listAccessGrants(options?: {
    state?: AccessGrantState;
    namespace?: string;
    name?: string;
    signal?: AbortSignal;
  }): Promise<{ items: AccessGrant[] }> {
    return this.request<{ items: AccessGrant[] }>(
      `/access-grants${queryString({
        state: options?.state,
        namespace: options?.namespace,
        name: options?.name,
      })}`,
      { signal: options?.signal },
    );
  }

  async approveAccessGrant(id: string, comment?: string): Promise<AccessGrant> {
    return this.postJson<AccessGrant>(
      `${accessGrantPath(id)}/approve`,
      comment ? { comment } : {},
    );
  }

  async rejectAccessGrant(id: string, reason: string): Promise<AccessGrant> {
    return this.postJson<AccessGrant>(`${accessGrantPath(id)}/reject`, {
      reason,
    });
  }

  async activateAccessGrant(id: string): Promise<ActivatedAccessGrant> {
    return this.request<ActivatedAccessGrant>(
      `${accessGrantPath(id)}/activate`,
      { method: 'POST', cache: 'no-store' },
    );
  }

  async revokeAccessGrant(id: string, reason?: string): Promise<AccessGrant> {
    return this.postJson<AccessGrant>(
      `${accessGrantPath(id)}/revoke`,
      reason ? { reason } : {},
    );
  }

  async getDatabaseCredentials(
    ref: DatabaseRef,
    options?: { signal?: AbortSignal },
  ): Promise<DatabaseCredentials> {
    return this.request<DatabaseCredentials>(
      `${databasePath(ref)}/credentials`,
      { signal: options?.signal },
    );
  }

  async rotateCredential(
    ref: DatabaseRef,
    role: RoleAccess,
    body?: { reason?: string },
  ): Promise<CredentialRotation> {
    return this.postJson<CredentialRotation>(
      `${databasePath(ref)}/credentials/${encodeURIComponent(role)}/rotate`,
      body ?? {},
    );
  }

  async listCredentialRotations(options?: {
    state?: CredentialRotationState;
    signal?: AbortSignal;
  }): Promise<{ items: CredentialRotation[] }> {
    return this.request<{ items: CredentialRotation[] }>(
      `/credential-rotations${queryString({ state: options?.state })}`,
      { signal: options?.signal },
    );
  }

  async approveCredentialRotation(
    id: string,
    comment?: string,
  ): Promise<CredentialRotation> {
    return this.postJson<CredentialRotation>(
      `/credential-rotations/${encodeURIComponent(id)}/approve`,
      comment ? { comment } : {},
    );
  }

  async rejectCredentialRotation(
    id: string,
    reason: string,
  ): Promise<CredentialRotation> {
    return this.postJson<CredentialRotation>(
      `/credential-rotations/${encodeURIComponent(id)}/reject`,
      { reason },
    );
  }

  private async postJson<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
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

function databasePath(ref: DatabaseRef): string {
  return `/databases/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(
    ref.name,
  )}`;
}

function accessGrantPath(id: string): string {
  return `/access-grants/${encodeURIComponent(id)}`;
}

function restorePath(id: string): string {
  return `/restores/${encodeURIComponent(id)}`;
}

/** `?a=1&b=2` from the defined values, or '' when there are none. */
function queryString(values: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value) {
      query.set(key, value);
    }
  }
  const search = query.toString();
  return search ? `?${search}` : '';
}
