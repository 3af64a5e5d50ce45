import { TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  dbaasRestoreApprovePermission,
  dbaasRestoreRequestPermission,
} from '@dbaas/plugin-dbaas-common';
import {
  as,
  createRestoreTestbed,
  users,
} from './__testUtils__/restoreTestbed';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const ledger = { namespace: 'payments', name: 'ledger' };
const vault = { namespace: 'payments', name: 'vault' };
const HOUR = 3_600_000;

/** Alice owns payments; bob, carol, dave may approve; mallory nothing. */
function realisticPolicy(permission: string, user: string): AuthorizeResult {
  if (permission === dbaasRestoreRequestPermission.name) {
    return user === users.alice ? AuthorizeResult.ALLOW : AuthorizeResult.DENY;
  }
  if (permission === dbaasRestoreApprovePermission.name) {
    return [users.bob, users.carol, users.dave].includes(user)
      ? AuthorizeResult.ALLOW
      : AuthorizeResult.DENY;
  }
  return AuthorizeResult.ALLOW;
}

describe('RestoresService', () => {
  async function testbed(options?: Parameters<typeof createRestoreTestbed>[1]) {
    return createRestoreTestbed(await databases.init('POSTGRES_15'), options);
  }

  const ask = (
    tb: Awaited<ReturnType<typeof createRestoreTestbed>>,
    body: Record<string, unknown> = {},
    ref = ledger,
    user = users.alice,
  ) =>
    tb.requests.create(
      ref,
      {
        snapshotId: 'ledger-1',
        target: 'new-database',
        reason: 'bad migration',
        ...body,
      } as any,
      { credentials: as(user) },
    );

  it('creates a pending request into <name>-restored-<yyyymmddhhmm>, bound to a fingerprint, and tells requester and approvers', async () => {
    const tb = await testbed({
      decide: realisticPolicy,
      approvers: ['group:default/sre'],
    });
    const created = await ask(tb);
    expect(created).toMatchObject({
      namespace: 'payments',
      name: 'ledger',
      databaseName: 'payments-ledger',
      cluster: 'eu',
      mode: 'standard',
      snapshotId: 'ledger-1',
      snapshotCreatedAt: '2026-11-26T02:00:00.000Z',
      target: 'new-database',
      targetDatabaseName: 'payments-ledger-restored-202611261000',
      reason: 'bad migration',
      state: 'pending-approval',
      requestedBy: users.alice,
      requestedAt: '2026-11-26T10:00:00.000Z',
      expiresAt: '2026-11-27T10:00:00.000Z',
      approvalsRequired: 1,
      approvals: [],
      allowedActions: ['cancel'],
    });
    expect(created.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(created.log[0].message).toContain('bad migration');
    expect(tb.sent).toEqual([
      {
        recipients: [users.alice, 'group:default/sre'],
        title: 'Restore of payments-ledger requested by alice',
      },
    ]);
    // Names and times as people read them, never `user:default/…` or ISO.
    expect(tb.payloads[0]).toMatchObject({
      severity: 'normal',
      description:
        'bad migration — needs 1 approval(s) before Fri 27 Nov 2026, 10:00 UTC',
    });
    expect(tb.audits).toEqual([
      expect.objectContaining({
        eventId: 'restore-request',
        outcome: 'success',
      }),
    ]);
    // What an approver sees of it.
    const seen = await tb.requests.get(created.id, as(users.bob));
    expect(seen.allowedActions).toEqual(['approve', 'reject', 'cancel']);
  });

  it('refuses a restore asked by someone who does not own the tenant (403, audited)', async () => {
    const tb = await testbed({ decide: realisticPolicy });
    await expect(ask(tb, {}, ledger, users.mallory)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    expect(tb.audits).toEqual([
      expect.objectContaining({ eventId: 'restore-request', outcome: 'fail' }),
    ]);
    expect(await tb.store.list({})).toEqual([]);
  });

  it('refuses unknown snapshots, another database’s snapshot and expired ones (404/400)', async () => {
    const tb = await testbed();
    await expect(ask(tb, { snapshotId: 'nope' })).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(ask(tb, { snapshotId: 'orders-1' })).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(ask(tb, { snapshotId: 'ledger-old' })).rejects.toMatchObject({
      name: 'InputError',
    });
    expect(tb.snapshots.asked).toContain('payments-ledger@eu:orders-1');
    expect(await tb.store.list({})).toEqual([]);
  });

  it('refuses a target that exists in the inventory or the cluster (409) and names over 63 bytes (400, never truncated)', async () => {
    const tb = await testbed();
    // checkout-orders exists; 'payments' + 'ledger-x' would be payments-ledger-x.
    await expect(ask(tb, { targetName: 'vault' })).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('payments-vault'),
    });
    tb.inCluster.add('payments-ledger-copy');
    await expect(ask(tb, { targetName: 'ledger-copy' })).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('in cluster eu'),
    });
    const long = `l${'x'.repeat(60)}`;
    await expect(ask(tb, { targetName: long })).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('too-long'),
    });
    await expect(ask(tb, { targetName: 'Bad;Name' })).rejects.toMatchObject({
      name: 'InputError',
    });
    await expect(
      ask(tb, { target: 'in-place', targetName: 'other' }),
    ).rejects.toMatchObject({ name: 'InputError' });
    expect(await tb.store.list({})).toEqual([]);
  });

  it('refuses a database that is not ready or not in the inventory', async () => {
    const tb = await testbed();
    await expect(
      ask(tb, {}, { namespace: 'payments', name: 'drafts' }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
    });
    await expect(
      ask(tb, {}, { namespace: 'payments', name: 'ghost' }),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it('lets exactly one of two simultaneous restores of a database in (QUALITY 17)', async () => {
    const tb = await testbed();
    const results = await Promise.allSettled([
      ask(tb, { target: 'in-place' }),
      ask(tb, { targetName: 'ledger-copy' }),
    ]);
    const fulfilled = results.filter(r => r.status === 'fulfilled');
    const rejected = results.filter(
      r => r.status === 'rejected',
    ) as PromiseRejectedResult[];
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0].reason).toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('one restore of a database at a time'),
    });
    // Still refused while the first is active, allowed once it is over.
    await expect(ask(tb, { targetName: 'ledger-again' })).rejects.toMatchObject(
      { name: 'ConflictError' },
    );
    const first = (fulfilled[0] as PromiseFulfilledResult<any>).value;
    await tb.requests.cancel(first.id, { credentials: as(users.alice) });
    await expect(
      ask(tb, { targetName: 'ledger-again' }),
    ).resolves.toMatchObject({
      state: 'pending-approval',
    });
  });

  it('never lets requesters approve their own request, whatever the policy (403 + a high audit event)', async () => {
    const tb = await testbed(); // the policy allows everything
    const created = await ask(tb);
    await expect(
      tb.requests.approve(created.id, {}, { credentials: as(users.alice) }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('own restore request'),
    });
    expect(tb.audits.at(-1)).toMatchObject({
      eventId: 'restore-approve',
      severityLevel: 'high',
      outcome: 'fail',
      meta: expect.objectContaining({
        actor: users.alice,
        restoreId: created.id,
      }),
    });
    expect(
      (await tb.requests.get(created.id, as(users.alice))).allowedActions,
    ).toEqual(['cancel']);
    await expect(
      tb.requests.reject(
        created.id,
        { reason: 'no' },
        { credentials: as(users.alice) },
      ),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect((await tb.store.get(created.id))!.state).toBe('pending-approval');
  });

  it('refuses approvers without the permission, and outside dbaas.restore.approvers when set (403)', async () => {
    const tb = await testbed({
      decide: realisticPolicy,
      approvers: ['group:default/sre'],
    });
    const created = await ask(tb);
    await expect(
      tb.requests.approve(created.id, {}, { credentials: as(users.mallory) }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    // dave holds dbaas.restore.approve but is not in group:default/sre.
    await expect(
      tb.requests.approve(created.id, {}, { credentials: as(users.dave) }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('group:default/sre'),
    });
    expect(
      (await tb.requests.get(created.id, as(users.dave))).allowedActions,
    ).toEqual([]);
    const approved = await tb.requests.approve(
      created.id,
      { comment: 'ok', fingerprint: created.fingerprint },
      { credentials: as(users.bob) },
    );
    expect(approved).toMatchObject({
      state: 'approved',
      approvals: [
        { by: users.bob, comment: 'ok', at: '2026-11-26T10:00:00.000Z' },
      ],
    });
    expect(
      tb.audits
        .filter(a => a.eventId === 'restore-approve')
        .map(a => a.outcome),
    ).toEqual(['fail', 'fail', 'success']);
  });

  it('needs two distinct approvers for a protected database in place', async () => {
    const tb = await testbed();
    const created = await ask(
      tb,
      { snapshotId: 'vault-1', target: 'in-place' },
      vault,
    );
    expect(created).toMatchObject({
      approvalsRequired: 2,
      targetDatabaseName: 'payments-vault',
    });
    const once = await tb.requests.approve(
      created.id,
      {},
      { credentials: as(users.bob) },
    );
    expect(once.state).toBe('pending-approval');
    expect(
      (await tb.requests.get(created.id, as(users.bob))).allowedActions,
    ).toEqual(['reject', 'cancel']);
    await expect(
      tb.requests.approve(created.id, {}, { credentials: as(users.bob) }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('already approved'),
    });
    const twice = await tb.requests.approve(
      created.id,
      {},
      { credentials: as(users.carol) },
    );
    expect(twice.state).toBe('approved');
    expect(twice.approvals.map(a => a.by)).toEqual([users.bob, users.carol]);
    expect(tb.sent.at(-1)).toEqual({
      recipients: [users.alice, users.bob, users.carol],
      title: 'Restore of payments-vault approved: it starts shortly',
    });
  });

  it('refuses an approval for another fingerprint (409) and after expiry (409, expired)', async () => {
    const tb = await testbed();
    const created = await ask(tb);
    await expect(
      tb.requests.approve(
        created.id,
        { fingerprint: 'f'.repeat(64) },
        { credentials: as(users.bob) },
      ),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('fingerprint'),
    });

    tb.clock.advance(24 * HOUR);
    await expect(
      tb.requests.approve(created.id, {}, { credentials: as(users.bob) }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('expired'),
    });
    const expired = await tb.requests.get(created.id, as(users.bob));
    expect(expired).toMatchObject({
      state: 'expired',
      approvals: [],
      allowedActions: [],
    });
    expect(tb.audits.some(a => a.eventId === 'restore-expire')).toBe(true);
  });

  it('voids approvals of a request changed after it was made', async () => {
    const tb = await testbed();
    const created = await ask(tb);
    await tb
      .knex('dbaas_restore_requests')
      .where({ id: created.id })
      .update({ snapshot_id: 'ledger-old' });
    await expect(
      tb.requests.approve(created.id, {}, { credentials: as(users.bob) }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('void'),
    });
  });

  it('expires pending requests nobody acted on', async () => {
    const tb = await testbed();
    const created = await ask(tb);
    tb.clock.advance(23 * HOUR);
    expect(await tb.requests.expireDue()).toBe(0);
    tb.clock.advance(HOUR);
    expect(await tb.requests.expireDue()).toBe(1);
    const expired = await tb.requests.get(created.id, as(users.alice));
    expect(expired.state).toBe('expired');
    expect(expired.log.at(-1)).toMatchObject({
      level: 'warning',
      message: expect.stringContaining('Expired'),
    });
    expect(tb.sent.at(-1)!.title).toContain('expired');
  });

  it('rejects with a reason, by approvers only; cancels by requester or approver, before running', async () => {
    const tb = await testbed({ decide: realisticPolicy });
    const first = await ask(tb);
    await expect(
      tb.requests.reject(
        first.id,
        { reason: '' },
        { credentials: as(users.bob) },
      ),
    ).rejects.toMatchObject({ name: 'InputError' });
    await expect(
      tb.requests.reject(
        first.id,
        { reason: 'no' },
        { credentials: as(users.mallory) },
      ),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    const rejected = await tb.requests.reject(
      first.id,
      { reason: 'use a new database' },
      { credentials: as(users.bob) },
    );
    expect(rejected).toMatchObject({
      state: 'rejected',
      rejection: { by: users.bob, reason: 'use a new database' },
      allowedActions: [],
    });
    // A rejection is a warning, not a green tick.
    expect(tb.payloads.at(-1)).toMatchObject({
      title: 'Restore of payments-ledger rejected by bob',
      description: 'use a new database',
      severity: 'high',
    });
    await expect(
      tb.requests.approve(first.id, {}, { credentials: as(users.carol) }),
    ).rejects.toMatchObject({ name: 'ConflictError' });

    const second = await ask(tb);
    await expect(
      tb.requests.cancel(second.id, { credentials: as(users.mallory) }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    await tb.requests.approve(second.id, {}, { credentials: as(users.bob) });
    const cancelled = await tb.requests.cancel(second.id, {
      credentials: as(users.alice),
    });
    expect(cancelled).toMatchObject({
      state: 'cancelled',
      cancellation: { by: users.alice },
    });
    await expect(
      tb.requests.cancel(second.id, { credentials: as(users.alice) }),
    ).rejects.toMatchObject({ name: 'ConflictError' });
  });

  it('names the snapshots of active requests, so that pruning keeps them', async () => {
    const tb = await testbed({ decide: realisticPolicy });
    expect(await tb.store.activeSnapshotIds()).toEqual(new Set());

    const request = await ask(tb);
    expect(await tb.store.activeSnapshotIds()).toEqual(new Set(['ledger-1']));

    await tb.requests.reject(
      request.id,
      { reason: 'not this one' },
      { credentials: as(users.bob) },
    );
    expect(await tb.store.activeSnapshotIds()).toEqual(new Set());
  });

  it('lists the requests of databases the caller may read, newest first, filtered', async () => {
    const tb = await testbed({
      decide: (permission, user) =>
        permission === 'dbaas.database.read' && user === users.mallory
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    });
    const a = await ask(tb);
    tb.clock.advance(60_000);
    const b = await ask(
      tb,
      { snapshotId: 'orders-1' },
      { namespace: 'checkout', name: 'orders' },
    );
    expect((await tb.requests.list({}, as(users.bob))).map(r => r.id)).toEqual([
      b.id,
      a.id,
    ]);
    expect(
      (
        await tb.requests.list(
          { namespace: 'payments', status: 'pending-approval' },
          as(users.bob),
        )
      ).map(r => r.id),
    ).toEqual([a.id]);
    expect(await tb.requests.list({}, as(users.mallory))).toEqual([]);
    await expect(
      tb.requests.get(a.id, as(users.mallory)),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    await expect(
      tb.requests.get('missing', as(users.bob)),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });
});
