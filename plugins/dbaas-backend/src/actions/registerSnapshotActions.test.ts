import { mockCredentials } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { NotFoundError } from '@backstage/errors';
import { DatabaseSnapshotsResponse } from '@dbaas/plugin-dbaas-common';
import { SnapshotsService } from '../snapshots/SnapshotsService';
import { registerSnapshotActions } from './registerSnapshotActions';

// Permission decisions through the real plugin are covered in
// service/snapshotRoutes.test.ts; here, what the action passes on.
describe('list-database-snapshots', () => {
  const response: DatabaseSnapshotsResponse = {
    namespace: 'payments',
    name: 'ledger',
    databaseName: 'payments-ledger',
    cluster: 'local',
    retentionDays: 7,
    restoreWindow: {
      earliest: '2026-11-20T02:00:04.000Z',
      latest: '2026-11-24T02:00:03.000Z',
    },
    nextScheduledAt: '2026-11-25T02:00:00.000Z',
    items: [
      {
        id: 'f1a0e7c2-3c55-4f0e-9d7e-2a4c1c9b5e11',
        source: 'pg_dump',
        type: 'scheduled',
        status: 'available',
        createdAt: '2026-11-24T02:00:03.000Z',
        expiresAt: '2026-12-01T02:00:03.000Z',
        sizeBytes: 52_431,
        checksum: 'sha256:9f2c',
        cluster: 'local',
        engineVersion: '15.8',
      },
    ],
  };

  function setUp(list: SnapshotsService['list']) {
    const actions = actionsRegistryServiceMock();
    registerSnapshotActions(actions, { list } as SnapshotsService);
    return (input: object) =>
      actions.invoke({
        id: 'test:list-database-snapshots',
        input,
        credentials: mockCredentials.user(),
      });
  }

  it('returns the snapshots with the restore window, for the caller', async () => {
    const list = jest.fn().mockResolvedValue(response);
    const invoke = setUp(list);
    expect(await invoke({ namespace: 'payments', name: 'ledger' })).toEqual({
      output: {
        retentionDays: 7,
        restoreWindow: response.restoreWindow,
        nextScheduledAt: response.nextScheduledAt,
        snapshots: response.items,
      },
    });
    expect(list).toHaveBeenCalledWith(
      { namespace: 'payments', name: 'ledger' },
      mockCredentials.user(),
    );
  });

  it('leaves out the window when nothing is restorable, and passes errors on', async () => {
    const invoke = setUp(
      jest
        .fn()
        .mockResolvedValueOnce({
          ...response,
          restoreWindow: undefined,
          items: [],
        })
        .mockRejectedValueOnce(new NotFoundError('not in the inventory')),
    );
    expect(await invoke({ namespace: 'payments', name: 'ledger' })).toEqual({
      output: {
        retentionDays: 7,
        nextScheduledAt: response.nextScheduledAt,
        snapshots: [],
      },
    });
    await expect(
      invoke({ namespace: 'payments', name: 'gone' }),
    ).rejects.toThrow('not in the inventory');
  });
});
