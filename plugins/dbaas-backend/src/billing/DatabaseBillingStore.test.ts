import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import {
  applyDatabaseMigrations,
  DBAAS_MIGRATIONS_DIRECTORY,
} from '../database/migrations';
import { DatabaseBillingStore } from './DatabaseBillingStore';
import { buildMonthReport } from './monthReport';
import {
  ClusterHourCost,
  DailyRollupAccumulator,
  TenantCostAllocator,
} from './TenantCostAllocator';
import {
  randomHours,
  seededRandom,
  settingsWith,
  clearBillingTables,
} from './testUtils';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

const settings = settingsWith(
  { baseMonthly: 99.99 },
  { idleCapacity: 'even', baseFee: 'storage' },
);
const allocator = new TenantCostAllocator(settings);

/** Rollups sorted, usage rounded: floats summed in another order differ in the last bits. */
function normalized(acc: {
  databaseRollups: Array<Record<string, any>>;
  clusterRollups: Array<Record<string, any>>;
}) {
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  const roundAll = (o: Record<string, number>) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, round(v)]));
  const key = (r: Record<string, any>) =>
    `${r.day} ${r.cluster} ${r.namespace ?? ''} ${r.name ?? ''}`;
  return {
    databases: acc.databaseRollups
      .map(r => ({ ...r, usage: roundAll(r.usage) }))
      .sort((a, b) => (key(a) < key(b) ? -1 : 1)),
    clusters: acc.clusterRollups
      .map(r => ({
        ...r,
        acuHours: round(r.acuHours),
        usedAcuHours: round(r.usedAcuHours),
      }))
      .sort((a, b) => (key(a) < key(b) ? -1 : 1)),
  };
}

function expectedRollups(hours: ClusterHourCost[]) {
  const acc = new DailyRollupAccumulator();
  hours.forEach(h => acc.add(h));
  return normalized({
    databaseRollups: acc.databaseRollups(),
    clusterRollups: acc.clusterRollups(),
  });
}

describe('DatabaseBillingStore', () => {
  let knex: Knex;
  let store: DatabaseBillingStore;

  beforeAll(async () => {
    knex = await databases.init('POSTGRES_15');
    await applyDatabaseMigrations(mockServices.database({ knex }));
  });

  beforeEach(async () => {
    await clearBillingTables(knex);
    store = new DatabaseBillingStore(knex);
  });

  const hours = randomHours({
    seed: 7,
    cluster: 'eu',
    tenants: 5,
    hours: 72,
    start: '2025-03-30T00:00:00Z',
    proxyShare: 0.3,
  }).map(s => allocator.allocateHour(s));

  it('keeps daily rollups equal to the sums of the hours written', async () => {
    for (const hour of hours) {
      expect(await store.writeHour(hour, { final: true })).toBe(true);
    }
    const stored = await store.dailyRollups('2025-03-01', '2025-05-01');
    expect(normalized(stored)).toEqual(expectedRollups(hours));
    expect(stored.dataEnd).toEqual(new Date('2025-04-02T00:00:00Z'));

    // The month report from the store is the report from the hours.
    const asOf = new Date('2025-05-01T00:00:00Z');
    const fromStore = buildMonthReport({
      month: '2025-03',
      settings,
      ...stored,
      asOf,
    });
    const acc = new DailyRollupAccumulator();
    hours.forEach(h => acc.add(h));
    const direct = buildMonthReport({
      month: '2025-03',
      settings,
      databaseRollups: acc.databaseRollups(),
      clusterRollups: acc.clusterRollups(),
      asOf,
    });
    expect(fromStore.totalCents).toBe(direct.totalCents);
    expect(fromStore.clusters).toEqual(
      direct.clusters.map(c => ({
        ...c,
        acuHours: expect.closeTo(c.acuHours, 6),
        usedAcuHours: expect.closeTo(c.usedAcuHours, 6),
      })),
    );
    expect(fromStore.tenants.map(t => [t.namespace, t.cents])).toEqual(
      direct.tenants.map(t => [t.namespace, t.cents]),
    );
  });

  it('counts an hour written twice, or rewritten with new figures, once', async () => {
    const [first, second] = hours;
    await store.writeHour(first, { final: true });
    await store.writeHour(second, { final: false });
    await store.writeHour(first, { final: true });
    await store.writeHour(second, { final: false });
    expect(
      normalized(await store.dailyRollups('2025-03-30', '2025-03-31')),
    ).toEqual(expectedRollups([first, second]));

    // A provisional hour rewritten with other figures replaces them.
    const revised = allocator.allocateHour({
      cluster: 'eu',
      hourStart: second.hourStart,
      acu: 2,
      databases: [
        {
          namespace: 'tenant-0',
          name: 'db-0',
          sizeBytes: 10 * 1024 ** 3,
          snapshotBytes: 0,
          activeSeconds: 100,
        },
      ],
    });
    await store.writeHour(revised, { final: true });
    expect(
      normalized(await store.dailyRollups('2025-03-30', '2025-03-31')),
    ).toEqual(expectedRollups([first, revised]));
    expect(
      await knex('dbaas_billing_hour_costs').where({
        hour_start: new Date(second.hourStart),
      }),
    ).toHaveLength(1);
  });

  it('never replaces a final hour with a provisional estimate', async () => {
    const [first] = hours;
    const estimate = { ...hours[1], hourStart: first.hourStart };
    await store.writeHour(first, { final: true });
    expect(await store.writeHour(estimate, { final: false })).toBe(false);
    expect(
      normalized(await store.dailyRollups('2025-03-30', '2025-03-31')),
    ).toEqual(expectedRollups([first]));
    expect(await store.lastFinalHour('eu')).toEqual(new Date(first.hourStart));
    expect(await store.lastFinalHour('us')).toBeUndefined();
  });

  it('counts every hour once when two replicas write the same hours at once', async () => {
    // A second client: another backend replica on the same database.
    const replica = knexFactory({
      client: 'pg',
      connection: knex.client.config.connection,
      pool: { min: 0, max: 4 },
    });
    try {
      const other = new DatabaseBillingStore(replica);
      const rnd = seededRandom(3);
      const shuffled = (list: ClusterHourCost[]) =>
        [...list].sort(() => rnd() - 0.5);
      // Each replica writes all hours, in its own order, 4 at a time.
      const writeAll = async (
        s: DatabaseBillingStore,
        list: ClusterHourCost[],
      ) => {
        for (let i = 0; i < list.length; i += 4) {
          await Promise.all(
            list.slice(i, i + 4).map(h => s.writeHour(h, { final: true })),
          );
        }
      };
      await Promise.all([
        writeAll(store, shuffled(hours)),
        writeAll(other, shuffled(hours)),
      ]);
      expect(
        normalized(await store.dailyRollups('2025-03-01', '2025-05-01')),
      ).toEqual(expectedRollups(hours));
    } finally {
      await replica.destroy();
    }
  });

  it('prunes hour rows by whole days and daily rows after their retention', async () => {
    store = new DatabaseBillingStore(knex, {
      hourMs: 2 * 86_400_000,
      dayMs: 3 * 86_400_000,
    });
    for (const hour of hours) await store.writeHour(hour, { final: true });
    // 2025-04-02T10:00: hours of days before 03-31 go, rollups stay.
    const now = new Date('2025-04-02T10:00:00Z');
    expect(store.firstWritableDay(now)).toBe('2025-03-31');
    await store.prune(now);
    const days = await knex('dbaas_billing_hours').distinct('day');
    expect(days.map(d => d.day).sort()).toEqual(['2025-03-31', '2025-04-01']);
    expect(
      await knex('dbaas_billing_hour_costs').where(
        'hour_start',
        '<',
        new Date('2025-03-31T00:00:00Z'),
      ),
    ).toEqual([]);
    const rollups = await store.dailyRollups('2025-03-01', '2025-05-01');
    expect([...new Set(rollups.clusterRollups.map(r => r.day))]).toEqual(
      expect.arrayContaining(['2025-03-30', '2025-03-31', '2025-04-01']),
    );
    // A day later the first daily rows are past their 3 days.
    await store.prune(new Date('2025-04-03T10:00:00Z'));
    const later = await store.dailyRollups('2025-03-01', '2025-05-01');
    expect(later.clusterRollups.map(r => r.day).sort()).toEqual([
      '2025-03-31',
      '2025-04-01',
    ]);
  });

  it('has a migration that rolls back cleanly', async () => {
    const fresh = await databases.init('POSTGRES_15');
    await applyDatabaseMigrations(mockServices.database({ knex: fresh }));
    expect(await fresh.schema.hasTable('dbaas_billing_budget_alerts')).toBe(
      true,
    );
    await fresh.migrate.rollback(
      { directory: DBAAS_MIGRATIONS_DIRECTORY },
      true,
    );
    for (const table of [
      'dbaas_billing_hours',
      'dbaas_billing_hour_costs',
      'dbaas_billing_daily_databases',
      'dbaas_billing_daily_clusters',
      'dbaas_billing_budget_alerts',
    ]) {
      expect(await fresh.schema.hasTable(table)).toBe(false);
    }
  });
});
