/*
 * Run from plugins/dbaas-backend, with a PostgreSQL URL for the part that
 * reads through the billing store (as the API does):
 *   BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING=postgresql://... CI=true \
 *     npx backstage-cli package test --roots '<rootDir>/../bench' --testMatch '**\/billingReport.bench.ts'
 * Without the URL only the in-memory part runs (and says so).
 *
 * A month report for 1,000 tenants (one database each, 10 clusters of 100)
 * over a year of hourly samples (QUALITY: < 500 ms).
 *
 * Why it is fast: every hour is priced and split ONCE, by the billing task
 * (HourlyBilling, TenantCostAllocator.allocateHour), and added into DAILY
 * rollups: one row per (cluster, database, day) holding additive micros per
 * cost component and usage sums. A year of hourly samples is 8.78 million
 * database-hours; the rollups are 366,000 rows, and a month report reads
 * only that month's 31,000 rows (`day >= ? AND day < ?` on the primary
 * key). The report then only sums and does one linear, integer-only
 * micros -> cents split per cluster. Recomputing the month from raw hourly
 * samples means pricing and splitting 744,000 database-hours again.
 *
 * With a PostgreSQL URL, the first part produces the rows the way the
 * plugin does and times what `GET /billing` does with them:
 * - metrics: a sampling pass of each cluster every hour of the first week
 *   of July 2024 (made-up counters, bench/syntheticUsage.ts) written with
 *   the metrics store's recordSamples and rolled up into hours by its
 *   rollUp;
 * - billing: HourlyBilling.run, the billing task's pricing, over those
 *   hours: for each cluster-hour the usage read back from the metric
 *   points, the capacity (a stand-in for CloudWatch: 4-11 ACU, a point
 *   every 5 minutes), TenantCostAllocator, and BillingStore.writeHour
 *   (the hour's rows, its day's rollups recomputed);
 * - the rest of July: that week's daily rollups copied in SQL (day i gets
 *   day i mod 7), and the other 11 months of the year July's (day i of the
 *   year gets July's day i mod 31); the report does not read those months,
 *   they make the table a year's size;
 * - VACUUM ANALYZE of the billing tables: writing an hour rewrites its
 *   day's rows, and autovacuum has long cleaned up by the time a past month
 *   is read;
 * then times BillingReports.month (the store's read of the month plus the
 * report) and reports the writeHour times of the run.
 * DBAAS_BENCH_BILLING_DAYS (default 7: producing the whole month through
 * the plugin takes several minutes here) sets how many days of July are
 * priced through the plugin; the rest of the month is copied from them.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  CapacityPoint,
  CapacityReader,
  readClusterConfigs,
} from '@dbaas/plugin-dbaas-node';
import { BillingReports } from '../src/billing/BillingReports';
import { readBillingSettings } from '../src/billing/BillingSettings';
import { BillingStore } from '../src/billing/BillingStore';
import { DatabaseBillingStore } from '../src/billing/DatabaseBillingStore';
import { HourlyBilling } from '../src/billing/HourlyBilling';
import { buildMonthReport } from '../src/billing/monthReport';
import { DatabaseInventoryStore } from '../src/inventory/DatabaseInventoryStore';
import { applyDatabaseMigrations } from '../src/database/migrations';
import { DatabaseMetricsStore } from '../src/metrics/DatabaseMetricsStore';
import {
  ClusterHourSample,
  DailyDatabaseRollup,
  DailyRollupAccumulator,
  TenantCostAllocator,
} from '../src/billing/TenantCostAllocator';
import { seededRandom } from '../src/billing/testUtils';
import { DatabaseSnapshotStore } from '../src/snapshots/DatabaseSnapshotStore';
import { SnapshotUsage } from '../src/snapshots/SnapshotUsage';
import {
  copyDailyRollups,
  median,
  percentile,
  recordPasses,
  SyntheticCluster,
  utcDay,
} from './syntheticUsage';

const TENANTS = 1000;
const CLUSTERS = 10;
const YEAR_START = Date.UTC(2024, 0, 1);
const HOURS = 366 * 24; // 2024 is a leap year
const MONTH = '2024-07';
const ROUNDS = 5;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const PRICED_DAYS = Math.min(
  31,
  Math.max(1, Number(process.env.DBAAS_BENCH_BILLING_DAYS ?? 7)),
);

jest.setTimeout(1_800_000);

const billingConfig = {
  dbaas: {
    billing: {
      prices: { baseMonthly: 250 },
      allocation: { idleCapacity: 'even', baseFee: 'storage' },
    },
  },
};
const settings = readBillingSettings(new ConfigReader(billingConfig));

function* hourlySamples(
  fromHour: number,
  toHour: number,
): Generator<ClusterHourSample> {
  const rnd = seededRandom(fromHour + 1);
  for (let h = fromHour; h < toHour; h++) {
    const hourStart = new Date(YEAR_START + h * 3_600_000);
    for (let c = 0; c < CLUSTERS; c++) {
      const databases = [];
      for (let t = c; t < TENANTS; t += CLUSTERS) {
        databases.push({
          namespace: `tenant-${t}`,
          name: 'main',
          sizeBytes: (1 + (t % 50)) * 1024 ** 3 + h * 1024,
          snapshotBytes: (1 + (t % 7)) * 1024 ** 3,
          activeSeconds: rnd() < 0.4 ? 0 : rnd() * 300,
        });
      }
      yield { cluster: `cluster-${c}`, hourStart, acu: 4 + (h % 8), databases };
    }
  }
}

function monthHours(month: string): [number, number] {
  const [y, m] = month.split('-').map(Number);
  const from = (Date.UTC(y, m - 1, 1) - YEAR_START) / 3_600_000;
  const to = (Date.UTC(y, m, 1) - YEAR_START) / 3_600_000;
  return [from, to];
}

/** Stands in for CloudWatch's ServerlessDatabaseCapacity: 4-11 ACU. */
class VaryingCapacity implements CapacityReader {
  async readCapacity(options: {
    from: Date;
    to: Date;
  }): Promise<CapacityPoint[]> {
    const points: CapacityPoint[] = [];
    const step = 5 * 60_000;
    const first = Math.ceil(options.from.getTime() / step) * step;
    for (let at = first; at < options.to.getTime(); at += step) {
      points.push({
        at: new Date(at),
        acu: 4 + (Math.floor(at / HOUR_MS) % 8),
      });
    }
    return points;
  }
}

const PG_URL = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

(PG_URL ? describe : describe.skip)('the billing store in PostgreSQL', () => {
  it('reads the month from the billing store in PostgreSQL and builds it in < 500 ms', async () => {
    const knex = await databases.init('POSTGRES_15');
    await applyDatabaseMigrations(mockServices.database({ knex }));
    const seconds = (since: number) =>
      `${((performance.now() - since) / 1000).toFixed(0)} s`;

    // The clusters (Aurora) and the inventory: tenant-N/main on cluster N mod 10.
    const clusterConfig = new ConfigReader({
      dbaas: {
        clusters: Array.from({ length: CLUSTERS }, (_, c) => ({
          name: `cluster-${c}`,
          environment: 'production',
          provider: 'aurora',
          connection: 'postgresql://observer@127.0.0.1:1/postgres',
          publicEndpoint: { host: `cluster-${c}.proxy.internal`, port: 5432 },
          aurora: { region: 'eu-west-1', clusterIdentifier: `cluster-${c}` },
        })),
      },
    });
    const clusters = readClusterConfigs(clusterConfig);
    const inventory = new DatabaseInventoryStore(knex);
    const tenantsOf = (c: number) =>
      Array.from(
        { length: TENANTS / CLUSTERS },
        (_, k) => `tenant-${c + k * CLUSTERS}`,
      );
    for (let c = 0; c < CLUSTERS; c++) {
      await inventory.applyUpdates(
        tenantsOf(c).map(namespace => ({
          namespace,
          name: 'main',
          databaseName: `${namespace}-main`,
          mode: 'standard' as const,
          status: 'ready' as const,
          cluster: `cluster-${c}`,
          pullRequests: [],
        })),
      );
    }

    // Metrics: one pass of each cluster every hour, as the store keeps them.
    const produceStart = performance.now();
    const monthStart = Date.UTC(2024, 6, 1);
    const pricedEnd = monthStart + PRICED_DAYS * DAY_MS;
    const metrics = new DatabaseMetricsStore(knex);
    const sampled = Array.from(
      { length: CLUSTERS },
      (_, c) => new SyntheticCluster(`cluster-${c}`, c + 1),
    );
    let rawPoints = 0;
    for (let at = monthStart; at < pricedEnd; at += HOUR_MS) {
      for (let c = 0; c < CLUSTERS; c++) {
        rawPoints += await recordPasses(
          metrics,
          sampled[c],
          tenantsOf(c).map(namespace => `${namespace}-main`),
          { from: at, to: at + 1, stepMs: HOUR_MS },
        );
      }
    }
    const metricsMs = performance.now() - produceStart;
    // Billed 20 minutes after the last hour, when every hour is final.
    const now = new Date(pricedEnd + 20 * 60_000);
    let t = performance.now();
    await metrics.rollUp(now);
    const rollUpMs = performance.now() - t;

    // Billing: the billing task's pricing of every cluster-hour.
    const store = new DatabaseBillingStore(knex);
    const writeTimes: number[] = [];
    const timedStore: BillingStore = {
      async writeHour(hour, options) {
        const start = performance.now();
        const written = await store.writeHour(hour, options);
        writeTimes.push(performance.now() - start);
        return written;
      },
      lastFinalHour: cluster => store.lastFinalHour(cluster),
      dailyRollups: (fromDay, toDay) => store.dailyRollups(fromDay, toDay),
      tenantMonthRollups: (month, namespace) =>
        store.tenantMonthRollups(month, namespace),
      refreshSplits: () => store.refreshSplits(),
      prune: at => store.prune(at),
      firstWritableDay: at => store.firstWritableDay(at),
    };
    t = performance.now();
    const result = await new HourlyBilling({
      clusters: clusters.map(cluster => ({
        name: cluster.name,
        capacity: new VaryingCapacity(),
      })),
      usage: metrics,
      databases: inventory,
      snapshots: new SnapshotUsage(new DatabaseSnapshotStore(knex), clusters),
      store: timedStore,
      allocator: new TenantCostAllocator(settings),
      logger: mockServices.logger.mock(),
    }).run(now);
    const billingMs = performance.now() - t;
    expect(result.failed).toEqual({});
    const finalHours = Object.values(result.clusters).reduce(
      (n, r) => n + r.final,
      0,
    );
    expect(finalHours).toBe(CLUSTERS * PRICED_DAYS * 24);

    // The rest of July (when fewer days were priced) and of the year: copies.
    t = performance.now();
    let copied = 0;
    if (PRICED_DAYS < 31) {
      copied += await copyDailyRollups(knex, {
        sourceFrom: utcDay(monthStart),
        sourceDays: PRICED_DAYS,
        fromDay: utcDay(monthStart),
        toDay: '2024-07-31',
      });
    }
    copied += await copyDailyRollups(knex, {
      sourceFrom: utcDay(monthStart),
      sourceDays: 31,
      fromDay: '2024-01-01',
      toDay: '2024-12-31',
    });
    const copyMs = performance.now() - t;
    for (const table of [
      'dbaas_billing_hours',
      'dbaas_billing_hour_costs',
      'dbaas_billing_daily_databases',
      'dbaas_billing_daily_clusters',
    ]) {
      await knex.raw('VACUUM ANALYZE ??', [table]);
    }
    const [{ n: rowCount }] = await knex('dbaas_billing_daily_databases').count(
      { n: '*' },
    );

    const reports = new BillingReports({
      store,
      settings,
      budgets: new Map(),
      now: () => new Date('2024-08-15T00:00:00Z'),
    });
    await reports.month(MONTH); // warm-up
    const runs: number[] = [];
    const readRuns: number[] = [];
    let report = await reports.month(MONTH);
    for (let i = 0; i < ROUNDS; i++) {
      t = performance.now();
      report = await reports.month(MONTH);
      runs.push(performance.now() - t);
      t = performance.now();
      await store.dailyRollups('2024-07-01', '2024-08-01');
      readRuns.push(performance.now() - t);
    }
    expect(report.tenants).toHaveLength(TENANTS);
    expect(report.totalCents).toBe(
      report.clusters.reduce((a, c) => a + c.allocatedCents, 0),
    );
    writeTimes.sort((a, b) => a - b);

    const ms = median(runs);
    // eslint-disable-next-line no-console
    console.log(
      [
        `Billing through the store (PostgreSQL): ${PRICED_DAYS} days of July 2024 for ${TENANTS} databases on ${CLUSTERS} clusters produced by the plugin's code in ${seconds(
          produceStart,
        )} (metrics: ${rawPoints} points written in ${(
          metricsMs / 1000
        ).toFixed(0)} s, rolled up in ${(rollUpMs / 1000).toFixed(
          0,
        )} s; HourlyBilling: ${finalHours} cluster-hours priced and written in ${(
          billingMs / 1000
        ).toFixed(0)} s); ${copied} daily rows copied in ${(
          copyMs / 1000
        ).toFixed(1)} s; ${rowCount} daily database rows in the table`,
        '',
        '| computation | median ms |',
        '|---|---:|',
        `| GET /billing's work: month report via BillingReports (store read + build) | ${ms.toFixed(
          1,
        )} |`,
        `| of which: reading the month's daily rows (DatabaseBillingStore.dailyRollups) | ${median(
          readRuns,
        ).toFixed(1)} |`,
        `| writing one cluster-hour of ${
          TENANTS / CLUSTERS
        } databases (BillingStore.writeHour: rows + day recomputed), over the ${
          writeTimes.length
        } of the run | ${median(writeTimes).toFixed(1)} (p95 ${percentile(
          writeTimes,
          0.95,
        ).toFixed(1)}) |`,
      ].join('\n'),
    );
    expect(ms).toBeLessThan(500);
  });
});

if (!PG_URL) {
  // eslint-disable-next-line no-console
  console.log(
    'Billing store benchmark skipped: set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING to run it.',
  );
}

it('builds a month report for 1,000 tenants from daily rollups in < 500 ms', () => {
  const allocator = new TenantCostAllocator(settings);

  // Ingestion (not timed as the report): a year of hours into daily rollups.
  const ingestStart = performance.now();
  const acc = new DailyRollupAccumulator();
  for (const sample of hourlySamples(0, HOURS)) {
    acc.add(allocator.allocateHour(sample));
  }
  const rollups: DailyDatabaseRollup[] = acc.databaseRollups();
  const clusterRollups = acc.clusterRollups();
  const ingestMs = performance.now() - ingestStart;
  expect(rollups).toHaveLength(TENANTS * 366);

  // What a store returns for the month: its rows only.
  const [fromDay, toDay] = ['2024-07-01', '2024-08-01'];
  const monthRows = rollups.filter(r => r.day >= fromDay && r.day < toDay);
  const monthClusterRows = clusterRollups.filter(
    r => r.day >= fromDay && r.day < toDay,
  );
  const asOf = new Date('2024-08-15T00:00:00Z');

  const fromRollups = (rows: DailyDatabaseRollup[]) =>
    buildMonthReport({
      month: MONTH,
      settings,
      databaseRollups: rows,
      clusterRollups: monthClusterRows,
      asOf,
    });

  fromRollups(monthRows); // warm-up
  const runs: number[] = [];
  const yearRuns: number[] = [];
  let report = fromRollups(monthRows);
  for (let i = 0; i < ROUNDS; i++) {
    let t = performance.now();
    report = fromRollups(monthRows);
    runs.push(performance.now() - t);
    // Also from all of the year's rollups (filtering inside the report).
    t = performance.now();
    fromRollups(rollups);
    yearRuns.push(performance.now() - t);
  }

  // For comparison: the same month from raw hourly samples.
  const [fromHour, toHour] = monthHours(MONTH);
  const raw = [...hourlySamples(fromHour, toHour)];
  const rawRuns: number[] = [];
  let rawReport = report;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const monthAcc = new DailyRollupAccumulator();
    for (const sample of raw) monthAcc.add(allocator.allocateHour(sample));
    rawReport = buildMonthReport({
      month: MONTH,
      settings,
      databaseRollups: monthAcc.databaseRollups(),
      clusterRollups: monthAcc.clusterRollups(),
      asOf,
    });
    rawRuns.push(performance.now() - t);
  }

  expect(report.tenants).toHaveLength(TENANTS);
  expect(rawReport.totalCents).toBe(report.totalCents);
  expect(report.totalCents).toBe(
    report.clusters.reduce((a, c) => a + c.allocatedCents, 0),
  );

  const ms = median(runs);
  // eslint-disable-next-line no-console
  console.log(
    [
      `Billing month report: ${TENANTS} tenants, ${CLUSTERS} clusters, ${HOURS} hourly samples each (${(
        (TENANTS * HOURS) /
        1e6
      ).toFixed(2)} M database-hours), month ${MONTH}`,
      '',
      '| computation | rows read | median ms |',
      '|---|---:|---:|',
      `| month report from daily rollups (the month's rows) | ${
        monthRows.length
      } | ${ms.toFixed(1)} |`,
      `| month report from daily rollups (a year of rows, filtered) | ${
        rollups.length
      } | ${median(yearRuns).toFixed(1)} |`,
      `| month report from raw hourly samples (price + split + report) | ${
        raw.length * (TENANTS / CLUSTERS)
      } | ${median(rawRuns).toFixed(1)} |`,
      `| (ingestion: a year of hours into daily rollups, once) | ${
        HOURS * TENANTS
      } | ${ingestMs.toFixed(0)} |`,
    ].join('\n'),
  );

  expect(ms).toBeLessThan(500);
});
