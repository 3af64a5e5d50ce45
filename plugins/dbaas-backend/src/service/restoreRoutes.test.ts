import { TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  dbaasRestoreApprovePermission,
  dbaasRestoreRequestPermission,
} from '@dbaas/plugin-dbaas-common';
import { startRestoreRoutes } from '../restores/__testUtils__/restoreRoutesServer';
import {
  createRestoreTestbed,
  users,
} from '../restores/__testUtils__/restoreTestbed';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

/**
 * The restore routes behind the real HTTP stack (auth, OpenAPI request
 * validation, error mapping) over the real store, with a policy that lets
 * only alice request and only bob and carol approve (QUALITY 9-11: the
 * same decisions as the UI, for direct calls).
 */
async function start() {
  const tb = await createRestoreTestbed(await databases.init('POSTGRES_15'), {
    decide: (permission, user) => {
      if (permission === dbaasRestoreRequestPermission.name) {
        return user === users.alice
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY;
      }
      if (permission === dbaasRestoreApprovePermission.name) {
        return [users.bob, users.carol].includes(user)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY;
      }
      return AuthorizeResult.ALLOW;
    },
  });
  const { call } = await startRestoreRoutes(tb.requests);
  return { tb, call };
}

describe('restore routes', () => {
  it('requests, approves and lists over HTTP with the backend’s decisions', async () => {
    const { tb, call } = await start();
    const created = await call(
      'post',
      '/databases/payments/ledger/restores',
      users.alice,
      {
        snapshotId: 'ledger-1',
        target: 'new-database',
        reason: 'restore yesterday',
      },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      state: 'pending-approval',
      targetDatabaseName: 'payments-ledger-restored-202611261000',
      allowedActions: ['cancel'],
    });
    const id = created.body.id;

    const own = await call('post', `/restores/${id}/approve`, users.alice, {});
    expect(own.status).toBe(403);
    expect(own.body.error.message).toContain('own restore request');
    expect(tb.audits.at(-1)).toMatchObject({
      eventId: 'restore-approve',
      severityLevel: 'high',
      outcome: 'fail',
    });

    const stranger = await call(
      'post',
      `/restores/${id}/approve`,
      users.mallory,
      {},
    );
    expect(stranger.status).toBe(403);

    const stale = await call('post', `/restores/${id}/approve`, users.bob, {
      fingerprint: '0'.repeat(64),
    });
    expect(stale.status).toBe(409);

    const ok = await call('post', `/restores/${id}/approve`, users.bob, {
      comment: 'go',
      fingerprint: created.body.fingerprint,
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      state: 'approved',
      approvals: [{ by: users.bob, comment: 'go' }],
    });

    const inbox = await call(
      'get',
      '/restores?status=approved&namespace=payments',
      users.carol,
    );
    expect(inbox.status).toBe(200);
    expect(inbox.body.items.map((r: any) => r.id)).toEqual([id]);
    const one = await call('get', `/restores/${id}`, users.carol);
    expect(one.body.log.map((l: any) => l.message)).toEqual([
      expect.stringContaining('restore yesterday'),
      `Approved by ${users.bob}: go`,
    ]);
  });

  it('answers 400, 403, 404 and 409 for bad requests', async () => {
    const { call } = await start();
    const ask = (
      user: string,
      body: object,
      path = '/databases/payments/ledger/restores',
    ) => call('post', path, user, body);
    const valid = {
      snapshotId: 'ledger-1',
      target: 'new-database',
      reason: 'why',
    };

    expect(
      (await ask(users.alice, { ...valid, target: 'sideways' })).status,
    ).toBe(400);
    expect((await ask(users.alice, { ...valid, reason: '' })).status).toBe(400);
    expect(
      (await ask(users.alice, valid, '/databases/payments/..%2Fx/restores'))
        .status,
    ).toBe(400);
    expect((await ask(users.mallory, valid)).status).toBe(403);
    expect(
      (await ask(users.alice, { ...valid, snapshotId: 'orders-1' })).status,
    ).toBe(404);
    expect(
      (await ask(users.alice, { ...valid, snapshotId: 'ledger-old' })).status,
    ).toBe(400);
    expect(
      (await ask(users.alice, { ...valid, targetName: 'vault' })).status,
    ).toBe(409);
    expect((await ask(users.alice, valid)).status).toBe(201);
    expect(
      (await ask(users.alice, { ...valid, target: 'in-place' })).status,
    ).toBe(409);
    expect((await call('get', '/restores/nope', users.alice)).status).toBe(404);
    expect(
      (await call('post', '/restores/nope/reject', users.bob, {})).status,
    ).toBe(400);
  });

  it('takes a point in time instead of a snapshot, answering 400 outside the window', async () => {
    const { tb, call } = await start();
    tb.snapshots.pointInTimeWindow = {
      earliest: new Date('2026-11-19T10:00:00Z'),
      latest: new Date('2026-11-26T09:55:00Z'),
    };
    const ask = (body: object) =>
      call('post', '/databases/payments/ledger/restores', users.alice, {
        target: 'new-database',
        reason: 'why',
        ...body,
      });
    const outside = await ask({ pointInTime: '2026-11-26T09:56:00Z' });
    expect(outside.status).toBe(400);
    expect(outside.body.error.message).toContain(
      '(2026-11-19T10:00:00Z to 2026-11-26T09:55:00Z)',
    );
    expect((await ask({})).status).toBe(400);
    expect(
      (
        await ask({
          pointInTime: '2026-11-25T13:03:27Z',
          snapshotId: 'ledger-1',
        })
      ).status,
    ).toBe(400);
    expect((await ask({ pointInTime: 'yesterday' })).status).toBe(400);
    const created = await ask({ pointInTime: '2026-11-25T13:03:27Z' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      snapshotId: 'pitr:2026-11-25T13:03:27Z',
      pointInTime: '2026-11-25T13:03:27.000Z',
    });
  });

  it('rejects and cancels over HTTP', async () => {
    const { call } = await start();
    const body = { snapshotId: 'ledger-1', target: 'in-place', reason: 'why' };
    const first = await call(
      'post',
      '/databases/payments/ledger/restores',
      users.alice,
      body,
    );
    const rejected = await call(
      'post',
      `/restores/${first.body.id}/reject`,
      users.carol,
      {
        reason: 'take a new database',
      },
    );
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      state: 'rejected',
      rejection: { by: users.carol },
    });

    const second = await call(
      'post',
      '/databases/payments/ledger/restores',
      users.alice,
      body,
    );
    expect(
      (await call('post', `/restores/${second.body.id}/cancel`, users.mallory))
        .status,
    ).toBe(403);
    const cancelled = await call(
      'post',
      `/restores/${second.body.id}/cancel`,
      users.alice,
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.state).toBe('cancelled');
  });
});
