import { DefaultSchedulerService } from '@backstage/backend-defaults/scheduler';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Knex, knex as createKnex } from 'knex';
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

type SchedulerOptions = Parameters<typeof DefaultSchedulerService.create>[0];

/** No-op metrics: the scheduler records run counts and durations. */
const noMetric = {
  add: () => {},
  record: () => {},
  addCallback: () => {},
  removeCallback: () => {},
};
const metrics = new Proxy(
  {},
  { get: () => () => noMetric },
) as SchedulerOptions['metrics'];

/**
 * One backend instance's scheduler, as `coreServices.scheduler` builds it
 * (the real DefaultSchedulerService, on its own connection pool), and a way
 * to shut it down.
 */
function backendInstance(knex: Knex) {
  const shutdownHooks: Array<() => void | Promise<void>> = [];
  const scheduler = DefaultSchedulerService.create({
    database: mockServices.database({ knex }),
    logger: mockServices.rootLogger({ level: 'none' }),
    metrics,
    rootLifecycle: {
      addStartupHook: () => {},
      addBeforeShutdownHook: () => {},
      addShutdownHook: hook => {
        shutdownHooks.push(hook);
      },
    },
    httpRouter: { use: () => {}, addAuthPolicy: () => {} },
    pluginMetadata: { getId: () => 'dbaas' },
  });
  return {
    scheduler,
    shutdown: async () => {
      for (const hook of shutdownHooks) {
        await hook();
      }
    },
  };
}

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
  it('defaults to a global task every minute, a 10 minute timeout and failing Aurora databases after 15 minutes', () => {
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
    });
  });

  it('reads dbaas.inventory.schedule and failAfter, durations as objects, ISO or short strings', () => {
    const settings = readInventorySyncSettings(
      new ConfigReader({
        dbaas: {
          inventory: {
            schedule: { frequency: '30s', timeout: 'PT2M' },
            failAfter: { hours: 1 },
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
  const instances: Array<{ shutdown: () => Promise<void> }> = [];
  const extraKnexes: Knex[] = [];

  afterEach(async () => {
    for (const instance of instances.splice(0)) {
      await instance.shutdown();
    }
    await sleep(1500); // let a cut-short cycle release its claim
    for (const k of extraKnexes.splice(0)) {
      await k.destroy();
    }
  });

  /** Two backend replicas, each with its own connection pool to one database. */
  async function twoReplicas() {
    const knexA = await databases.init('POSTGRES_15');
    const knexB = createKnex({
      client: knexA.client.config.client,
      connection: knexA.client.config.connection,
      pool: { min: 0, max: 5 },
    });
    extraKnexes.push(knexB);
    const a = backendInstance(knexA);
    const b = backendInstance(knexB);
    instances.push(a, b);
    return [a, b];
  }

  it('runs the sync once per cycle in total on two backend instances sharing one database', async () => {
    const [a, b] = await twoReplicas();
    const runs: Array<{ instance: string; start: number; end?: number }> = [];
    const state = { running: 0, maxRunning: 0 };
    const schedule = {
      frequency: { seconds: 1 },
      timeout: { seconds: 30 },
      scope: 'global',
    } as const;
    const logger = mockServices.rootLogger({ level: 'none' });

    const t0 = Date.now();
    await scheduleInventorySync({
      scheduler: a.scheduler,
      schedule,
      logger,
      sync: recordingSync('a', runs, state, 300),
    });
    await scheduleInventorySync({
      scheduler: b.scheduler,
      schedule,
      logger,
      sync: recordingSync('b', runs, state, 300),
    });

    await sleep(6_000);
    const elapsedMs = Date.now() - t0;
    const started = runs.length;
    await a.shutdown();
    await b.shutdown();
    instances.splice(0);
    await sleep(500);

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

  it('refresh() on one instance starts exactly one extra cycle on one of them, and says when one is already running', async () => {
    const [a, b] = await twoReplicas();
    const runs: Array<{ instance: string; start: number; end?: number }> = [];
    const state = { running: 0, maxRunning: 0 };
    const schedule = {
      frequency: { hours: 1 },
      timeout: { minutes: 10 },
      scope: 'global',
    } as const;
    const logger = mockServices.rootLogger({ level: 'none' });

    await scheduleInventorySync({
      scheduler: a.scheduler,
      schedule,
      logger,
      sync: recordingSync('a', runs, state, 1_500),
    });
    const taskB = await scheduleInventorySync({
      scheduler: b.scheduler,
      schedule,
      logger,
      sync: recordingSync('b', runs, state, 1_500),
    });
    expect(taskB.taskId).toBe(INVENTORY_SYNC_TASK_ID);

    // The first cycle starts at once (on one instance), then nothing for an hour.
    for (let i = 0; i < 100 && runs.length < 1; i++) {
      await sleep(100);
    }
    expect(runs).toHaveLength(1);
    expect(await taskB.refresh()).toBe('already-running');
    for (let i = 0; i < 100 && runs[0].end === undefined; i++) {
      await sleep(100);
    }
    await sleep(300);
    expect(runs).toHaveLength(1);

    expect(await taskB.refresh()).toBe('triggered');
    for (let i = 0; i < 150 && runs.length < 2; i++) {
      await sleep(100);
    }
    expect(runs).toHaveLength(2);
    await sleep(2_500);
    expect(runs).toHaveLength(2);
    expect(state.maxRunning).toBe(1);
  });

  it('passes each cycle result to onResult and survives its errors', async () => {
    const [a] = await twoReplicas();
    const results: InventorySyncResult[] = [];
    let calls = 0;
    await scheduleInventorySync({
      scheduler: a.scheduler,
      schedule: {
        frequency: { seconds: 1 },
        timeout: { minutes: 10 },
        scope: 'global',
      },
      logger: mockServices.rootLogger({ level: 'none' }),
      sync: { runOnce: async () => emptyResult },
      onResult: result => {
        calls++;
        results.push(result);
        if (calls === 1) {
          throw new Error('notifications are down');
        }
      },
    });
    for (let i = 0; i < 50 && calls < 2; i++) {
      await sleep(100);
    }
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(results[0]).toEqual(emptyResult);
  });
});
