import { TestDatabases } from '@backstage/backend-test-utils';
import { RestorePreviewTable } from '@dbaas/plugin-dbaas-common';
import {
  createFinalizeTestbed,
  FinalizeTestbed,
} from './__testUtils__/finalizeTestbed';
import { as, users } from './__testUtils__/restoreTestbed';
import { databasesLike } from './workflow/engines/testFixtures';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const HOUR = 3_600_000;

/**
 * Preview before an in-place swap, end to end on a real PostgreSQL server:
 * the real request service, store, executor, self-hosted engine (pg_dump
 * snapshot, pg_restore into the scratch copy, verify) and previewer.
 */
describe('finalizing an in-place restore', () => {
  let tb: FinalizeTestbed;

  beforeAll(async () => {
    tb = await createFinalizeTestbed(await databases.init('POSTGRES_15'));
  });
  afterAll(async () => {
    await tb?.cleanup();
  });

  const get = (id: string, user = users.alice) => tb.requests.get(id, as(user));
  const rowsOf = async (database: string, table: string) =>
    Number(
      (
        await tb.sql<{ n: string }>(
          database,
          `SELECT count(*)::text AS n FROM ${table}`,
        )
      )[0].n,
    );
  const tableOf = (tables: RestorePreviewTable[], name: string) =>
    tables.find(t => t.schema === 'public' && t.name === name);
  const scratchCopies = () => databasesLike(`${tb.databases.orders}_restore_`);

  it('stops a standard restore in awaiting-finalize with a preview of what the swap changes, and swaps once when finalized by the requester', async () => {
    const db = tb.databases.orders;
    // Changes since the snapshot: rows in and out, a table added, one
    // dropped, a column dropped and one added.
    await tb.asAdmin(db, [
      `INSERT INTO items (label) SELECT 'new ' || i FROM generate_series(1, 5) i`,
      `DELETE FROM customers WHERE id = 3`,
      `CREATE TABLE audit (id int, at timestamptz)`,
      `INSERT INTO audit SELECT i, now() FROM generate_series(1, 4) i`,
      `DROP TABLE legacy`,
      `ALTER TABLE items DROP COLUMN note`,
      `ALTER TABLE customers ADD COLUMN email text`,
    ]);

    const id = await tb.approvedInPlace('orders');
    expect(await get(id)).toMatchObject({
      state: 'approved',
      finalizeRequired: true,
    });
    expect(await tb.executor('a').runOnce()).toEqual({ [id]: 'waiting' });

    const waiting = await get(id);
    expect(waiting).toMatchObject({
      state: 'awaiting-finalize',
      currentStep: 'swap',
      finalizeDeadline: new Date(
        tb.clock.now().getTime() + 2 * HOUR,
      ).toISOString(),
      allowedActions: ['cancel', 'finalize'],
    });
    // The live database is untouched so far; the copy waits, closed.
    expect(await rowsOf(db, 'items')).toBe(15);
    const [scratch] = await scratchCopies();
    expect(scratch).toBeDefined();
    expect(
      await tb.sql(
        'postgres',
        `SELECT datallowconn FROM pg_database WHERE datname = '${scratch}'`,
      ),
    ).toEqual([{ datallowconn: false }]);

    const preview = await tb.requests.preview(id, as(users.alice));
    expect(preview).toMatchObject({
      restoreId: id,
      databaseName: db,
      scratchDatabaseName: scratch,
      finalizeDeadline: waiting.finalizeDeadline,
      totals: {
        rowsAtSnapshot: 15,
        rowsNow: 21,
        tablesAddedSince: 1,
        tablesDroppedSince: 1,
        tablesWithOtherRowCounts: 2,
        columnsAddedSince: 1,
        columnsDroppedSince: 1,
      },
    });
    expect(tableOf(preview.tables, 'items')).toEqual({
      schema: 'public',
      name: 'items',
      presence: 'in-both',
      rowsAtSnapshot: 10,
      rowsNow: 15,
      columnsAddedSince: [],
      columnsDroppedSince: ['note'],
      columnsRetyped: [],
    });
    expect(tableOf(preview.tables, 'customers')).toMatchObject({
      presence: 'in-both',
      rowsAtSnapshot: 3,
      rowsNow: 2,
      columnsAddedSince: ['email'],
      columnsDroppedSince: [],
    });
    expect(tableOf(preview.tables, 'audit')).toMatchObject({
      presence: 'added-since-snapshot',
      rowsNow: 4,
    });
    expect(tableOf(preview.tables, 'audit')?.rowsAtSnapshot).toBeUndefined();
    expect(tableOf(preview.tables, 'legacy')).toMatchObject({
      presence: 'dropped-since-snapshot',
      rowsAtSnapshot: 2,
    });
    expect(tableOf(preview.tables, 'legacy')?.rowsNow).toBeUndefined();
    // Every table differs here; differences come first.
    expect(preview.tables.map(t => t.name)).toEqual([
      'audit',
      'customers',
      'items',
      'legacy',
    ]);

    // The live data goes on changing: a later look counts it again.
    tb.clock.advance(60_000);
    await tb.asAdmin(db, [`INSERT INTO items (label) VALUES ('x'), ('y')`]);
    const again = await tb.requests.preview(id, as(users.bob));
    expect(tableOf(again.tables, 'items')).toMatchObject({
      rowsAtSnapshot: 10,
      rowsNow: 17,
    });
    expect(again.totals.rowsNow).toBe(23);
    expect(again.liveCountedAt).toBe(tb.clock.now().toISOString());
    expect(again.snapshotCountedAt).toBe(preview.snapshotCountedAt);

    // A restarted backend (a new executor on the same database) leaves
    // the request as it is: nothing is due, the deadline stays.
    expect(await tb.executor('after-restart').runOnce()).toEqual({});
    expect(await get(id)).toMatchObject({
      state: 'awaiting-finalize',
      finalizeDeadline: waiting.finalizeDeadline,
    });

    // Nobody but the requester finalizes a standard database's restore.
    await expect(
      tb.requests.finalize(id, {}, { credentials: as(users.bob) }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });

    // Two finalize calls at once: one wins.
    const calls = await Promise.allSettled([
      tb.requests.finalize(
        id,
        { comment: 'looks right' },
        { credentials: as(users.alice) },
      ),
      tb.requests.finalize(id, {}, { credentials: as(users.alice) }),
    ]);
    const won = calls.filter(c => c.status === 'fulfilled');
    const lost = calls.filter(
      (c): c is PromiseRejectedResult => c.status === 'rejected',
    );
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0].reason).toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        `was already finalized by ${users.alice}`,
      ),
    });
    const finalized = await get(id);
    expect(finalized).toMatchObject({
      state: 'running',
      currentStep: 'swap',
      finalization: { by: users.alice },
    });

    // Two replicas driving at once: one swap.
    const outcomes = await Promise.all([
      tb.executor('a').runOnce(),
      tb.executor('b').runOnce(),
    ]);
    expect(
      outcomes.flatMap(o => Object.values(o)).filter(o => o === 'finished'),
    ).toHaveLength(1);
    const done = await get(id);
    expect(done.state).toBe('succeeded');
    expect(done.log.filter(l => l.message === 'Step swap done').length).toBe(1);

    // The snapshot's data is live; the data of just before is the safety copy.
    expect(await rowsOf(db, 'items')).toBe(10);
    expect(await rowsOf(db, 'legacy')).toBe(2);
    expect(await tb.sql(db, `SELECT to_regclass('public.audit') AS t`)).toEqual(
      [{ t: null }],
    );
    const safety = done.safetyCopy!.databaseName;
    expect(await rowsOf(safety, 'items')).toBe(17);
    expect(await rowsOf(safety, 'audit')).toBe(4);
    expect(await scratchCopies()).toEqual([]);

    // The step log tells the story; each new state was audited and told.
    const messages = done.log.map(l => l.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'Started: preflight → restore → verify → preview → swap → grants → cleanup',
        expect.stringMatching(
          /^Preview: 4 table\(s\); 15 row\(s\) at the snapshot, 21 now/,
        ),
        expect.stringMatching(/^Awaiting finalize: /),
        `Finalized by ${users.alice}: looks right; the swap runs next`,
      ]),
    );
    expect(done.log.find(l => l.message.startsWith('Preview:'))?.step).toBe(
      'preview',
    );
    expect(
      tb.audits
        .filter(a => a.meta?.restoreId === id)
        .map(a => [a.eventId, a.meta?.outcome ?? a.outcome]),
    ).toEqual(
      expect.arrayContaining([
        ['restore-run', 'awaiting-finalize'],
        ['restore-finalize', 'success'],
        ['restore-finalize', 'fail'],
        ['restore-run', 'succeeded'],
      ]),
    );
    expect(tb.sent.map(n => n.title)).toEqual(
      expect.arrayContaining([
        `Restore of ${db} is ready to finalize`,
        // A person's name, not their entity ref.
        `Restore of ${db} finalized by alice: the swap runs now`,
      ]),
    );
    const ready = tb.payloads.find(
      p => p.title === `Restore of ${db} is ready to finalize`,
    );
    expect(ready?.description).toMatch(
      /^Review what the swap changes and finalize before \w{3} \d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC \(the requester, alice\)/,
    );
  });

  it('drops the restored copy and ends expired when nobody finalizes in time, leaving the live database untouched', async () => {
    const db = tb.databases.orders;
    const before = await rowsOf(db, 'items');
    const id = await tb.approvedInPlace('orders');
    expect(await tb.executor('a').runOnce()).toEqual({ [id]: 'waiting' });
    const { finalizeDeadline } = await get(id);
    expect(await scratchCopies()).toHaveLength(1);

    // Not yet due.
    tb.clock.advance(2 * HOUR - 1_000);
    expect(await tb.requests.expireDue()).toBe(0);
    tb.clock.advance(1_000);
    // A finalize at the deadline is too late, and expires it on the way.
    await expect(
      tb.requests.finalize(id, {}, { credentials: as(users.alice) }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        `passed its finalize deadline (${finalizeDeadline})`,
      ),
    });
    expect(await get(id)).toMatchObject({
      state: 'running',
      currentStep: 'cleanup',
      allowedActions: [],
    });
    // The expiry pass finds nothing more to expire.
    expect(await tb.requests.expireDue()).toBe(0);

    expect(await tb.executor('b').runOnce()).toEqual({ [id]: 'finished' });
    const expired = await get(id);
    expect(expired.state).toBe('expired');
    expect(expired.safetyCopy).toBeUndefined();
    expect(await scratchCopies()).toEqual([]);
    expect(await rowsOf(db, 'items')).toBe(before);
    expect(expired.log.map(l => l.message)).toEqual(
      expect.arrayContaining([
        'Not finalized before the deadline: dropping the restored copy; the live database stays as it is',
        expect.stringMatching(/^dropped the scratch database/),
        `Expired before the swap: the restored copy is dropped, ${db} is as it was`,
      ]),
    );
    expect(
      tb.audits
        .filter(a => a.meta?.restoreId === id)
        .map(a => [a.eventId, a.meta?.stage ?? a.meta?.outcome]),
    ).toEqual(
      expect.arrayContaining([
        ['restore-expire', 'awaiting-finalize'],
        ['restore-run', 'expired'],
      ]),
    );
  });

  it('expires through the restore task when the deadline passes unnoticed', async () => {
    const id = await tb.approvedInPlace('orders');
    expect(await tb.executor('a').runOnce()).toEqual({ [id]: 'waiting' });
    tb.clock.advance(2 * HOUR);
    expect(await tb.requests.expireDue()).toBe(1);
    expect(await tb.executor('a').runOnce()).toEqual({ [id]: 'finished' });
    expect((await get(id)).state).toBe('expired');
    expect(await scratchCopies()).toEqual([]);
    expect(tb.sent.map(n => n.title)).toEqual(
      expect.arrayContaining([
        `Restore of ${tb.databases.orders} was not finalized in time`,
        `Restore of ${tb.databases.orders} expired before the swap`,
      ]),
    );
  });

  it('lets the requester cancel while awaiting finalize: the copy is dropped, the request ends cancelled', async () => {
    const id = await tb.approvedInPlace('orders');
    await tb.executor('a').runOnce();
    const cancelled = await tb.requests.cancel(id, {
      credentials: as(users.alice),
    });
    expect(cancelled).toMatchObject({
      state: 'running',
      cancellation: { by: users.alice },
    });
    await expect(
      tb.requests.finalize(id, {}, { credentials: as(users.alice) }),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    expect(await tb.executor('a').runOnce()).toEqual({ [id]: 'finished' });
    expect((await get(id)).state).toBe('cancelled');
    expect(await scratchCopies()).toEqual([]);
  });

  it('resumes the preview step after a crash in it, on another replica', async () => {
    const id = await tb.approvedInPlace('orders');
    // preflight, restore, verify, then the preview's work is done but its
    // outcome is never saved, as if the process died right then.
    expect(
      await tb
        .executor('a')
        .runOnce({ maxSteps: 4, abandonBeforePersisting: true }),
    ).toEqual({ [id]: 'stopped' });
    expect((await get(id)).currentStep).toBe('preview');
    tb.clock.advance(120_001);
    expect(await tb.executor('b').runOnce()).toEqual({ [id]: 'waiting' });
    const waiting = await get(id);
    expect(waiting.state).toBe('awaiting-finalize');
    expect(waiting.log.map(l => l.message)).toContain(
      'Resuming step preview after an interruption',
    );
    const preview = await tb.requests.preview(id, as(users.alice));
    expect(preview.totals.rowsAtSnapshot).toBe(15);
    await tb.requests.cancel(id, { credentials: as(users.alice) });
    await tb.executor('b').runOnce();
  });

  it('needs an approver to finalize a protected database: the requester alone is refused and audited', async () => {
    const db = tb.databases.vault;
    await tb.asAdmin(db, [`DELETE FROM secrets WHERE id > 2`]);
    const id = await tb.approvedInPlace('vault');
    expect(await tb.executor('a').runOnce()).toEqual({ [id]: 'waiting' });
    const waiting = await get(id);
    expect(waiting).toMatchObject({
      state: 'awaiting-finalize',
      finalizeDeadline: new Date(
        tb.clock.now().getTime() + 4 * HOUR,
      ).toISOString(),
      allowedActions: ['cancel'],
    });
    expect((await get(id, users.bob)).allowedActions).toEqual([
      'cancel',
      'finalize',
    ]);
    const preview = await tb.requests.preview(id, as(users.carol));
    expect(tableOf(preview.tables, 'secrets')).toMatchObject({
      rowsAtSnapshot: 5,
      rowsNow: 2,
    });

    await expect(
      tb.requests.finalize(id, {}, { credentials: as(users.alice) }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: `${db} is protected: an approver finalizes its restore, never its requester alone`,
    });
    const refused = tb.audits.filter(
      a => a.eventId === 'restore-finalize' && a.meta?.restoreId === id,
    );
    expect(refused).toEqual([
      expect.objectContaining({
        severityLevel: 'high',
        outcome: 'fail',
        meta: expect.objectContaining({ actor: users.alice }),
      }),
    ]);
    // The approve permission without the approvers group is not enough.
    await expect(
      tb.requests.finalize(id, {}, { credentials: as(users.dave) }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect((await get(id)).state).toBe('awaiting-finalize');
    expect(await rowsOf(db, 'secrets')).toBe(2);

    await tb.requests.finalize(
      id,
      { comment: 'checked with alice' },
      { credentials: as(users.bob) },
    );
    expect(await tb.executor('a').runOnce()).toEqual({ [id]: 'finished' });
    expect(await get(id)).toMatchObject({
      state: 'succeeded',
      finalization: { by: users.bob, comment: 'checked with alice' },
    });
    expect(await rowsOf(db, 'secrets')).toBe(5);
  });

  it('skips the preview for a mode that does not require it', async () => {
    const skipping = await createFinalizeTestbed(
      await databases.init('POSTGRES_15'),
      {
        finalize: {
          standard: { required: false, timeLimitMs: HOUR },
          protected: { required: true, timeLimitMs: HOUR },
        },
      },
    );
    try {
      const id = await skipping.approvedInPlace('orders');
      expect(
        (await skipping.requests.get(id, as(users.alice))).finalizeRequired,
      ).toBe(false);
      expect(await skipping.executor('a').runOnce()).toEqual({
        [id]: 'finished',
      });
      const done = await skipping.requests.get(id, as(users.alice));
      expect(done.state).toBe('succeeded');
      expect(done.log.map(l => l.message)).toContain(
        'Started: preflight → restore → verify → swap → grants → cleanup',
      );
      await expect(
        skipping.requests.preview(id, as(users.alice)),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
    } finally {
      await skipping.cleanup();
    }
  });
});
