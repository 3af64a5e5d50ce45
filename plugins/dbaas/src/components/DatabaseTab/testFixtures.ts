import type { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import type {
  ConnectionInfo,
  DatabaseDetail,
} from '@dbaas/plugin-dbaas-common';
import type { DbaasApi } from '../../api/DbaasApi';

/** An ISO timestamp `ms` milliseconds before now. */
export function ago(ms: number): string {
  return new Date(Date.now() - ms).toISOString();
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export function readyDatabase(
  overrides: Partial<DatabaseDetail> = {},
): DatabaseDetail {
  return {
    namespace: 'payments',
    name: 'ledger',
    databaseName: 'payments-ledger',
    mode: 'protected',
    status: 'ready',
    statusSince: ago(3 * HOUR),
    cluster: 'prod-eu',
    environment: 'production',
    entityRef: 'resource:default/payments-ledger',
    owners: ['group:default/payments'],
    folderPath: 'apps/payments/ledger',
    sizeBytes: 8_808_038,
    pullRequests: [
      {
        number: 12,
        url: 'https://github.com/acme/apps/pull/12',
        kind: 'create',
        state: 'merged',
        updatedAt: ago(4 * HOUR),
      },
    ],
    history: [
      {
        from: 'provisioning',
        status: 'ready',
        at: ago(3 * HOUR),
        reason:
          'database, roles read/write/admin and schema ownership exist in cluster prod-eu',
      },
      {
        from: 'merged',
        status: 'provisioning',
        at: ago(3 * HOUR + 2 * MINUTE),
      },
      {
        status: 'requested',
        at: ago(5 * HOUR),
        reason: 'pull request #12 (https://github.com/acme/apps/pull/12)',
      },
    ],
    ...overrides,
  };
}

export function connectionInfo(
  overrides: Partial<ConnectionInfo> = {},
): ConnectionInfo {
  return {
    namespace: 'payments',
    name: 'ledger',
    databaseName: 'payments-ledger',
    portForwardCommand: '',
    localHost: '127.0.0.1',
    localPort: 55432,
    roles: (['read', 'write', 'admin'] as const).map(access => ({
      access,
      host: '127.0.0.1',
      port: 55432,
      database: 'payments-ledger',
      username: `payments-ledger-${access}`,
      kubernetesSecretName: `payments-ledger-${access}`,
      kubernetesNamespace: 'payments',
      secretManagerPath: `customer/payments/payments-ledger-${access}`,
      sslmode: 'require' as const,
    })),
    ...overrides,
  };
}

/** A DbaasApi whose methods are jest mocks. */
export function mockDbaasApi() {
  return {
    health: jest.fn<ReturnType<DbaasApi['health']>, []>(),
    validateDatabase: jest.fn(),
    listTenants: jest.fn(),
    listDatabases: jest.fn(),
    getDatabase: jest.fn<
      ReturnType<DbaasApi['getDatabase']>,
      Parameters<DbaasApi['getDatabase']>
    >(),
    getConnectionInfo: jest.fn<
      ReturnType<DbaasApi['getConnectionInfo']>,
      Parameters<DbaasApi['getConnectionInfo']>
    >(),
    // Pending unless a test says otherwise, so views that show the metrics
    // card need not care about it.
    getDatabaseMetrics: jest
      .fn<
        ReturnType<DbaasApi['getDatabaseMetrics']>,
        Parameters<DbaasApi['getDatabaseMetrics']>
      >()
      .mockImplementation(() => pending()),
    // Likewise for the recovery, snapshot, restore and billing cards.
    getRecovery: pendingMock<'getRecovery'>(),
    listSnapshots: pendingMock<'listSnapshots'>(),
    createSnapshot: pendingMock<'createSnapshot'>(),
    requestRestore: pendingMock<'requestRestore'>(),
    listRestores: pendingMock<'listRestores'>(),
    getRestore: pendingMock<'getRestore'>(),
    approveRestore: pendingMock<'approveRestore'>(),
    rejectRestore: pendingMock<'rejectRestore'>(),
    cancelRestore: pendingMock<'cancelRestore'>(),
    getRestorePreview: pendingMock<'getRestorePreview'>(),
    finalizeRestore: pendingMock<'finalizeRestore'>(),
    getRestoredCopy: pendingMock<'getRestoredCopy'>(),
    keepRestoredCopy: pendingMock<'keepRestoredCopy'>(),
    deleteRestoredCopy: pendingMock<'deleteRestoredCopy'>(),
    getBillingMonth: pendingMock<'getBillingMonth'>(),
    getTenantBilling: pendingMock<'getTenantBilling'>(),
    getBillingCsvUrl: pendingMock<'getBillingCsvUrl'>(),
    listDatabaseAccessGrants: pendingMock<'listDatabaseAccessGrants'>(),
    requestAccess: pendingMock<'requestAccess'>(),
    listAccessGrants: pendingMock<'listAccessGrants'>(),
    approveAccessGrant: pendingMock<'approveAccessGrant'>(),
    rejectAccessGrant: pendingMock<'rejectAccessGrant'>(),
    activateAccessGrant: pendingMock<'activateAccessGrant'>(),
    revokeAccessGrant: pendingMock<'revokeAccessGrant'>(),
    // And for the credential rotation panel and its approvals.
    getDatabaseCredentials: pendingMock<'getDatabaseCredentials'>(),
    rotateCredential: pendingMock<'rotateCredential'>(),
    listCredentialRotations: pendingMock<'listCredentialRotations'>(),
    approveCredentialRotation: pendingMock<'approveCredentialRotation'>(),
    rejectCredentialRotation: pendingMock<'rejectCredentialRotation'>(),
  };
}

/** A mock of one API method whose promise never settles. */
function pendingMock<K extends keyof DbaasApi>() {
  return jest
    .fn<ReturnType<DbaasApi[K]>, Parameters<DbaasApi[K]>>()
    .mockImplementation(() => pending() as ReturnType<DbaasApi[K]>);
}

/** The error DbaasClient throws for a response with this status. */
export function responseError(
  status: number,
  statusText: string,
  message: string,
): Promise<ResponseError> {
  const name =
    { 403: 'NotAllowedError', 404: 'NotFoundError' }[status] ?? 'Error';
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        response: { statusCode: status },
      }),
      {
        status,
        statusText,
        headers: { 'Content-Type': 'application/json' },
      },
    ),
  );
}

/** A promise that never settles: a request still running. */
export function pending<T>(): Promise<T> {
  return new Promise<T>(() => {});
}

/** A Component entity, as the catalog serves it. */
export function componentEntity(overrides: Partial<Entity> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'ledger-api', namespace: 'default' },
    spec: { type: 'service', owner: 'payments', lifecycle: 'production' },
    ...overrides,
  };
}

/** A Resource entity, of type database unless told. */
export function resourceEntity(
  name: string,
  annotation?: string,
  type = 'database',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      ...(annotation
        ? { annotations: { 'dbaas.io/database': annotation } }
        : {}),
    },
    spec: { type, owner: 'payments' },
  };
}

/** `dependsOn` relations to the given entity refs. */
export const dependsOn = (...targets: string[]) =>
  targets.map(targetRef => ({ type: 'dependsOn', targetRef }));
