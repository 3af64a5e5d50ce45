import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';
import { BillingReports } from './BillingReports';
import { DatabaseBillingStore } from './DatabaseBillingStore';
import { MonthReport } from './monthReport';
import {
  ClusterHourCost,
  ComponentAmounts,
  TenantCostAllocator,
  emptyAmounts,
  addAmounts,
} from './TenantCostAllocator';
import { clearBillingTables, randomHours, settingsWith } from './testUtils';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const settings = settingsWith({ acuHour: 0.137, baseMonthly: 29.99 });
const allocator = new TenantCostAllocator(settings);
const HOUR = 3_600_000;
const MONTH = '2026-03';
const NOW = '2026-03-04T05:30:00.000Z';

/** Everything of a report but its tenants (what a tenant's call shares). */
function period(report: MonthReport) {
  const {
    tenants: _t,
    clusters: _c,
    totalCents: _a,
    forecastCents: _b,
    ...rest
  } = report;
  return rest;
}

/** A priced hour written as given: every part's micros chosen by the test. */
function handHour(
  cluster: string,
  hourStart: string,
  parts: Array<{ namespace: string; name: string; micros: ComponentAmounts }>,
): ClusterHourCost {
  const micros = emptyAmounts();
  for (const p of parts) addAmounts(micros, p.micros);
  return {
    cluster,
    hourStart,
    day: hourStart.slice(0, 10),
    hoursInMonth: 744,
    activitySource: 'activeTime',
    acu: 1,
    usedAcuHours: 0,
    micros,
    unallocatedMicros: 0,
    databases: parts.map(p => ({
      ...p,
      usage: {
        hours: 1,
        storageGbHours: 1,
        snapshotGbHours: 0,
        activeSeconds: 0,
        transactions: 0,
      },
    })),
  };
}

describe('a tenant’s month (GET /billing/:namespace)', () => {
  let knex: Knex;
  let store: DatabaseBillingStore;
  let reports: BillingReports;

  beforeAll(async () => {
    knex = await databases.init('POSTGRES_15');
    await applyDatabaseMigrations(mockServices.database({ knex }));
  });

  beforeEach(async () => {
    await clearBillingTables(knex);
    store = new DatabaseBillingStore(knex, { hourMs: 400 * 24 * HOUR });
    reports = new BillingReports({
      store,
      settings,
      budgets: new Map([
        ['tenant-3', 5000],
        ['tenant-7', 0],
      ]),
      now: () => new Date(NOW),
    });
  });

  /** Every tenant's own call equals its slice of the all-tenants report. */
  async function expectSlicesEqual(month?: string) {
    const all = await reports.month(month);
    expect(all.tenants.length).toBeGreaterThan(0);
    for (const tenant of all.tenants) {
      const own = await reports.tenantMonth(tenant.namespace, month);
      // Byte-identical, key order included.
      expect(JSON.stringify(own.tenants)).toBe(JSON.stringify([tenant]));
      expect(period(own)).toEqual(period(all));
      expect(own.totalCents).toBe(tenant.cents.total);
    }
    const nobody = await reports.tenantMonth('nobody', month);
    expect(nobody.tenants).toEqual([]);
    expect(period(nobody)).toEqual(period(all));
    return all;
  }

  it('gives every tenant its cents of the split over all tenants, on many clusters', async () => {
    // Three clusters, 40 + 25 + 15 tenants of 1-3 databases, three days;
    // tenant-N of one cluster and of another are the same tenant, so most
    // tenants are billed on several clusters (and their db-0 on each).
    const hours = [
      ...randomHours({
        seed: 11,
        cluster: 'eu-1',
        tenants: 40,
        hours: 72,
        start: '2026-03-01T00:00:00Z',
      }),
      ...randomHours({
        seed: 12,
        cluster: 'eu-2',
        tenants: 25,
        hours: 72,
        start: '2026-03-01T00:00:00Z',
        proxyShare: 0.3,
      }),
      ...randomHours({
        seed: 13,
        cluster: 'us-1',
        tenants: 15,
        hours: 60,
        start: '2026-03-01T12:00:00Z',
      }),
      // Hours nobody carries: unallocated, the last part of the split.
      {
        cluster: 'eu-1',
        hourStart: '2026-03-04T00:00:00Z',
        acu: 3.5,
        databases: [],
      },
    ];
    for (const hour of hours) {
      await store.writeHour(allocator.allocateHour(hour), { final: true });
    }
    const all = await expectSlicesEqual();
    expect(all.clusters.map(c => c.cluster)).toEqual(['eu-1', 'eu-2', 'us-1']);
    expect(all.clusters[0].unallocatedCents).toBeGreaterThan(0);
    const multi = all.tenants.flatMap(t =>
      t.byDatabase.filter(db => db.clusters.length > 1),
    );
    expect(multi.length).toBeGreaterThan(10);

    // A later hour changes every cluster's split: the stored splits are
    // stale, and neither the tenant's call nor the refresh uses them.
    await store.writeHour(
      allocator.allocateHour(
        randomHours({
          seed: 14,
          cluster: 'eu-1',
          tenants: 40,
          hours: 1,
          start: '2026-03-04T01:00:00Z',
        })[0],
      ),
      { final: false },
    );
    const stale = await knex('dbaas_billing_month_splits')
      .whereRaw('split_version IS DISTINCT FROM version')
      .select('cluster');
    expect(stale.map(s => s.cluster)).toEqual(['eu-1']);
    await expectSlicesEqual();
    await store.writeHour(
      allocator.allocateHour({
        cluster: 'eu-1',
        hourStart: '2026-03-04T02:00:00Z',
        acu: 2,
        databases: [
          {
            namespace: 'tenant-0',
            name: 'db-0',
            sizeBytes: 3 * 1024 ** 3,
            snapshotBytes: 0,
            activeSeconds: 10,
          },
        ],
      }),
      { final: false },
    );
    expect(await store.refreshSplits()).toBe(1);
    expect(await store.refreshSplits()).toBe(0);
    await expectSlicesEqual();
    // Another month is not this one.
    expect((await reports.tenantMonth('tenant-1', '2026-02')).tenants).toEqual(
      [],
    );
  });

  it('gives the cents for parts with equal remainders to the tenants first in order, as the whole split does', async () => {
    // Every part is 1.25 cents: 7 tenants × 3 databases × 5 components =
    // 105 parts of 12,500 micros = 131.25 cents: 26 parts get a second
    // cent, the 15 of tenant-a, then 11 of tenant-b's 15.
    const names = ['tenant-a', 'tenant-b', 'tenant-c', 'tenant-d'];
    const parts = [...names, 'tenant-e', 'tenant-f', 'tenant-g'].flatMap(
      namespace =>
        ['x', 'y', 'z'].map(name => ({
          namespace,
          name,
          micros: {
            computeUsed: 12_500,
            computeIdle: 12_500,
            storage: 12_500,
            snapshots: 12_500,
            base: 12_500,
          },
        })),
    );
    await store.writeHour(handHour('ties', '2026-03-02T10:00:00.000Z', parts), {
      final: true,
    });
    const all = await expectSlicesEqual();
    expect(all.tenants.map(t => t.cents.total)).toEqual([
      30, 26, 15, 15, 15, 15, 15,
    ]);
    const split = await knex('dbaas_billing_month_splits')
      .where({ month: MONTH, cluster: 'ties' })
      .first();
    expect(split).toMatchObject({
      threshold: 2500,
      ties_namespace: 'tenant-b',
      ties_left: 11,
    });

    // tenant-c's x storage becomes exactly 2 cents for the day: one part
    // fewer at the threshold, 26 cents still left for 104 parts.
    await store.writeHour(
      handHour('ties', '2026-03-02T11:00:00.000Z', [
        {
          namespace: 'tenant-c',
          name: 'x',
          micros: { ...emptyAmounts(), storage: 7_500 },
        },
      ]),
      { final: true },
    );
    await expectSlicesEqual();

    // No cent left over after the floors (2.2 cents: 2): no part at any
    // remainder gets one (the split says so with threshold 10,000).
    await clearBillingTables(knex);
    await store.writeHour(
      handHour('ties', '2026-03-02T10:00:00.000Z', [
        {
          namespace: 'tenant-a',
          name: 'x',
          micros: { ...emptyAmounts(), computeUsed: 11_000 },
        },
        {
          namespace: 'tenant-b',
          name: 'x',
          micros: { ...emptyAmounts(), computeUsed: 11_000 },
        },
      ]),
      { final: true },
    );
    const few = await expectSlicesEqual();
    expect(few.tenants.map(t => t.cents.total)).toEqual([1, 1]);
    expect(
      await knex('dbaas_billing_month_splits')
        .where({ month: MONTH, cluster: 'ties' })
        .first(),
    ).toMatchObject({ threshold: 10_000, ties_namespace: '', ties_left: 0 });
  });

  it('stays exact for rows written behind the store’s back (no split row yet)', async () => {
    for (const hour of randomHours({
      seed: 21,
      cluster: 'eu-1',
      tenants: 12,
      hours: 30,
      start: '2026-03-01T00:00:00Z',
    })) {
      await store.writeHour(allocator.allocateHour(hour), { final: true });
    }
    // As a restore of a dump, or the benchmarks' copies, would leave it.
    await knex('dbaas_billing_month_splits').delete();
    await expectSlicesEqual();
    const rows = await knex('dbaas_billing_month_splits').select();
    expect(rows).toHaveLength(1);
    expect(rows[0].split_version).toBe(rows[0].version);
  });

  it('marks the month of the oldest kept day stale when daily rows are pruned', async () => {
    const short = new DatabaseBillingStore(knex, {
      hourMs: 400 * 24 * HOUR,
      dayMs: 40 * 24 * HOUR,
    });
    for (const hour of randomHours({
      seed: 31,
      cluster: 'eu-1',
      tenants: 6,
      hours: 48,
      start: '2026-01-30T12:00:00Z',
    })) {
      await short.writeHour(allocator.allocateHour(hour), { final: true });
    }
    await short.refreshSplits();
    // 40 days after 2026-03-12: days before 2026-02-01 go, and January's
    // split with them; February's stays, stale until computed again.
    await short.prune(new Date('2026-03-13T00:00:00Z'));
    const rows = await knex('dbaas_billing_month_splits')
      .orderBy('month')
      .select();
    expect(rows.map(r => r.month)).toEqual(['2026-02']);
    expect(rows[0].split_version).not.toBe(rows[0].version);
    expect(await short.refreshSplits()).toBe(1);
  });
});
