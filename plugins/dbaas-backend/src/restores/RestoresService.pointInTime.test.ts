import { TestDatabases } from '@backstage/backend-test-utils';
import {
  as,
  createRestoreTestbed,
  users,
} from './__testUtils__/restoreTestbed';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const ledger = { namespace: 'payments', name: 'ledger' };

describe('RestoresService, point-in-time requests', () => {
  async function testbed() {
    const tb = await createRestoreTestbed(await databases.init('POSTGRES_15'));
    tb.snapshots.pointInTimeWindow = {
      earliest: new Date('2026-11-19T10:00:00Z'),
      latest: new Date('2026-11-26T09:55:00Z'),
    };
    return tb;
  }

  const ask = (
    tb: Awaited<ReturnType<typeof createRestoreTestbed>>,
    body: Record<string, unknown>,
  ) =>
    tb.requests.create(
      ledger,
      { target: 'new-database', reason: 'bad migration', ...body } as any,
      { credentials: as(users.alice) },
    );

  it('records a time inside the window as pitr:<second>, with the same approvals as a snapshot', async () => {
    const tb = await testbed();
    const created = await ask(tb, {
      pointInTime: '2026-11-25T14:03:27.900+01:00',
    });
    expect(created).toMatchObject({
      snapshotId: 'pitr:2026-11-25T13:03:27Z',
      snapshotCreatedAt: '2026-11-25T13:03:27.000Z',
      pointInTime: '2026-11-25T13:03:27.000Z',
      state: 'pending-approval',
      approvalsRequired: 1,
      targetDatabaseName: 'payments-ledger-restored-202611261000',
    });
    expect(created.log[0].message).toContain(
      'the database as it was at 2026-11-25T13:03:27.000Z',
    );
    expect(tb.snapshots.asked).toEqual([
      'payments-ledger@eu:pitr:2026-11-25T13:03:27Z',
    ]);
    // Another second is another request: its fingerprint differs.
    await tb.requests.cancel(created.id, { credentials: as(users.alice) });
    const other = await ask(tb, { pointInTime: '2026-11-25T13:03:28Z' });
    expect(other.fingerprint).not.toBe(created.fingerprint);
    // A snapshot request still has no pointInTime.
    await tb.requests.cancel(other.id, { credentials: as(users.alice) });
    const bySnapshot = await ask(tb, { snapshotId: 'ledger-1' });
    expect(bySnapshot.pointInTime).toBeUndefined();
  });

  it('refuses a time outside the window with an InputError naming it, and bad bodies', async () => {
    const tb = await testbed();
    await expect(
      ask(tb, { pointInTime: '2026-11-19T09:59:59Z' }),
    ).rejects.toThrow(
      /^2026-11-19T09:59:59\.000Z is outside the restore window \(2026-11-19T10:00:00Z to 2026-11-26T09:55:00Z\)/,
    );
    await expect(
      ask(tb, { pointInTime: '2026-11-26T09:55:01Z' }),
    ).rejects.toMatchObject({ name: 'InputError' });
    await expect(
      ask(tb, { pointInTime: '2026-11-25T13:03:27Z', snapshotId: 'ledger-1' }),
    ).rejects.toThrow(/either snapshotId .* or pointInTime/);
    await expect(ask(tb, {})).rejects.toThrow(
      /either snapshotId .* or pointInTime/,
    );
    for (const bad of ['yesterday', '2026-11-25T13:03:27', 1764075807, '']) {
      await expect(ask(tb, { pointInTime: bad })).rejects.toMatchObject({
        name: 'InputError',
      });
    }
    expect(await tb.store.list({})).toEqual([]);
  });
});
