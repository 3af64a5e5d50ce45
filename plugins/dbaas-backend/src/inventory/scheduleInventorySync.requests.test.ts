import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  SchedulerReplica,
  schedulerReplicas,
} from '../__testUtils__/schedulerReplicas';
import { applyDatabaseMigrations } from '../database/migrations';
import { DatabaseSyncRequestStore } from './DatabaseSyncRequestStore';
import { InventorySyncResult } from './InventorySync';
import {
  INVENTORY_SYNC_TASK_ID,
  scheduleInventorySync,
} from './scheduleInventorySync';

jest.setTimeout(60_000);

// Requests for a cycle (POST /refresh, webhooks) against the real
// scheduler on real PostgreSQL, with one or two replicas: how many cycles
// run is counted by the sync itself.
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

const emptyResult: InventorySyncResult = {
  changes: [],
  clusters: [],
  problems: [],
};

interface Run {
  replica: number;
  start: number;
  end?: number;
}

describe('scheduleInventorySync requests', () => {
  let stop: (() => Promise<void>) | undefined;
  const logger = mockServices.rootLogger({ level: 'none' });

  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  /**
   * `count` replicas with the task scheduled on each; every cycle is
   * recorded in `runs`; `fail(run number)` makes that run throw.
   */
  async function start(options: {
    count: number;
    frequency: { seconds: number } | { hours: number };
    debounceMs: number;
    quietPeriodMs: number;
    durationMs?: number;
    fail?: (runNumber: number) => boolean;
  }) {
    const started = await schedulerReplicas(databases, options.count);
    stop = started.stop;
    const replicas: SchedulerReplica[] = started.replicas;
    await applyDatabaseMigrations(
      mockServices.database({ knex: replicas[0].knex }),
    );
    const runs: Run[] = [];
    const tasks = [];
    for (const [index, replica] of replicas.entries()) {
      tasks.push(
        await scheduleInventorySync({
          scheduler: replica.scheduler,
          settings: {
            schedule: {
              frequency: options.frequency,
              timeout: { minutes: 1 },
              scope: 'global',
            },
            debounceMs: options.debounceMs,
            quietPeriodMs: options.quietPeriodMs,
          },
          requests: new DatabaseSyncRequestStore(replica.knex),
          logger,
          sync: {
            runOnce: async () => {
              const run: Run = { replica: index, start: Date.now() };
              runs.push(run);
              await sleep(options.durationMs ?? 50);
              run.end = Date.now();
              if (options.fail?.(runs.length)) {
                throw new Error('GitHub answered 502');
              }
              return emptyResult;
            },
          },
        }),
      );
    }
    const store = new DatabaseSyncRequestStore(replicas[0].knex);
    const counts = () => store.counts(INVENTORY_SYNC_TASK_ID);
    const waitFor = async (predicate: () => boolean, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!predicate() && Date.now() < deadline) {
        await sleep(50);
      }
      expect(predicate()).toBe(true);
    };
    return { tasks, runs, counts, waitFor };
  }

  it('serves ten simultaneous requests on two replicas with one cycle', async () => {
    const { tasks, runs, counts, waitFor } = await start({
      count: 2,
      frequency: { hours: 1 },
      debounceMs: 1000,
      quietPeriodMs: 0,
    });
    // The first scheduled cycle runs at once, then nothing for an hour.
    await waitFor(() => runs.length === 1 && runs[0].end !== undefined);
    await sleep(300); // let the scheduler release the task

    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => tasks[i % 2].requestSync('refresh')),
    );
    expect(outcomes.filter(o => o === 'requested')).toHaveLength(1);
    expect(outcomes.filter(o => o === 'coalesced')).toHaveLength(9);

    await waitFor(() => runs.length === 2);
    await sleep(3000);
    expect(runs).toHaveLength(2);
    expect(await counts()).toMatchObject({
      requested: 10,
      served: 10,
      cycles: 2,
      lastCycleReason: 'refresh',
    });
  });

  it('serves requests made during a cycle with exactly one more cycle, right after it', async () => {
    const { tasks, runs, counts, waitFor } = await start({
      count: 2,
      frequency: { hours: 1 },
      debounceMs: 200,
      quietPeriodMs: 0,
      durationMs: 2000,
    });
    await waitFor(() => runs.length === 1);
    // The scheduler refuses to trigger a running task; the requests wait.
    const outcomes = [
      await tasks[1].requestSync('refresh'),
      await tasks[0].requestSync('webhook'),
      await tasks[1].requestSync('refresh'),
    ];
    expect(outcomes).toEqual(['requested', 'coalesced', 'coalesced']);

    await waitFor(() => runs.length === 2);
    // Chained in the same run, not left for the next poll an hour later.
    expect(runs[1].start - runs[0].end!).toBeLessThan(1500);
    await waitFor(() => runs[1].end !== undefined);
    await sleep(3000);
    expect(runs).toHaveLength(2);
    expect(await counts()).toMatchObject({
      requested: 3,
      served: 3,
      cycles: 2,
      lastCycleReason: 'webhook',
    });
  });

  it('skips scheduled cycles during the quiet period after a webhook cycle and polls again after it', async () => {
    const { tasks, runs, counts, waitFor } = await start({
      count: 1,
      frequency: { seconds: 1 },
      debounceMs: 100,
      quietPeriodMs: 4000,
    });
    // Polling every second while no webhook arrives.
    await waitFor(() => runs.length >= 2);

    expect(await tasks[0].requestSync('webhook')).toBe('requested');
    await waitFor(
      () => runs.length >= 3 && runs[runs.length - 1].end !== undefined,
    );
    await sleep(300);
    // Drop cycles that were already under way when the webhook arrived.
    const webhookRun = runs.length - 1;
    expect((await counts()).lastCycleReason).toBe('webhook');
    const skippedBefore = (await counts()).skipped;

    await sleep(2500);
    expect(runs).toHaveLength(webhookRun + 1);
    expect((await counts()).skipped).toBeGreaterThan(skippedBefore);

    // After the quiet period, the poll is back.
    await waitFor(() => runs.length > webhookRun + 1, 5000);
    expect(
      runs[webhookRun + 1].start - runs[webhookRun].start,
    ).toBeGreaterThanOrEqual(
      4000 - 100, // measured on the database's clock
    );
    expect((await counts()).lastCycleReason).toBe('schedule');
  });

  it('keeps polling after a refresh: only webhooks start a quiet period', async () => {
    const { tasks, runs, counts, waitFor } = await start({
      count: 1,
      frequency: { seconds: 1 },
      debounceMs: 100,
      quietPeriodMs: 60_000,
    });
    await waitFor(() => runs.length >= 1);
    await tasks[0].requestSync('refresh');
    const afterRefresh = runs.length;
    await waitFor(() => runs.length >= afterRefresh + 3, 8000);
    expect((await counts()).skipped).toBe(0);
  });

  it('serves the request of a failed webhook cycle at the next poll, whatever the quiet period', async () => {
    let failRun = 0;
    const { tasks, runs, counts, waitFor } = await start({
      count: 1,
      frequency: { seconds: 1 },
      debounceMs: 100,
      quietPeriodMs: 60_000,
      fail: runNumber => runNumber === failRun,
    });
    await waitFor(() => runs.length >= 1 && runs[0].end !== undefined);
    await tasks[0].requestSync('webhook');
    await waitFor(() => runs.length >= 2 && runs[1].end !== undefined);
    await sleep(300);
    // The quiet period runs: polls are skipped.
    const quiet = runs.length;
    await sleep(1500);
    expect(runs).toHaveLength(quiet);

    failRun = quiet + 1;
    await tasks[0].requestSync('webhook');
    await waitFor(() => runs.length === quiet + 1);
    // The next poll (a second later) serves the request again.
    await waitFor(() => runs.length === quiet + 2, 5000);
    await waitFor(() => runs[quiet + 1].end !== undefined);
    expect(runs[quiet + 1].start - runs[quiet].end!).toBeLessThan(3000);
    await sleep(300);
    expect(await counts()).toMatchObject({
      lastCycleReason: 'webhook',
    });
    expect((await counts()).requested).toBe((await counts()).served);
  });
});
