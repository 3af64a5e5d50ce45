import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import {
  applyDatabaseMigrations,
  DBAAS_MIGRATIONS_DIRECTORY,
} from '../database/migrations';
import { DatabaseMetricsStore } from './DatabaseMetricsStore';
import { clusterSample, dbSample } from './testUtils';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const t = (iso: string) => new Date(iso);

describe('DatabaseMetricsStore', () => {
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

  /** Raw rows written directly, for roll-up arithmetic. */
  async function raw(at: string, figures: Record<string, number | null>) {
    await knex('dbaas_metric_points').insert({
      cluster: 'eu',
      database_name: 'payments-ledger',
      resolution: 'raw',
      bucket_start: t(at),
      samples: 1,
      ...figures,
    });
  }

  async function rows(resolution: string) {
    return (
      await knex('dbaas_metric_points')
        .where({ resolution })
        .orderBy('bucket_start')
    ).map(row => ({
      at: new Date(row.bucket_start).toISOString(),
      commits: row.commits_per_s,
      connections: row.connections,
      size: row.size_bytes === null ? null : Number(row.size_bytes),
      deadlocks: row.deadlocks,
      samples: row.samples,
    }));
  }

  it('stores raw points with rates computed from the previous sample', async () => {
    const first = t('2026-11-23T10:00:00Z');
    const second = t('2026-11-23T10:01:00Z');
    await store.recordSamples(
      'eu',
      clusterSample('eu', first, [
        dbSample('payments-ledger', first, {
          xact_commit: 1000,
          blks_hit: 100,
          blks_read: 100,
          sizeBytes: 5000,
        }),
      ]),
    );
    // The previous sample comes from the store, as after a restart.
    const written = await store.recordSamples(
      'eu',
      clusterSample('eu', second, [
        dbSample('payments-ledger', second, {
          xact_commit: 1120,
          xact_rollback: 6,
          blks_hit: 370,
          blks_read: 130,
          deadlocks: 2,
          tup_inserted: 600,
          sizeBytes: 6000,
          connections: 7,
        }),
      ]),
    );
    expect(written).toBe(1);

    const series = await store.series(
      'payments-ledger',
      first,
      second,
      t('2026-11-23T10:05:00Z'),
    );
    expect(series.resolution).toBe('raw');
    expect(series.points).toHaveLength(2);
    // No previous sample: size and connections only.
    expect(series.points[0]).toEqual({
      at: first,
      sizeBytes: 5000,
      connections: 2,
      samples: 1,
    });
    expect(series.points[1]).toMatchObject({
      at: second,
      sizeBytes: 6000,
      connections: 7,
      commitsPerSecond: 2,
      rollbacksPerSecond: 0.1,
      tuplesInsertedPerSecond: 10,
      deadlocks: 2,
      cacheHitRatio: 0.9,
      samples: 1,
    });
    const last = await store.lastSamples(['payments-ledger']);
    expect(last.get('payments-ledger')).toMatchObject({
      cluster: 'eu',
      maxConnections: 100,
      sample: { at: second, counters: { xact_commit: 1120 } },
    });
  });

  it('writes nothing for an unreachable sample', async () => {
    const at = t('2026-11-23T10:00:00Z');
    await expect(
      store.recordSamples('eu', {
        ...clusterSample('eu', at, []),
        reachable: false,
        error: 'down',
      }),
    ).resolves.toBe(0);
    expect(await knex('dbaas_metric_points').count({ n: '*' })).toEqual([
      { n: '0' },
    ]);
  });

  it('rolls raw points up into hours and hours into days, weighted by samples', async () => {
    await raw('2026-11-23T10:00:00Z', {
      commits_per_s: 1,
      connections: 2,
      size_bytes: 100,
      deadlocks: 1,
    });
    await raw('2026-11-23T10:30:00Z', {
      commits_per_s: 3,
      connections: 4,
      size_bytes: 300,
      deadlocks: 2,
    });
    // Unknown rates (first sample) do not drag the average down.
    await raw('2026-11-23T10:59:59Z', {
      commits_per_s: null,
      connections: 6,
      size_bytes: 200,
    });
    await raw('2026-11-23T11:15:00Z', { commits_per_s: 6, connections: 1 });

    await store.rollUp(t('2026-11-23T12:00:00Z'));

    expect(await rows('hour')).toEqual([
      {
        at: '2026-11-23T10:00:00.000Z',
        commits: 2,
        connections: 4,
        size: 200,
        deadlocks: 3,
        samples: 3,
      },
      {
        at: '2026-11-23T11:00:00.000Z',
        commits: 6,
        connections: 1,
        size: null,
        deadlocks: null,
        samples: 1,
      },
    ]);
    const [day] = await rows('day');
    expect(day).toMatchObject({
      at: '2026-11-23T00:00:00.000Z',
      connections: 13 / 4,
      size: 200,
      deadlocks: 3,
      samples: 4,
    });
    // Hours are weighted by all their samples: (2 * 3 + 6 * 1) / 4.
    expect(day.commits).toBe(3);
  });

  it('rolls up idempotently and completes a partial hour on the next run', async () => {
    await raw('2026-11-23T10:10:00Z', { commits_per_s: 2 });
    const now = t('2026-11-23T10:20:00Z');
    await store.rollUp(now);
    await store.rollUp(now);
    expect(await rows('hour')).toEqual([
      expect.objectContaining({ commits: 2, samples: 1 }),
    ]);
    expect(await rows('day')).toEqual([
      expect.objectContaining({ commits: 2, samples: 1 }),
    ]);

    // More samples in the same hour and in the next one.
    await raw('2026-11-23T10:50:00Z', { commits_per_s: 4 });
    await raw('2026-11-23T11:05:00Z', { commits_per_s: 10 });
    await store.rollUp(t('2026-11-23T11:06:00Z'));
    await store.rollUp(t('2026-11-23T11:06:00Z'));
    expect(await rows('hour')).toEqual([
      expect.objectContaining({ commits: 3, samples: 2 }),
      expect.objectContaining({ commits: 10, samples: 1 }),
    ]);
    expect(await rows('day')).toEqual([
      expect.objectContaining({
        commits: expect.closeTo(16 / 3, 10),
        samples: 3,
      }),
    ]);
  });

  it('deletes what is past retention', async () => {
    const now = t('2026-11-23T12:00:00Z');
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const insert = (resolution: string, at: Date) =>
      knex('dbaas_metric_points').insert({
        cluster: 'eu',
        database_name: 'payments-ledger',
        resolution,
        bucket_start: at,
        samples: 1,
      });
    await insert('raw', ago(2 * DAY + HOUR));
    await insert('raw', ago(2 * DAY - HOUR));
    await insert('hour', ago(36 * DAY));
    await insert('hour', ago(34 * DAY));
    await insert('day', ago(401 * DAY));
    await insert('day', ago(399 * DAY));
    // Without a roll-up source, buckets are only kept or deleted.
    await store.rollUp(now);
    const left = await knex('dbaas_metric_points')
      .select('resolution', 'bucket_start')
      .orderBy(['resolution', 'bucket_start']);
    const kept = (resolution: string) =>
      left
        .filter(row => row.resolution === resolution)
        .map(row => new Date(row.bucket_start).getTime());
    expect(kept('raw')).toEqual([ago(2 * DAY - HOUR).getTime()]);
    expect(kept('hour')).toContain(ago(34 * DAY).getTime());
    expect(kept('hour')).not.toContain(ago(36 * DAY).getTime());
    expect(kept('day')).toContain(ago(399 * DAY).getTime());
    expect(kept('day')).not.toContain(ago(401 * DAY).getTime());
  });

  it('chooses the resolution by range and honours configured retention', async () => {
    const now = t('2026-11-23T12:00:00Z');
    const ago = (ms: number) => new Date(now.getTime() - ms);
    expect(store.resolutionFor(ago(DAY), now, now)).toBe('raw');
    expect(store.resolutionFor(ago(2 * DAY), now, now)).toBe('raw');
    expect(store.resolutionFor(ago(3 * DAY), now, now)).toBe('hour');
    expect(store.resolutionFor(ago(35 * DAY), now, now)).toBe('hour');
    expect(store.resolutionFor(ago(90 * DAY), now, now)).toBe('day');
    // A short range older than raw retention: raw points are gone.
    expect(store.resolutionFor(ago(10 * DAY), ago(9 * DAY), now)).toBe('hour');
    expect(
      new DatabaseMetricsStore(knex, { rawMs: HOUR }).resolutionFor(
        ago(2 * HOUR),
        now,
        now,
      ),
    ).toBe('hour');
  });

  it('serves long ranges from roll-ups, including the bucket holding `from`', async () => {
    await raw('2026-11-19T10:00:00Z', { commits_per_s: 1 });
    await raw('2026-11-19T10:30:00Z', { commits_per_s: 3 });
    await raw('2026-11-22T08:00:00Z', { commits_per_s: 5 });
    const now = t('2026-11-22T09:00:00Z');
    await store.rollUp(now);

    const hourly = await store.series(
      'payments-ledger',
      t('2026-11-19T10:20:00Z'),
      now,
      now,
    );
    expect(hourly.resolution).toBe('hour');
    expect(
      hourly.points.map(p => [p.at.toISOString(), p.commitsPerSecond]),
    ).toEqual([
      ['2026-11-19T10:00:00.000Z', 2],
      ['2026-11-22T08:00:00.000Z', 5],
    ]);

    const daily = await store.series(
      'payments-ledger',
      t('2026-08-01T00:00:00Z'),
      now,
      now,
    );
    expect(daily.resolution).toBe('day');
    expect(daily.points.map(p => p.at.toISOString())).toEqual([
      '2026-11-19T00:00:00.000Z',
      '2026-11-22T00:00:00.000Z',
    ]);
    expect(
      (await store.series('other-db', t('2026-11-22T00:00:00Z'), now, now))
        .points,
    ).toEqual([]);
  });

  it('drops both tables on rollback of its migration', async () => {
    const other = await databases.init('POSTGRES_15');
    await applyDatabaseMigrations(mockServices.database({ knex: other }));
    await other.migrate.down({
      directory: DBAAS_MIGRATIONS_DIRECTORY,
      name: '20261123_metrics.js',
    });
    expect(await other.schema.hasTable('dbaas_metric_points')).toBe(false);
    expect(await other.schema.hasTable('dbaas_metric_last_samples')).toBe(
      false,
    );
    expect(await other.schema.hasTable('dbaas_databases')).toBe(true);
  });
});
