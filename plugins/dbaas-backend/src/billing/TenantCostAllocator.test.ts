import { BaseFeeRule, IdleCapacityRule } from './BillingSettings';
import { microsToCents } from './money';
import { buildMonthReport } from './monthReport';
import {
  BYTES_PER_GB,
  ClusterHourSample,
  DailyRollupAccumulator,
  TenantCostAllocator,
  sumAmounts,
} from './TenantCostAllocator';
import { randomHours, settingsWith } from './testUtils';

const GB = BYTES_PER_GB;
const PRICES = {
  acuHour: 0.12,
  storageGbMonth: 0.1,
  snapshotGbMonth: 0.021,
  baseMonthly: 99.99,
};

function report(
  samples: ClusterHourSample[],
  idleCapacity: IdleCapacityRule = 'proportional',
  baseFee: BaseFeeRule = 'even',
  month = '2025-03',
  asOf = new Date('2025-05-01T00:00:00Z'),
) {
  const settings = settingsWith(PRICES, { idleCapacity, baseFee });
  const allocator = new TenantCostAllocator(settings);
  const acc = new DailyRollupAccumulator();
  const hours = samples.map(s => allocator.allocateHour(s));
  hours.forEach(h => acc.add(h));
  return {
    hours,
    report: buildMonthReport({
      month,
      settings,
      databaseRollups: acc.databaseRollups(),
      clusterRollups: acc.clusterRollups(),
      asOf,
    }),
  };
}

/** The cluster's cost straight from the prices, without any allocation. */
function expectedClusterCents(samples: ClusterHourSample[]): number {
  let total = 0;
  for (const s of samples) {
    const hoursInMonth = 31 * 24; // March
    const size = s.databases.reduce((a, d) => a + d.sizeBytes, 0) / GB;
    const snap = s.databases.reduce((a, d) => a + d.snapshotBytes, 0) / GB;
    total +=
      s.acu * PRICES.acuHour +
      (size * PRICES.storageGbMonth) / hoursInMonth +
      (snap * PRICES.snapshotGbMonth) / hoursInMonth +
      PRICES.baseMonthly / hoursInMonth;
  }
  return total * 100;
}

const RULES: Array<[IdleCapacityRule, BaseFeeRule]> = [
  ['proportional', 'even'],
  ['proportional', 'storage'],
  ['even', 'even'],
  ['even', 'storage'],
  ['storage', 'even'],
  ['storage', 'storage'],
];

describe('conservation: Σ tenants = cluster cost, to the cent', () => {
  it.each(RULES)('idleCapacity=%s baseFee=%s', (idle, base) => {
    const clusters = ['eu-1', 'us-1', 'ap-1'];
    const samples = clusters.flatMap((cluster, i) =>
      randomHours({
        seed: 100 + i,
        cluster,
        tenants: 40,
        hours: 31 * 24,
        start: '2025-03-01T00:00:00Z',
        proxyShare: 0.2,
      }),
    );
    const { hours, report: r } = report(samples, idle, base);

    // Every hour: the databases' parts are exactly the cluster's hour.
    for (const h of hours) {
      const parts = h.databases.reduce((a, d) => a + sumAmounts(d.micros), 0);
      expect(parts + h.unallocatedMicros).toBe(sumAmounts(h.micros));
    }
    // Every cluster: its month in cents is the hours' micros, rounded once.
    for (const c of r.clusters) {
      const micros = hours
        .filter(h => h.cluster === c.cluster)
        .reduce((a, h) => a + sumAmounts(h.micros), 0);
      expect(c.totalCents).toBe(microsToCents(micros));
      expect(c.allocatedCents + c.unallocatedCents).toBe(c.totalCents);
      // ...and agrees with the price list computed independently (the
      // hourly micro rounding can move it by at most a cent).
      const independent = expectedClusterCents(
        samples.filter(s => s.cluster === c.cluster),
      );
      expect(Math.abs(c.totalCents - independent)).toBeLessThanOrEqual(1);
    }
    // Σ over tenants = Σ over clusters, exactly.
    const tenantsSum = r.tenants.reduce((a, t) => a + t.cents.total, 0);
    expect(tenantsSum).toBe(
      r.clusters.reduce((a, c) => a + c.allocatedCents, 0),
    );
    expect(r.totalCents).toBe(tenantsSum);
    // Every breakdown of a tenant adds up to its total.
    for (const t of r.tenants) {
      const sum = (xs: Array<{ cents: { total: number } }>) =>
        xs.reduce((a, x) => a + x.cents.total, 0);
      expect(sum(t.byDatabase)).toBe(t.cents.total);
      expect(sum(t.byDay)).toBe(t.cents.total);
      expect(sum(t.lines)).toBe(t.cents.total);
      const c = t.cents;
      expect(c.compute + c.storage + c.snapshots + c.base).toBe(c.total);
      expect(c.computeUsed + c.computeIdle).toBe(c.compute);
    }
  });

  it('holds per cluster for a single-cluster report', () => {
    const samples = randomHours({
      seed: 9,
      cluster: 'solo',
      tenants: 200,
      hours: 24 * 31,
      start: '2025-03-01T00:00:00Z',
    });
    const { report: r } = report(samples, 'storage', 'storage');
    expect(r.tenants.reduce((a, t) => a + t.cents.total, 0)).toBe(
      r.clusters[0].totalCents,
    );
  });
});

const hour = (
  databases: ClusterHourSample['databases'],
  acu = 2,
): ClusterHourSample => ({
  cluster: 'c',
  hourStart: '2025-03-10T10:00:00Z',
  acu,
  databases,
});
const db = (
  name: string,
  sizeGb: number,
  activeSeconds: number | undefined,
  extra: Partial<ClusterHourSample['databases'][number]> = {},
) => ({
  namespace: `ns-${name}`,
  name,
  sizeBytes: sizeGb * GB,
  snapshotBytes: 0,
  activeSeconds,
  ...extra,
});

describe('fairness', () => {
  const allocator = (
    idleCapacity: IdleCapacityRule = 'proportional',
    baseFee: BaseFeeRule = 'even',
  ) =>
    new TenantCostAllocator(
      settingsWith(
        {
          acuHour: 1,
          storageGbMonth: 744,
          snapshotGbMonth: 744,
          baseMonthly: 744,
        },
        { idleCapacity, baseFee },
      ),
    );

  it('prices the hour from the formulas', () => {
    const h = allocator().allocateHour(
      hour([db('a', 2, 0, { snapshotBytes: 3 * GB })], 1.5),
    );
    expect(h.hoursInMonth).toBe(744);
    expect(h.micros).toEqual({
      computeUsed: 0,
      computeIdle: 1_500_000,
      storage: 2_000_000, // 2 GB × 744 / 744 hours
      snapshots: 3_000_000,
      base: 1_000_000,
    });
  });

  it('twice the size pays twice the storage and snapshots', () => {
    const h = allocator().allocateHour(
      hour([
        db('a', 10, 0, { snapshotBytes: 4 * GB }),
        db('b', 20, 0, { snapshotBytes: 8 * GB }),
      ]),
    );
    const [a, b] = h.databases;
    expect(b.micros.storage).toBe(2 * a.micros.storage);
    expect(b.micros.snapshots).toBe(2 * a.micros.snapshots);
  });

  it.each([
    // rule, expected idle share of the idle database 'b' (of 2 databases)
    ['proportional', 0],
    ['even', 0.5],
    ['storage', 0.75],
  ] as Array<[IdleCapacityRule, number]>)(
    'an idle database pays no used compute and its %s share of idle',
    (rule, share) => {
      // 2 ACU, 3600 active seconds = 1 ACU-hour used, 1 idle.
      const h = allocator(rule).allocateHour(
        hour([db('a', 1, 3600), db('b', 3, 0)]),
      );
      expect(h.activitySource).toBe('activeTime');
      expect(h.usedAcuHours).toBe(1);
      expect(h.micros.computeUsed).toBe(1_000_000);
      expect(h.micros.computeIdle).toBe(1_000_000);
      const [a, b] = h.databases;
      expect(a.micros.computeUsed).toBe(1_000_000);
      expect(b.micros.computeUsed).toBe(0);
      expect(b.micros.computeIdle).toBe(share * 1_000_000);
      expect(a.micros.computeIdle).toBe((1 - share) * 1_000_000);
    },
  );

  it('splits used compute by active time and caps it at capacity', () => {
    const h = allocator().allocateHour(
      hour([db('a', 1, 6000), db('b', 1, 12000)]),
    );
    expect(h.usedAcuHours).toBe(2);
    expect(h.micros.computeIdle).toBe(0);
    expect(h.databases.map(d => d.micros.computeUsed)).toEqual([
      666_667, 1_333_333,
    ]);
  });

  it('splits the base fee evenly or by storage', () => {
    const even = allocator('even', 'even').allocateHour(
      hour([db('a', 1, 0), db('b', 3, 0)]),
    );
    expect(even.databases.map(d => d.micros.base)).toEqual([500_000, 500_000]);
    const byStorage = allocator('even', 'storage').allocateHour(
      hour([db('a', 1, 0), db('b', 3, 0)]),
    );
    expect(byStorage.databases.map(d => d.micros.base)).toEqual([
      250_000, 750_000,
    ]);
  });

  it('zero-activity hour: all compute is idle and proportional falls back to even', () => {
    const h = allocator('proportional').allocateHour(
      hour([db('a', 1, 0), db('b', 3, 0)]),
    );
    expect(h.micros.computeUsed).toBe(0);
    expect(h.databases.map(d => d.micros.computeIdle)).toEqual([
      1_000_000, 1_000_000,
    ]);
  });

  it('uses commits + rollbacks as the proxy when active time is missing', () => {
    const h = allocator().allocateHour(
      hour([
        db('a', 1, undefined, { commits: 90, rollbacks: 10 }),
        db('b', 1, 500, { commits: 300 }),
      ]),
    );
    expect(h.activitySource).toBe('transactions');
    expect(h.micros.computeIdle).toBe(0);
    expect(h.databases.map(d => d.micros.computeUsed)).toEqual([
      500_000, 1_500_000,
    ]);
  });

  it('without any activity measure, all compute is idle', () => {
    const h = allocator('even').allocateHour(
      hour([db('a', 1, undefined), db('b', 1, undefined)]),
    );
    expect(h.activitySource).toBe('none');
    expect(h.micros.computeIdle).toBe(2_000_000);
  });

  it('an hour without databases leaves its cost unallocated', () => {
    const h = allocator().allocateHour(hour([]));
    expect(h.databases).toEqual([]);
    expect(h.unallocatedMicros).toBe(sumAmounts(h.micros));
    expect(h.unallocatedMicros).toBe(3_000_000); // 2 ACU + base
  });

  it.each([
    [{ acu: -1 }, /acu of c/],
    [{ hourStart: 'yesterday' }, /invalid hourStart/],
    [{ databases: [db('a', 1, 0), db('a', 1, 0)] }, /appears twice/],
    [{ databases: [db('a', -1, 0)] }, /sizeBytes of ns-a\/a/],
  ])('rejects %j', (patch, message) => {
    expect(() =>
      allocator().allocateHour({ ...hour([db('x', 1, 0)]), ...patch }),
    ).toThrow(message);
  });
});

describe('month report', () => {
  // 1 ACU all month at 0.12: every hour costs exactly 12 cents.
  const samples = (hours: number) =>
    Array.from({ length: hours }, (_, h) => ({
      cluster: 'c',
      hourStart: new Date(Date.UTC(2025, 3, 1) + h * 3_600_000),
      acu: 1,
      databases: [db('a', 0, 1800), db('b', 0, 1800)],
    }));
  const build = (hours: number, asOf: Date) => {
    const settings = settingsWith(
      { acuHour: 0.12, storageGbMonth: 0, snapshotGbMonth: 0, baseMonthly: 0 },
      {},
    );
    const allocator = new TenantCostAllocator(settings);
    const acc = new DailyRollupAccumulator();
    samples(hours).forEach(s => acc.add(allocator.allocateHour(s)));
    return buildMonthReport({
      month: '2025-04',
      settings,
      databaseRollups: acc.databaseRollups(),
      clusterRollups: acc.clusterRollups(),
      asOf,
      budgets: new Map([['ns-a', 4000]]),
    });
  };

  it('forecasts month-to-date + MTD / elapsed × remaining hours', () => {
    // 10 days of April (720 hours) elapsed: 240 hours × 6 cents each.
    const r = build(240, new Date('2025-04-11T00:00:00Z'));
    expect(r.status).toBe('current');
    expect(r.hoursInMonth).toBe(720);
    expect(r.elapsedHours).toBe(240);
    const a = r.tenants.find(t => t.namespace === 'ns-a')!;
    expect(a.cents.total).toBe(1440);
    expect(a.forecastCents).toBe(1440 + (1440 / 240) * 480);
    expect(a.forecastCents).toBe(4320);
    expect(r.forecastCents).toBe(8640);
    expect(a.budgetCents).toBe(4000);
    expect(a.budgetUsedPercent).toBe(36);
    expect(a.byDay).toHaveLength(10);
    expect(a.byDay[0]).toEqual({
      day: '2025-04-01',
      cents: expect.objectContaining({ total: 144, computeUsed: 144 }),
    });
    expect(a.byDatabase[0].usage).toEqual(
      expect.objectContaining({ hours: 240, activeSeconds: 240 * 1800 }),
    );
  });

  it('uses at least one elapsed hour', () => {
    const r = build(1, new Date('2025-04-01T00:30:00Z'));
    expect(r.tenants[0].forecastCents).toBe(6 + 6 * 719.5);
  });

  it('a past month forecasts its total; a future month is empty', () => {
    const past = build(720, new Date('2025-06-01T00:00:00Z'));
    expect(past.status).toBe('past');
    expect(past.totalCents).toBe(720 * 12);
    expect(past.forecastCents).toBe(past.totalCents);
    const future = build(0, new Date('2025-03-01T00:00:00Z'));
    expect(future.status).toBe('future');
    expect(future.tenants).toEqual([]);
  });

  it('ignores rollups outside the month and rejects bad months', () => {
    const r = build(720 + 48, new Date('2025-06-01T00:00:00Z'));
    expect(r.totalCents).toBe(720 * 12);
    expect(() =>
      buildMonthReport({
        month: '2025-13',
        settings: settingsWith(),
        databaseRollups: [],
      }),
    ).toThrow(/YYYY-MM/);
  });
});
