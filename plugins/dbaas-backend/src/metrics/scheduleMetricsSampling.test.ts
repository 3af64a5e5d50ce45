import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { PostgresMetricsSampler } from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';
import { DatabaseMetricsStore } from './DatabaseMetricsStore';
import {
  ClusterMetricsSampler,
  METRICS_SAMPLING_TASK_ID,
  readMetricsSettings,
  runMetricsCycle,
  scheduleMetricsSampling,
} from './scheduleMetricsSampling';
import { clusterSample, dbSample } from './testUtils';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const TEST_URL =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;

describe('readMetricsSettings', () => {
  it('has defaults and reads durations in any form', () => {
    expect(
      readMetricsSettings(new ConfigReader({}), mockServices.logger.mock()),
    ).toEqual({
      schedule: {
        frequency: { minutes: 1 },
        timeout: { minutes: 5 },
        scope: 'global',
      },
      retention: {
        rawMs: 2 * 86_400_000,
        hourMs: 35 * 86_400_000,
        dayMs: 400 * 86_400_000,
      },
    });
    const settings = readMetricsSettings(
      new ConfigReader({
        dbaas: {
          metrics: {
            schedule: { frequency: '30s', timeout: '2m' },
            retention: { raw: { hours: 6 }, day: 'P100D' },
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
    expect(settings.retention).toEqual({
      rawMs: 6 * 3_600_000,
      hourMs: 35 * 86_400_000,
      dayMs: 100 * 86_400_000,
    });
  });
});

describe('metrics sampling', () => {
  let knex: Knex;
  let store: DatabaseMetricsStore;

  beforeAll(async () => {
    knex = await databases.init('POSTGRES_15');
    await applyDatabaseMigrations(mockServices.database({ knex }));
  });

  beforeEach(async () => {
    await knex('dbaas_metric_points').delete();
    await knex('dbaas_metric_last_samples').delete();
    store = new DatabaseMetricsStore(knex);
  });

  it('registers one global task with the configured schedule', async () => {
    const scheduleTask = jest.fn();
    await scheduleMetricsSampling({
      scheduler: { scheduleTask } as any,
      settings: {
        schedule: {
          frequency: { seconds: 30 },
          timeout: { minutes: 2 },
          scope: 'global',
        },
      },
      logger: mockServices.logger.mock(),
      samplers: [],
      store,
    });
    expect(scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: METRICS_SAMPLING_TASK_ID,
        scope: 'global',
        frequency: { seconds: 30 },
        timeout: { minutes: 2 },
      }),
    );
  });

  it('logs an unreachable or failing cluster and records the others', async () => {
    const logger = mockServices.logger.mock();
    const at = new Date();
    const samplers: ClusterMetricsSampler[] = [
      {
        cluster: 'down',
        sample: async () => ({
          ...clusterSample('down', at, []),
          reachable: false,
          error: "Cannot sample metrics of cluster 'down': refused",
        }),
      },
      {
        cluster: 'broken',
        sample: async () => {
          throw new Error('boom');
        },
      },
      {
        cluster: 'eu',
        sample: async () =>
          clusterSample('eu', at, [
            dbSample('payments-ledger', at),
            dbSample('checkout-orders', at),
          ]),
      },
    ];
    const result = await runMetricsCycle({ samplers, store, logger });
    expect(result).toEqual({
      recorded: { eu: 2 },
      failed: {
        down: "Cannot sample metrics of cluster 'down': refused",
        broken: 'boom',
      },
    });
    expect(logger.warn).toHaveBeenCalledWith(
      "Cannot sample metrics of cluster 'down': refused",
    );
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining("cluster 'broken' failed: boom"),
    );
    // Rolled up in the same cycle.
    expect(
      await knex('dbaas_metric_points')
        .where({ resolution: 'hour' })
        .count({ n: '*' }),
    ).toEqual([{ n: '2' }]);
  });
});

const describeWithPostgres = TEST_URL ? describe : describe.skip;

describeWithPostgres('metrics sampling of a real cluster', () => {
  let knex: Knex;
  let store: DatabaseMetricsStore;

  beforeAll(async () => {
    knex = await databases.init('POSTGRES_15');
    await applyDatabaseMigrations(mockServices.database({ knex }));
    store = new DatabaseMetricsStore(knex);
  });

  it('samples a real cluster twice and stores rates', async () => {
    const url = new URL(TEST_URL!);
    const sampler = new PostgresMetricsSampler({
      cluster: 'local',
      connection: {
        host: url.hostname,
        port: Number(url.port || 5432),
        user: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
        database: 'postgres',
        ssl: false,
      },
    });
    const logger = mockServices.logger.mock();
    await runMetricsCycle({ samplers: [sampler], store, logger });
    await new Promise(resolve => setTimeout(resolve, 50));
    const second = await runMetricsCycle({
      samplers: [sampler],
      store,
      logger,
    });
    expect(second.failed).toEqual({});
    expect(second.recorded.local).toBeGreaterThan(0);
    const now = new Date();
    const series = await store.series(
      'postgres',
      new Date(now.getTime() - 60_000),
      now,
      now,
    );
    expect(series.resolution).toBe('raw');
    expect(series.points).toHaveLength(2);
    expect(series.points[0].commitsPerSecond).toBeUndefined();
    expect(series.points[1].commitsPerSecond).toBeGreaterThanOrEqual(0);
    expect(series.points[1].sizeBytes).toBeGreaterThan(0);
    const last = await store.lastSamples(['postgres']);
    expect(last.get('postgres')?.maxConnections).toBeGreaterThan(0);
  });
});
