import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  SchedulerReplica,
  schedulerReplicas,
} from '../__testUtils__/schedulerReplicas';
import { applyDatabaseMigrations } from '../database/migrations';
import { DatabaseSyncRequestStore } from './DatabaseSyncRequestStore';
import { InventorySyncResult } from './InventorySync';
import {
  INVENTORY_SYNC_TASK_ID,
  readInventorySyncSettings,
  scheduleInventorySync,
} from './scheduleInventorySync';

jest.setTimeout(60_000);

// Only PostgreSQL, as in production (SQLite does not run under Node 24 here).
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

const emptyResult: InventorySyncResult = {
  changes: [],
  clusters: [],
  problems: [],
};

/** A sync that only records when and where it ran. */
function recordingSync(
  instance: string,
  runs: Array<{ instance: string; start: number; end?: number }>,
  state: { running: number; maxRunning: number },
  durationMs: number,
) {
  return {
    runOnce: async () => {
      const run: { instance: string; start: number; end?: number } = {
        instance,
        start: Date.now(),
      };
      runs.push(run);
      state.running++;
      state.maxRunning = Math.max(state.maxRunning, state.running);
      await sleep(durationMs);
      state.running--;
      run.end = Date.now();
      return emptyResult;
    },
  };
}

describe('readInventorySyncSettings', () => {
  it('defaults to a global task every minute, a 10 minute timeout, failing Aurora databases after 15 minutes, a 1 s debounce and a 5 minute webhook quiet period', () => {
    expect(
      readInventorySyncSettings(
        new ConfigReader({}),
        mockServices.logger.mock(),
      ),
    ).toEqual({
      schedule: {
        frequency: { minutes: 1 },
        timeout: { minutes: 10 },
        scope: 'global',
      },
      failAfterMinutes: 15,
      debounceMs: 1000,
      quietPeriodMs: 300_000,
    });
  });

  it('reads dbaas.inventory.schedule, failAfter, refreshDebounce and webhooks.quietPeriod, durations as objects, ISO or short strings', () => {
    const settings = readInventorySyncSettings(
      new ConfigReader({
        dbaas: {
          inventory: {
            schedule: { frequency: '30s', timeout: 'PT2M' },
            failAfter: { hours: 1 },
            refreshDebounce: '500ms',
            webhooks: { quietPeriod: 'PT10M' },
          },
        },
      }),
      mockServices.logger.mock(),
    );
    expect(settings.schedule).toEqual({
      frequency: { seconds: 30 },
      timeout: { minutes: 2 },
      scope: 'global',
    });
    expect(settings.failAfterMinutes).toBe(60);
    expect(settings.debounceMs).toBe(500);
    expect(settings.quietPeriodMs).toBe(600_000);
  });

  it('refuses a quiet period that is not a duration, naming the key', () => {
    expect(() =>
      readInventorySyncSettings(
        new ConfigReader({
          dbaas: { inventory: { webhooks: { quietPeriod: 'soon' } } },
        }),
        mockServices.logger.mock(),
      ),
    ).toThrow(/dbaas\.inventory\.webhooks\.quietPeriod/);
  });

  it('still honours the deprecated frequency and timeout, with a warning', () => {
    const logger = mockServices.logger.mock();
    const settings = readInventorySyncSettings(
      new ConfigReader({
        dbaas: { inventory: { frequency: '30s', timeout: 'PT2M' } },
      }),
      logger,
    );
    expect(settings.schedule).toEqual({
      frequency: { seconds: 30 },
      timeout: { minutes: 2 },
      scope: 'global',
    });
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('set dbaas.inventory.schedule instead'),
    );
  });
});

describe('scheduleInventorySync', () => {
  let stop: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  /** Two backend replicas, each with its own connection pool to one database. */
  async function twoReplicas(): Promise<SchedulerReplica[]> {
    const started = await schedulerReplicas(databases, 2);
    stop = started.stop;
    await applyDatabaseMigrations(
      mockServices.database({ knex: started.replicas[0].knex }),
    );
    return started.replicas;
  }

  const logger = mockServices.rootLogger({ level: 'none' });

  function schedule(
    replica: SchedulerReplica,
    frequency: { seconds: number } | { hours: number },
    sync: { runOnce(): Promise<InventorySyncResult> },
    onResult?: (result: InventorySyncResult) => void,
  ) {
    return scheduleInventorySync({
      scheduler: replica.scheduler,
      settings: {
        schedule: { frequency, timeout: { minutes: 10 }, scope: 'global' },
        debounceMs: 200,
        quietPeriodMs: 0,
      },
      requests: new DatabaseSyncRequestStore(replica.knex),
      logger,
      sync,
      onResult,
    });
  }

  it('runs the sync once per cycle in total on two backend instances sharing one database', async () => {
    const [a, b] = await twoReplicas();
    const runs: Array<{ instance: string; start: number; end?: number }> = [];
    const state = { running: 0, maxRunning: 0 };

    const t0 = Date.now();
    await schedule(a, { seconds: 1 }, recordingSync('a', runs, state, 300));
    await schedule(b, { seconds: 1 }, recordingSync('b', runs, state, 300));

    await sleep(6_000);
    const elapsedMs = Date.now() - t0;
    const started = runs.length;
    await stop!();

    // Each run moves the next start at least one cycle (1 s) on, whichever
    // instance claimed it: at most one run per cycle. Two instances each
    // running it on their own would have made about twice as many.
    expect(started).toBeGreaterThanOrEqual(3);
    expect(started).toBeLessThanOrEqual(Math.floor(elapsedMs / 1000) + 1);
    // Never two at once.
    expect(state.maxRunning).toBe(1);
    const sorted = [...runs].sort((x, y) => x.start - y.start);
    for (let i = 1; i < sorted.length; i++) {
      expect(sorted[i].start).toBeGreaterThanOrEqual(sorted[i - 1].end!);
    }
  });

  it('passes each cycle result to onResult and survives its errors', async () => {
    const [a] = await twoReplicas();
    const results: InventorySyncResult[] = [];
    let calls = 0;
    await schedule(
      a,
      { seconds: 1 },
      { runOnce: async () => emptyResult },
      result => {
        calls++;
        results.push(result);
        if (calls === 1) {
          throw new Error('notifications are down');
        }
      },
    );
    for (let i = 0; i < 50 && calls < 2; i++) {
      await sleep(100);
    }
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(results[0]).toEqual(emptyResult);
  });

  it('registers the task under its fixed id', async () => {
    const [a] = await twoReplicas();
    const task = await schedule(
      a,
      { hours: 1 },
      { runOnce: async () => emptyResult },
    );
    expect(task.taskId).toBe(INVENTORY_SYNC_TASK_ID);
    expect((await a.scheduler.getScheduledTasks()).map(t => t.id)).toContain(
      INVENTORY_SYNC_TASK_ID,
    );
  });
});
