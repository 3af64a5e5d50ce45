import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { CapacityReader, FixedCapacityReader } from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';
import { DatabaseBillingStore } from './DatabaseBillingStore';
import { averageCapacity, HourlyBilling } from './HourlyBilling';
import { DatabaseMetricsStore } from '../metrics/DatabaseMetricsStore';
import {
  ClusterHourSample,
  DailyRollupAccumulator,
  TenantCostAllocator,
} from './TenantCostAllocator';
import { settingsWith, clearBillingTables } from './testUtils';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

const GB = 1024 ** 3;
const H = (iso: string) => new Date(`2025-03-10T${iso}:00:00.000Z`);
const settings = settingsWith({ baseMonthly: 30 });
const allocator = new TenantCostAllocator(settings);

const inventory = {
  listDatabases: async () =>
    ['payments/ledger', 'checkout/orders', 'archive/old'].map(ref => {
      const [namespace, name] = ref.split('/');
      return { namespace, name, databaseName: `${namespace}-${name}` };
    }),
};

function round(rollups: { databaseRollups: any[]; clusterRollups: any[] }) {
  const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
  const sortKey = (r: any) => `${r.day}${r.cluster}${r.namespace}${r.name}`;
  return {
    databases: rollups.databaseRollups
      .map(r => ({
        ...r,
        usage: Object.fromEntries(
          Object.entries(r.usage).map(([k, v]) => [k, r6(v as number)]),
        ),
      }))
      .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1)),
    clusters: rollups.clusterRollups
      .map(r => ({ ...r, acuHours: r6(r.acuHours) }))
      .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1)),
  };
}

function expected(samples: ClusterHourSample[]) {
  const acc = new DailyRollupAccumulator();
  samples.forEach(s => acc.add(allocator.allocateHour(s)));
  return round({
    databaseRollups: acc.databaseRollups(),
    clusterRollups: acc.clusterRollups(),
  });
}

describe('HourlyBilling', () => {
  let knex: Knex;
  let store: DatabaseBillingStore;

  beforeAll(async () => {
    knex = await databases.init('POSTGRES_15');
    await applyDatabaseMigrations(mockServices.database({ knex }));
  });

  beforeEach(async () => {
    await knex('dbaas_metric_points').delete();
    await clearBillingTables(knex);
    store = new DatabaseBillingStore(knex);
  });

  async function hourPoint(
    cluster: string,
    databaseName: string,
    hour: Date,
    figures: {
      size: number;
      share?: number;
      commits?: number;
      rollbacks?: number;
    },
  ) {
    await knex('dbaas_metric_points').insert({
      cluster,
      database_name: databaseName,
      resolution: 'hour',
      bucket_start: hour,
      size_bytes: figures.size,
      active_time_share: figures.share ?? null,
      commits_per_s: figures.commits ?? null,
      rollbacks_per_s: figures.rollbacks ?? null,
      samples: 60,
    });
  }

  function billing(
    options: {
      capacity?: CapacityReader;
      snapshots?: Map<string, number>;
      sleep?: (ms: number) => Promise<void>;
      clusters?: string[];
    } = {},
  ) {
    const logger = mockServices.logger.mock();
    const snapshotCalls: Array<[string, Date]> = [];
    const service = new HourlyBilling({
      clusters: (options.clusters ?? ['eu']).map(name => ({
        name,
        capacity:
          name === 'eu' && options.capacity
            ? options.capacity
            : new FixedCapacityReader({ acu: 2 }),
      })),
      usage: new DatabaseMetricsStore(knex),
      databases: inventory,
      snapshots: options.snapshots && {
        snapshotBytesByDatabase: async (cluster, at) => {
          snapshotCalls.push([cluster, at]);
          return options.snapshots!;
        },
      },
      store,
      allocator,
      logger,
      sleep: options.sleep ?? (async () => {}),
    });
    return { service, logger, snapshotCalls };
  }

  /** Hours 08-10 on 'eu': active time, then the transactions proxy, and a database that is not billed. */
  async function seedHours() {
    await hourPoint('eu', 'payments-ledger', H('08'), {
      size: 4 * GB,
      share: 0.5,
      commits: 2,
    });
    await hourPoint('eu', 'checkout-orders', H('08'), {
      size: 1 * GB,
      share: 0.25,
      commits: 1,
    });
    await hourPoint('eu', 'postgres', H('08'), { size: 9 * GB, share: 3 });
    await hourPoint('eu', 'payments-ledger', H('09'), {
      size: 4 * GB,
      share: 0.5,
      commits: 2,
    });
    await hourPoint('eu', 'checkout-orders', H('09'), {
      size: 2 * GB,
      commits: 6,
      rollbacks: 1,
    });
    await hourPoint('eu', 'payments-ledger', H('10'), {
      size: 5 * GB,
      share: 0.1,
    });
    await hourPoint('us', 'archive-old', H('09'), {
      size: 7 * GB,
      share: 1,
    });
  }

  const db = (
    ref: string,
    size: number,
    activity: { activeSeconds?: number; commits?: number; rollbacks?: number },
    snapshotBytes = 0,
  ) => {
    const [namespace, name] = ref.split('/');
    return { namespace, name, sizeBytes: size, snapshotBytes, ...activity };
  };
  const hour08: ClusterHourSample = {
    cluster: 'eu',
    hourStart: H('08'),
    acu: 2,
    databases: [
      db('payments/ledger', 4 * GB, { activeSeconds: 1800, commits: 7200 }),
      db('checkout/orders', 1 * GB, { activeSeconds: 900, commits: 3600 }),
    ],
  };
  const hour09: ClusterHourSample = {
    cluster: 'eu',
    hourStart: H('09'),
    acu: 2,
    databases: [
      db('payments/ledger', 4 * GB, { activeSeconds: 1800, commits: 7200 }),
      db('checkout/orders', 2 * GB, { commits: 21600, rollbacks: 3600 }),
    ],
  };
  const hour10: ClusterHourSample = {
    cluster: 'eu',
    hourStart: H('10'),
    acu: 2,
    databases: [db('payments/ledger', 5 * GB, { activeSeconds: 360 })],
  };

  it('bills complete hours as final and the open hour provisionally, from metrics and capacity', async () => {
    await seedHours();
    const { service } = billing();
    const result = await service.run(new Date('2025-03-10T10:20:00Z'));
    expect(result).toEqual({
      clusters: { eu: { final: 2, provisional: 1 } },
      failed: {},
    });
    const hours = await knex('dbaas_billing_hours')
      .select('hour_start', 'final', 'activity_source')
      .orderBy('hour_start');
    expect(
      hours.map(h => [new Date(h.hour_start), h.final, h.activity_source]),
    ).toEqual([
      [H('08'), true, 'activeTime'],
      [H('09'), true, 'transactions'],
      [H('10'), false, 'activeTime'],
    ]);
    expect(round(await store.dailyRollups('2025-03-01', '2025-04-01'))).toEqual(
      expected([hour08, hour09, hour10]),
    );
  });

  it('replaces provisional hours on the next runs and never bills an hour twice', async () => {
    await seedHours();
    const { service } = billing();
    await service.run(new Date('2025-03-10T10:20:00Z'));
    // Same time again (another replica, a retry): only the open hour is rewritten.
    expect(await service.run(new Date('2025-03-10T10:25:00Z'))).toEqual({
      clusters: { eu: { final: 0, provisional: 1 } },
      failed: {},
    });
    // The hour grew: more samples arrived before it ended.
    await knex('dbaas_metric_points')
      .where({ database_name: 'payments-ledger', bucket_start: H('10') })
      .update({ size_bytes: 6 * GB, active_time_share: 0.2 });
    // 11:10: hour 10 ended but is not settled yet; 11:20 it is final.
    expect(await service.run(new Date('2025-03-10T11:10:00Z'))).toEqual({
      clusters: { eu: { final: 0, provisional: 2 } },
      failed: {},
    });
    expect(await service.run(new Date('2025-03-10T11:20:00Z'))).toEqual({
      clusters: { eu: { final: 1, provisional: 1 } },
      failed: {},
    });
    const hour10Final: ClusterHourSample = {
      ...hour10,
      databases: [db('payments/ledger', 6 * GB, { activeSeconds: 720 })],
    };
    // Hour 11 has no metrics yet: its capacity is carried by nobody.
    const hour11: ClusterHourSample = {
      cluster: 'eu',
      hourStart: H('11'),
      acu: 2,
      databases: [],
    };
    expect(round(await store.dailyRollups('2025-03-01', '2025-04-01'))).toEqual(
      expected([hour08, hour09, hour10Final, hour11]),
    );
    const stored = await store.dailyRollups('2025-03-10', '2025-03-11');
    expect(stored.clusterRollups[0].unallocatedMicros).toBe(
      allocator.allocateHour(hour11).unallocatedMicros,
    );
    expect(stored.clusterRollups[0].unallocatedMicros).toBeGreaterThan(0);
  });

  it('bills snapshot bytes per database, also of a database that is gone from the cluster', async () => {
    await seedHours();
    const snapshots = new Map([
      ['payments-ledger', 10 * GB],
      ['archive-old', 3 * GB],
      ['postgres', 50 * GB],
    ]);
    const { service, snapshotCalls } = billing({ snapshots });
    await service.run(new Date('2025-03-10T10:20:00Z'));
    const withSnapshots = (s: ClusterHourSample): ClusterHourSample => ({
      ...s,
      databases: [
        ...s.databases.map(d => ({
          ...d,
          snapshotBytes: snapshots.get(`${d.namespace}-${d.name}`) ?? 0,
        })),
        db(
          'archive/old',
          0,
          { activeSeconds: 0, commits: 0, rollbacks: 0 },
          3 * GB,
        ),
      ],
    });
    expect(round(await store.dailyRollups('2025-03-01', '2025-04-01'))).toEqual(
      expected([hour08, hour09, hour10].map(withSnapshots)),
    );
    // Snapshots kept at the end of each hour, at the clock for the open one.
    expect(snapshotCalls).toEqual([
      ['eu', H('09')],
      ['eu', H('10')],
      ['eu', new Date('2025-03-10T10:20:00Z')],
    ]);
  });

  it('retries a failing capacity read, and skips only that cluster when it keeps failing', async () => {
    await seedHours();
    let calls = 0;
    const flaky: CapacityReader = {
      readCapacity: async range => {
        calls += 1;
        if (calls <= 2) throw new Error('CloudWatch throttled GetMetricData');
        return new FixedCapacityReader({ acu: 2 }).readCapacity(range);
      },
    };
    const sleeps: number[] = [];
    const first = billing({
      capacity: flaky,
      sleep: async ms => void sleeps.push(ms),
    });
    expect(
      (await first.service.run(new Date('2025-03-10T10:20:00Z'))).clusters,
    ).toEqual({ eu: { final: 2, provisional: 1 } });
    expect(sleeps).toEqual([1000, 4000]);

    const broken: CapacityReader = {
      readCapacity: async () => {
        throw new Error(
          "CloudWatch GetMetricData failed for ServerlessDatabaseCapacity of Aurora cluster 'eu'",
        );
      },
    };
    await knex('dbaas_billing_hours').delete();
    const second = billing({ capacity: broken, clusters: ['eu', 'us'] });
    const result = await second.service.run(new Date('2025-03-10T10:20:00Z'));
    expect(result.failed).toEqual({
      eu: expect.stringContaining('ServerlessDatabaseCapacity'),
    });
    expect(result.clusters).toEqual({ us: { final: 1, provisional: 1 } });
    expect(second.logger.warn).toHaveBeenCalledWith(
      expect.stringContaining("Billing cluster 'eu' failed, retried next run"),
    );
  });

  it('starts where metrics start, never before the hour rows kept', async () => {
    await hourPoint('eu', 'payments-ledger', H('08'), { size: GB, share: 0 });
    const at = (iso: string) => new Date(`2025-03-${iso}:00.000Z`);
    await hourPoint('eu', 'payments-ledger', at('11T05:00'), {
      size: GB,
      share: 0,
    });
    store = new DatabaseBillingStore(knex, { hourMs: 86_400_000 });
    const { service } = billing();
    // Hour rows are kept a day: on 03-12 at 00:30, 03-10 is out of reach,
    // so billing starts at the first metrics of 03-11 (05:00).
    const now = at('12T00:30');
    expect((await service.run(now)).clusters.eu).toEqual({
      final: 19,
      provisional: 1,
    });
    const first = await knex('dbaas_billing_hours').min({ at: 'hour_start' });
    expect(new Date(first[0].at)).toEqual(at('11T05:00'));

    // Billed until long ago (a stopped backend): it resumes at the first
    // day whose hours are kept, not at the old hour.
    await knex('dbaas_billing_hours').delete();
    await store.writeHour(
      allocator.allocateHour({
        cluster: 'eu',
        hourStart: at('09T08:00'),
        acu: 1,
        databases: [],
      }),
      { final: true },
    );
    expect((await service.run(now)).clusters.eu).toEqual({
      final: 24,
      provisional: 1,
    });

    // No metrics and never billed: nothing to bill.
    await knex('dbaas_billing_hours').delete();
    await knex('dbaas_metric_points').delete();
    expect((await service.run(now)).clusters.eu).toEqual({
      final: 0,
      provisional: 0,
    });
  });
});

describe('averageCapacity', () => {
  const hour = H('10').getTime();
  const at = (minutes: number, acu: number) => ({
    at: new Date(hour + minutes * 60_000),
    acu,
  });

  it('averages the points of the hour', () => {
    expect(averageCapacity([at(-5, 9), at(0, 1), at(30, 3)], hour, false)).toBe(
      2,
    );
  });

  it('carries the last earlier point into an open hour without points, else 0', () => {
    const points = [at(-10, 4), at(-5, 6), at(60, 8)];
    expect(averageCapacity(points, hour, true)).toBe(6);
    expect(averageCapacity(points, hour, false)).toBe(0);
    expect(averageCapacity([], hour, true)).toBe(0);
  });
});
