import { TestDatabases } from '@backstage/backend-test-utils';
import {
  as,
  createRestoreTestbed,
  users,
} from '../__testUtils__/restoreTestbed';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const LEASE = 120_000;
const DAY = 24 * 3_600_000;
type Testbed = Awaited<ReturnType<typeof createRestoreTestbed>>;

describe('RestoreExecutor', () => {
  async function testbed() {
    const tb = await createRestoreTestbed(await databases.init('POSTGRES_15'));
    tb.engine.databases.set('payments-ledger', 'today');
    tb.engine.databases.set('payments-vault', 'today');
    return tb;
  }

  /** An approved request, as the executor finds it. */
  async function approved(
    tb: Testbed,
    kind: 'in-place' | 'new-database' = 'in-place',
  ) {
    const created = await tb.requests.create(
      { namespace: 'payments', name: 'ledger' },
      { snapshotId: 'ledger-1', target: kind, reason: 'dropped a table' },
      { credentials: as(users.alice) },
    );
    await tb.requests.approve(created.id, {}, { credentials: as(users.bob) });
    return created.id;
  }

  const stateOf = async (tb: Testbed, id: string) =>
    tb.requests.get(id, as(users.bob));

  it('runs an in-place restore step by step, keeping the previous data as a safety copy', async () => {
    const tb = await testbed();
    const id = await approved(tb);
    expect(await tb.executor('a').runOnce()).toEqual({ [id]: 'finished' });
    expect(tb.engine.calls).toEqual([
      'preflight',
      'restore',
      'verify',
      'swap',
      'grants',
      'cleanup',
    ]);
    expect(tb.engine.databases).toEqual(
      new Map([
        ['payments-ledger', 'snapshot:ledger-1'],
        ['payments-vault', 'today'],
        ['payments-ledger_safety', 'today'],
      ]),
    );
    const done = await stateOf(tb, id);
    expect(done).toMatchObject({
      state: 'succeeded',
      safetyCopy: {
        databaseName: 'payments-ledger_safety',
        dropAfter: new Date(tb.clock.now().getTime() + 7 * DAY).toISOString(),
      },
      allowedActions: [],
    });
    expect(done.currentStep).toBeUndefined();
    expect(done.log.map(l => l.message)).toEqual(
      expect.arrayContaining([
        'Started: preflight → restore → verify → swap → grants → cleanup',
        'target checked',
        'Step swap done',
        expect.stringContaining(
          'The previous data is kept in payments-ledger_safety',
        ),
        expect.stringContaining('Succeeded'),
      ]),
    );
    expect(
      tb.audits
        .filter(a => a.eventId === 'restore-run')
        .map(a => a.meta?.outcome),
    ).toEqual(['started', 'succeeded']);
    expect(tb.sent.at(-1)!.recipients).toEqual([users.alice, users.bob]);
  });

  it.each([false, true])(
    'resumes after being killed between any two steps (or right after a step, before saving it: %s) and ends succeeded',
    async abandonBeforePersisting => {
      const tb = await testbed();
      // preflight..cleanup: 6 steps; every kill point, one request each.
      for (let kill = 1; kill <= 6; kill += 1) {
        tb.engine.databases.set('payments-ledger', `today-${kill}`);
        tb.engine.databases.delete('payments-ledger_safety');
        const id = await approved(tb);
        const killed = tb.executor(`replica-a-${kill}`);
        expect(
          await killed.runOnce({ maxSteps: kill, abandonBeforePersisting }),
        ).toEqual({
          [id]: 'stopped',
        });
        const survivor = tb.executor(`replica-b-${kill}`);
        // The dead replica's lease still holds...
        expect(await survivor.runOnce()).toEqual({});
        // ...until it expires.
        tb.clock.advance(LEASE + 1);
        expect(await survivor.runOnce()).toEqual({ [id]: 'finished' });
        const done = await stateOf(tb, id);
        expect(done.state).toBe('succeeded');
        expect(tb.engine.databases.get('payments-ledger')).toBe(
          'snapshot:ledger-1',
        );
        expect(tb.engine.databases.get('payments-ledger_safety')).toBe(
          `today-${kill}`,
        );
        expect(tb.engine.databases.has('payments-ledger_restore')).toBe(false);
        // Only a step that ran without being saved is resumed (re-run).
        expect(done.log.some(l => l.message.startsWith('Resuming step'))).toBe(
          abandonBeforePersisting,
        );
        // The next request of the loop needs this one's safety copy gone.
        await tb
          .knex('dbaas_restore_requests')
          .where({ id })
          .update({ safety_copy_dropped_at: new Date() });
      }
    },
  );

  it('on a failing step runs cleanup, leaves the original untouched and ends failed with the log', async () => {
    const tb = await testbed();
    tb.engine.failAt.add('verify');
    const id = await approved(tb);
    // Killed after the failure was recorded, before cleanup ran: cleanup still happens.
    await tb.executor('a').runOnce({ maxSteps: 3 });
    expect((await tb.store.get(id))!.phase).toBe('cleanup');
    tb.clock.advance(LEASE + 1);
    await tb.executor('b').runOnce();
    expect(tb.engine.calls).toEqual([
      'preflight',
      'restore',
      'verify',
      'cleanup()',
    ]);
    expect(tb.engine.databases.get('payments-ledger')).toBe('today');
    expect(tb.engine.databases.has('payments-ledger_restore')).toBe(false);
    const failed = await stateOf(tb, id);
    expect(failed).toMatchObject({
      state: 'failed',
      currentStep: 'verify',
      error: 'Step verify failed: verify broke on purpose',
    });
    expect(failed.log.map(l => [l.level, l.step, l.message])).toEqual(
      expect.arrayContaining([
        ['error', 'verify', 'Step verify failed: verify broke on purpose'],
        ['info', 'cleanup', 'Cleaned up'],
        [
          'error',
          undefined,
          'Failed: Step verify failed: verify broke on purpose',
        ],
      ]),
    );
    expect(tb.audits.at(-1)).toMatchObject({
      eventId: 'restore-run',
      outcome: 'fail',
      severityLevel: 'high',
    });
    // Over: the database may be restored again.
    await expect(approved(tb, 'new-database')).resolves.toBeDefined();
  });

  it('puts the original back when a step after the swap fails', async () => {
    const tb = await testbed();
    tb.engine.failAt.add('grants');
    const id = await approved(tb);
    await tb.executor('a').runOnce();
    expect((await stateOf(tb, id)).state).toBe('failed');
    expect(tb.engine.databases.get('payments-ledger')).toBe('today');
    expect(tb.engine.databases.has('payments-ledger_safety')).toBe(false);
    // The copy was recorded at the swap; dropping it later is harmless.
    tb.clock.advance(7 * DAY);
    expect(await tb.executor('a').dropDueSafetyCopies()).toBe(1);
    expect(tb.engine.databases.get('payments-ledger')).toBe('today');
  });

  it('retries a failing cleanup later and ends failed once it worked', async () => {
    const tb = await testbed();
    tb.engine.failAt.add('restore');
    tb.engine.cleanupFailures = 1;
    const id = await approved(tb);
    expect(await tb.executor('a').runOnce()).toEqual({ [id]: 'waiting' });
    expect(await tb.executor('a').runOnce()).toEqual({});
    tb.clock.advance(60_000);
    expect(await tb.executor('b').runOnce()).toEqual({ [id]: 'finished' });
    const failed = await stateOf(tb, id);
    expect(failed.state).toBe('failed');
    expect(failed.log.map(l => l.message)).toContain(
      'Cleanup failed, retrying: cleanup broke on purpose',
    );
  });

  it('fails a step that keeps getting interrupted instead of retrying it forever', async () => {
    const tb = await testbed();
    const id = await approved(tb);
    // preflight finishes; then restore dies three times before reporting back.
    for (let kill = 0; kill < 4; kill += 1) {
      await tb
        .executor(`r${kill}`)
        .runOnce({ maxSteps: 1, abandonBeforePersisting: kill > 0 });
      tb.clock.advance(LEASE + 1);
    }
    await tb.executor('last').runOnce();
    const failed = await stateOf(tb, id);
    expect(failed).toMatchObject({
      state: 'failed',
      error: 'Step restore failed: interrupted 3 times without finishing',
    });
    expect(tb.engine.calls).toEqual([
      'preflight',
      'restore',
      'restore',
      'restore',
      'cleanup()',
    ]);
  });

  it('honours wait: the same step runs again once due, by any replica', async () => {
    const tb = await testbed();
    tb.engine.waitAt.set('restore', 2);
    const id = await approved(tb, 'new-database');
    expect(await tb.executor('a').runOnce()).toEqual({ [id]: 'waiting' });
    expect(await tb.executor('b').runOnce()).toEqual({});
    tb.clock.advance(30_000);
    expect(await tb.executor('b').runOnce()).toEqual({ [id]: 'waiting' });
    tb.clock.advance(30_000);
    expect(await tb.executor('a').runOnce()).toEqual({ [id]: 'finished' });
    expect(tb.engine.calls.filter(c => c === 'restore')).toHaveLength(3);
    const done = await tb.store.get(id);
    expect(done).toMatchObject({
      state: 'succeeded',
      workState: { restorePolls: 1, targetReserved: true },
    });
    expect(
      tb.engine.databases.get('payments-ledger-restored-202611261000'),
    ).toBe('snapshot:ledger-1');
    expect(tb.engine.databases.get('payments-ledger')).toBe('today');
  });

  it('lets exactly one of several replicas drive a request', async () => {
    const tb = await testbed();
    const id = await approved(tb);
    const outcomes = await Promise.all(
      ['a', 'b', 'c', 'd'].map(owner => tb.executor(owner).drive(id)),
    );
    expect(outcomes.filter(o => o === 'finished')).toHaveLength(1);
    expect(outcomes.filter(o => o === 'not-claimed')).toHaveLength(3);
    expect(tb.engine.calls.filter(c => c === 'preflight')).toHaveLength(1);
  });

  it('stops a replica whose lease was taken over, without writing', async () => {
    const tb = await testbed();
    const id = await approved(tb);
    const slow = tb.executor('slow');
    await slow.runOnce({ maxSteps: 1 });
    tb.clock.advance(LEASE + 1);
    await tb.executor('fast').runOnce({ maxSteps: 1 });
    // The slow replica comes back and tries to go on: its saves are refused.
    expect(await slow.drive(id)).toBe('not-claimed');
    const row = await tb.store.get(id);
    expect(row!.leaseOwner).toBe('fast');
  });

  it('never runs an approved request that changed or expired before it started', async () => {
    const tb = await testbed();
    const changed = await approved(tb);
    await tb
      .knex('dbaas_restore_requests')
      .where({ id: changed })
      .update({ target_database_name: 'payments-other' });
    await tb.executor('a').runOnce();
    expect(await stateOf(tb, changed)).toMatchObject({
      state: 'failed',
      error: 'The request changed after it was made; its approvals are void',
    });

    const late = await approved(tb, 'new-database');
    tb.clock.advance(DAY);
    await tb.executor('a').runOnce();
    expect((await stateOf(tb, late)).state).toBe('expired');
    expect(tb.engine.calls).toEqual([]);
  });

  it('refuses to start with approvals from the requester, whatever got them stored', async () => {
    const tb = await testbed();
    const created = await tb.requests.create(
      { namespace: 'payments', name: 'ledger' },
      { snapshotId: 'ledger-1', target: 'in-place', reason: 'x' },
      { credentials: as(users.alice) },
    );
    await tb.knex('dbaas_restore_approvals').insert({
      request_id: created.id,
      approved_by: users.alice,
      approved_at: tb.clock.now(),
      fingerprint: created.fingerprint,
    });
    await tb
      .knex('dbaas_restore_requests')
      .where({ id: created.id })
      .update({ state: 'approved' });
    await tb.executor('a').runOnce();
    expect((await stateOf(tb, created.id)).error).toContain(
      '0 valid approval(s) of the 1 required',
    );
    expect(tb.engine.calls).toEqual([]);
  });

  it('drops the safety copy once its time is up, and only then', async () => {
    const tb = await testbed();
    const id = await approved(tb);
    await tb.executor('a').runOnce();
    tb.clock.advance(7 * DAY - 1);
    expect(await tb.executor('a').dropDueSafetyCopies()).toBe(0);
    expect(tb.engine.databases.has('payments-ledger_safety')).toBe(true);
    tb.clock.advance(1);
    expect(await tb.executor('b').dropDueSafetyCopies()).toBe(1);
    expect(tb.engine.droppedSafetyCopies).toEqual(['payments-ledger_safety']);
    expect(tb.engine.databases.has('payments-ledger_safety')).toBe(false);
    const after = await stateOf(tb, id);
    expect(after.safetyCopy).toMatchObject({ dropped: true });
    expect(after.log.at(-1)).toMatchObject({
      step: 'drop-safety-copy',
      message: expect.stringContaining('dropped'),
    });
    expect(await tb.executor('b').dropDueSafetyCopies()).toBe(0);
  });
});
