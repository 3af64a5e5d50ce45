import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';
import { DatabaseSyncRequestStore } from './DatabaseSyncRequestStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const TASK = 'dbaas-inventory-sync';
const MINUTE = 60_000;

describe('DatabaseSyncRequestStore', () => {
  let knex: Knex;
  let store: DatabaseSyncRequestStore;

  beforeAll(async () => {
    knex = await databases.init('POSTGRES_15');
    await applyDatabaseMigrations(mockServices.database({ knex }));
  });

  beforeEach(async () => {
    await knex('dbaas_inventory_sync_requests').delete();
    store = new DatabaseSyncRequestStore(knex);
    await store.ensureTask(TASK);
  });

  /** Moves the last webhook cycle's start into the past, by `ms`. */
  const webhookCycleAgo = (ms: number) =>
    knex('dbaas_inventory_sync_requests')
      .where({ task_id: TASK })
      .update({
        webhook_cycle_at: knex.raw(`now() - interval '${ms} milliseconds'`),
      });

  it('keeps its counts when the task row is ensured again (another replica starting)', async () => {
    await store.addRequest(TASK, 'refresh');
    await store.ensureTask(TASK);
    expect(await store.counts(TASK)).toMatchObject({ requested: 1, served: 0 });
  });

  it('coalesces requests until a cycle takes them in, and counts cycles', async () => {
    expect(await store.addRequest(TASK, 'refresh')).toEqual({
      coalesced: false,
    });
    expect(await store.addRequest(TASK, 'refresh')).toEqual({
      coalesced: true,
    });
    expect(await store.pending(TASK)).toMatchObject({ waiting: true });

    const first = await store.beginCycle(TASK, {
      quietPeriodMs: 0,
      followUp: false,
    });
    expect(first).toMatchObject({
      run: true,
      reason: 'refresh',
      previouslyServed: 0,
    });
    expect(await store.pending(TASK)).toMatchObject({ waiting: false });
    // Nothing new: a follow-up cycle in the same run is not needed.
    expect(
      await store.beginCycle(TASK, { quietPeriodMs: 0, followUp: true }),
    ).toEqual({ run: false, reason: 'nothing-requested' });

    // A request after the cycle started is a new one, not coalesced.
    expect(await store.addRequest(TASK, 'refresh')).toEqual({
      coalesced: false,
    });
    expect(
      await store.beginCycle(TASK, { quietPeriodMs: 0, followUp: true }),
    ).toMatchObject({ run: true, reason: 'refresh', previouslyServed: 2 });
    expect(await store.counts(TASK)).toEqual({
      requested: 3,
      served: 3,
      cycles: 2,
      skipped: 0,
      lastCycleReason: 'refresh',
    });
  });

  it('answers ten simultaneous requests with one "not coalesced" and nine coalesced', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.addRequest(TASK, i % 2 ? 'webhook' : 'refresh'),
      ),
    );
    expect(outcomes.filter(o => !o.coalesced)).toHaveLength(1);
    expect((await store.counts(TASK)).requested).toBe(10);
    expect(
      await store.beginCycle(TASK, { quietPeriodMs: 0, followUp: false }),
    ).toMatchObject({ run: true, reason: 'webhook' });
    expect(await store.counts(TASK)).toMatchObject({ served: 10, cycles: 1 });
  });

  it('skips a scheduled cycle within the quiet period after a webhook cycle, and runs it after', async () => {
    // No webhook cycle yet: scheduled cycles run.
    expect(
      await store.beginCycle(TASK, {
        quietPeriodMs: 5 * MINUTE,
        followUp: false,
      }),
    ).toMatchObject({ run: true, reason: 'schedule' });

    await store.addRequest(TASK, 'webhook');
    const webhookCycle = await store.beginCycle(TASK, {
      quietPeriodMs: 5 * MINUTE,
      followUp: false,
    });
    expect(webhookCycle).toMatchObject({ run: true, reason: 'webhook' });
    // Not completed yet: the quiet period has not started.
    expect(
      await store.beginCycle(TASK, {
        quietPeriodMs: 5 * MINUTE,
        followUp: false,
      }),
    ).toMatchObject({ run: true, reason: 'schedule' });

    await store.webhookCycleCompleted(
      TASK,
      (webhookCycle as { startedAt: Date }).startedAt,
    );
    expect(
      await store.beginCycle(TASK, {
        quietPeriodMs: 5 * MINUTE,
        followUp: false,
      }),
    ).toEqual({ run: false, reason: 'quiet-period' });
    // A refresh within the quiet period still runs.
    await store.addRequest(TASK, 'refresh');
    expect(
      await store.beginCycle(TASK, {
        quietPeriodMs: 5 * MINUTE,
        followUp: false,
      }),
    ).toMatchObject({ run: true, reason: 'refresh' });

    await webhookCycleAgo(5 * MINUTE + 1000);
    expect(
      await store.beginCycle(TASK, {
        quietPeriodMs: 5 * MINUTE,
        followUp: false,
      }),
    ).toMatchObject({ run: true, reason: 'schedule' });
    // A quiet period of 0 never skips.
    await webhookCycleAgo(0);
    expect(
      await store.beginCycle(TASK, { quietPeriodMs: 0, followUp: false }),
    ).toMatchObject({ run: true, reason: 'schedule' });
    expect(await store.counts(TASK)).toMatchObject({ cycles: 6, skipped: 1 });
  });

  it('never moves the quiet period back when a slower cycle completes last', async () => {
    await webhookCycleAgo(1000);
    await store.webhookCycleCompleted(TASK, new Date(Date.now() - 10 * MINUTE));
    expect(
      await store.beginCycle(TASK, {
        quietPeriodMs: 5 * MINUTE,
        followUp: false,
      }),
    ).toEqual({ run: false, reason: 'quiet-period' });
  });

  it('puts the requests of a failed cycle back, including when more came meanwhile', async () => {
    await store.addRequest(TASK, 'webhook');
    const failed = await store.beginCycle(TASK, {
      quietPeriodMs: 0,
      followUp: false,
    });
    await store.addRequest(TASK, 'refresh');
    await store.cycleFailed(
      TASK,
      (failed as { previouslyServed: number }).previouslyServed,
    );
    await webhookCycleAgo(0); // an earlier webhook cycle's quiet period
    expect(await store.pending(TASK)).toMatchObject({ waiting: true });
    // The scheduled poll is not skipped: requests wait, a webhook among them.
    expect(
      await store.beginCycle(TASK, {
        quietPeriodMs: 5 * MINUTE,
        followUp: false,
      }),
    ).toMatchObject({ run: true, reason: 'webhook', previouslyServed: 0 });
  });

  it('measures the time since the last request with the database clock', async () => {
    expect(await store.pending(TASK)).toEqual({
      waiting: false,
      msSinceLastRequest: undefined,
    });
    await store.addRequest(TASK, 'refresh');
    await knex('dbaas_inventory_sync_requests')
      .where({ task_id: TASK })
      .update({ last_requested_at: knex.raw(`now() - interval '2 seconds'`) });
    const { msSinceLastRequest } = await store.pending(TASK);
    expect(msSinceLastRequest).toBeGreaterThanOrEqual(2000);
    expect(msSinceLastRequest).toBeLessThan(5000);
  });
});
