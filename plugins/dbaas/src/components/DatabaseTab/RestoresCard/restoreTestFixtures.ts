import type {
  DatabaseSnapshot,
  DatabaseSnapshotsResponse,
  RestorePreview,
  RestoreRequest,
} from '@dbaas/plugin-dbaas-common';
import type { DbaasApi } from '../../../api/DbaasApi';
import { HOUR, MINUTE, ago, mockDbaasApi, pending } from '../testFixtures';

export { HOUR, MINUTE, ago, pending };

/** An ISO timestamp `ms` milliseconds after now. */
export function inFuture(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}

export function snapshot(
  overrides: Partial<DatabaseSnapshot> = {},
): DatabaseSnapshot {
  return {
    id: 'snap-2',
    source: 'pg_dump',
    type: 'scheduled',
    status: 'available',
    createdAt: '2026-03-04T02:15:00.000Z',
    expiresAt: '2026-04-08T02:15:00.000Z',
    sizeBytes: 8_808_038,
    checksum: 'sha256:9f86d081884c7d659a2feaa0c55ad015',
    cluster: 'local',
    engineVersion: '15.6',
    ...overrides,
  };
}

export function snapshotsResponse(
  overrides: Partial<DatabaseSnapshotsResponse> = {},
): DatabaseSnapshotsResponse {
  return {
    namespace: 'payments',
    name: 'ledger',
    databaseName: 'payments-ledger',
    cluster: 'local',
    retentionDays: 35,
    restoreWindow: {
      earliest: '2026-02-01T02:15:00.000Z',
      latest: '2026-03-04T02:15:00.000Z',
    },
    nextScheduledAt: '2026-03-05T02:15:00.000Z',
    items: [
      snapshot(),
      snapshot({
        id: 'snap-1',
        type: 'on-demand',
        createdAt: '2026-03-03T10:00:00.000Z',
        sizeBytes: 8_000_000,
        checksum: 'sha256:0123456789abcdef',
      }),
    ],
    ...overrides,
  };
}

export function restoreRequest(
  overrides: Partial<RestoreRequest> = {},
): RestoreRequest {
  return {
    id: 'r-1',
    namespace: 'payments',
    name: 'ledger',
    databaseName: 'payments-ledger',
    cluster: 'local',
    mode: 'standard',
    snapshotId: 'snap-2',
    snapshotCreatedAt: '2026-03-04T02:15:00.000Z',
    target: 'new-database',
    targetDatabaseName: 'payments-ledger-restored-202603041200',
    reason: 'Rows deleted by a bad migration at 11:40',
    state: 'pending-approval',
    requestedBy: 'user:default/alice',
    requestedAt: ago(20 * MINUTE),
    expiresAt: inFuture(23 * HOUR),
    updatedAt: ago(20 * MINUTE),
    fingerprint: 'fp-1',
    approvalsRequired: 1,
    approvals: [],
    finalizeRequired: false,
    log: [],
    allowedActions: [],
    ...overrides,
  };
}

/** An in-place restore of payments/ledger awaiting its finalize. */
export function awaitingRequest(
  overrides: Partial<RestoreRequest> = {},
): RestoreRequest {
  return restoreRequest({
    id: 'r-9',
    state: 'awaiting-finalize',
    target: 'in-place',
    targetDatabaseName: 'payments-ledger',
    finalizeRequired: true,
    finalizeDeadline: inFuture(3 * HOUR),
    currentStep: 'swap',
    approvals: [{ by: 'user:default/bob', at: ago(HOUR) }],
    allowedActions: ['cancel', 'finalize'],
    ...overrides,
  });
}

/**
 * Its preview: orders has more rows now, audit was added since the
 * snapshot, legacy dropped since, customers unchanged.
 */
export function restorePreview(
  overrides: Partial<RestorePreview> = {},
): RestorePreview {
  return {
    restoreId: 'r-9',
    databaseName: 'payments-ledger',
    scratchDatabaseName: 'payments-ledger_restore_0123456789ab',
    snapshotId: 'snap-2',
    snapshotCreatedAt: '2026-03-04T02:15:00.000Z',
    snapshotCountedAt: ago(10 * MINUTE),
    liveCountedAt: ago(2 * MINUTE),
    totals: {
      rowsAtSnapshot: 1_512,
      rowsNow: 2_004,
      tablesAddedSince: 1,
      tablesDroppedSince: 1,
      tablesWithOtherRowCounts: 1,
      columnsAddedSince: 1,
      columnsDroppedSince: 0,
    },
    tables: [
      {
        schema: 'public',
        name: 'audit',
        presence: 'added-since-snapshot',
        rowsNow: 4,
        columnsAddedSince: [],
        columnsDroppedSince: [],
        columnsRetyped: [],
      },
      {
        schema: 'public',
        name: 'legacy',
        presence: 'dropped-since-snapshot',
        rowsAtSnapshot: 12,
        columnsAddedSince: [],
        columnsDroppedSince: [],
        columnsRetyped: [],
      },
      {
        schema: 'public',
        name: 'orders',
        presence: 'in-both',
        rowsAtSnapshot: 1_000,
        rowsNow: 1_500,
        columnsAddedSince: ['coupon'],
        columnsDroppedSince: [],
        columnsRetyped: [],
      },
      {
        schema: 'public',
        name: 'customers',
        presence: 'in-both',
        rowsAtSnapshot: 500,
        rowsNow: 500,
        columnsAddedSince: [],
        columnsDroppedSince: [],
        columnsRetyped: [],
      },
    ],
    ...overrides,
  };
}

/** A DbaasApi whose snapshot and restore methods are jest mocks too. */
export function mockRestoreApi() {
  return {
    ...mockDbaasApi(),
    listSnapshots: jest.fn<
      ReturnType<DbaasApi['listSnapshots']>,
      Parameters<DbaasApi['listSnapshots']>
    >(),
    createSnapshot: jest.fn<
      ReturnType<DbaasApi['createSnapshot']>,
      Parameters<DbaasApi['createSnapshot']>
    >(),
    requestRestore: jest.fn<
      ReturnType<DbaasApi['requestRestore']>,
      Parameters<DbaasApi['requestRestore']>
    >(),
    listRestores: jest.fn<
      ReturnType<DbaasApi['listRestores']>,
      Parameters<DbaasApi['listRestores']>
    >(),
    getRestore: jest.fn(),
    approveRestore: jest.fn<
      ReturnType<DbaasApi['approveRestore']>,
      Parameters<DbaasApi['approveRestore']>
    >(),
    rejectRestore: jest.fn<
      ReturnType<DbaasApi['rejectRestore']>,
      Parameters<DbaasApi['rejectRestore']>
    >(),
    cancelRestore: jest.fn<
      ReturnType<DbaasApi['cancelRestore']>,
      Parameters<DbaasApi['cancelRestore']>
    >(),
    getRestorePreview: jest.fn<
      ReturnType<DbaasApi['getRestorePreview']>,
      Parameters<DbaasApi['getRestorePreview']>
    >(),
    finalizeRestore: jest.fn<
      ReturnType<DbaasApi['finalizeRestore']>,
      Parameters<DbaasApi['finalizeRestore']>
    >(),
    getRestoredCopy: jest.fn<
      ReturnType<DbaasApi['getRestoredCopy']>,
      Parameters<DbaasApi['getRestoredCopy']>
    >(),
    keepRestoredCopy: jest.fn<
      ReturnType<DbaasApi['keepRestoredCopy']>,
      Parameters<DbaasApi['keepRestoredCopy']>
    >(),
    deleteRestoredCopy: jest.fn<
      ReturnType<DbaasApi['deleteRestoredCopy']>,
      Parameters<DbaasApi['deleteRestoredCopy']>
    >(),
  };
}
