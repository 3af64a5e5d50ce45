/*
 * Run from plugins/dbaas-backend, with a PostgreSQL URL for the part that
 * reads through the billing store (as the API does):
 *   BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING=postgresql://... CI=true \
 *     npx backstage-cli package test --roots '<rootDir>/../bench' --testMatch '**\/billingReport.bench.ts'
 * Without the URL only the in-memory part runs (and says so).
 *
 * A month report for 1,000 tenants (one database each, 10 clusters of 100)
 * over a year of hourly samples.
 *
 * Why it is fast: every hour is priced and split ONCE, when it is sampled
 * (TenantCostAllocator.allocateHour), and added into DAILY rollups: one row
 * per (cluster, database, day) holding additive micros per cost component
 * and usage sums. A year of hourly samples is 8.76 million database-hours;
 * the rollups are 365,000 rows, and a month report reads only that month's
 * ~31,000 rows (a `WHERE day >= ? AND day < ?` on an indexed column in the
 * store). The report then only sums and does one linear, integer-only
 * micros -> cents split per cluster. Recomputing the month from raw hourly
 * samples means pricing and splitting 744,000 database-hours again.
 *
 * With a PostgreSQL URL, a first part times what `GET /billing` does
 * against the billing tables holding a year of daily rows for 1,000
 * tenants: read the month's rows with DatabaseBillingStore and build the
 * report (BillingReports). It also times writing one cluster-hour of 100
 * databases (the hour's rows plus the day's rollups recomputed), the cost
 * the scheduled task pays per hour.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { BillingReports } from '../src/billing/BillingReports';
import { readBillingSettings } from '../src/billing/BillingSettings';
import {
  DatabaseBillingStore,
  dailyClusterRow,
  dailyDatabaseRow,
} from '../src/billing/DatabaseBillingStore';
import { buildMonthReport } from '../src/billing/monthReport';
import { applyDatabaseMigrations } from '../src/database/migrations';
import {
  ClusterHourSample,
  DailyClusterRollup,
  DailyDatabaseRollup,
  DailyRollupAccumulator,
  TenantCostAllocator,
} from '../src/billing/TenantCostAllocator';
import { seededRandom } from '../src/billing/testUtils';
import { ConfigReader } from '@backstage/config';

const TENANTS = 1000;
const CLUSTERS = 10;
const YEAR_START = Date.UTC(2024, 0, 1);
const HOURS = 366 * 24; // 2024 is a leap year
const MONTH = '2024-07';
const ROUNDS = 5;

jest.setTimeout(600_000);

const settings = readBillingSettings(
  new ConfigReader({
    dbaas: {
      billing: {
        prices: { baseMonthly: 250 },
        allocation: { idleCapacity: 'even', baseFee: 'storage' },
      },
    },
  }),
);

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

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

const PG_URL = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

(PG_URL ? describe : describe.skip)('the billing store in PostgreSQL', () => {
  it('reads the month from the billing store in PostgreSQL and builds it in < 500 ms', async () => {
    const knex = await databases.init('POSTGRES_15');
    await applyDatabaseMigrations(mockServices.database({ knex }));

    // A year of daily rows, as a year of hourly writes leaves them (the
    // figures are drawn at random here: reading does not depend on them,
    // and drawing them is seconds where pricing 8.78 M hours is minutes).
    const loadStart = performance.now();
    const rnd = seededRandom(42);
    const micros = () => Math.floor(rnd() * 5_000_000);
    let rowCount = 0;
    for (let d = 0; d < 366; d++) {
      const day = new Date(YEAR_START + d * 86_400_000)
        .toISOString()
        .slice(0, 10);
      const rows: DailyDatabaseRollup[] = [];
      for (let t = 0; t < TENANTS; t++) {
        rows.push({
          cluster: `cluster-${t % CLUSTERS}`,
          namespace: `tenant-${t}`,
          name: 'main',
          day,
          micros: {
            computeUsed: micros(),
            computeIdle: micros(),
            storage: micros(),
            snapshots: micros(),
            base: micros(),
          },
          usage: {
            hours: 24,
            storageGbHours: rnd() * 1200,
            snapshotGbHours: rnd() * 200,
            activeSeconds: rnd() * 7200,
            transactions: 0,
          },
        });
      }
      rowCount += rows.length;
      await knex('dbaas_billing_daily_databases').insert(
        rows.map(dailyDatabaseRow),
      );
      const clusterRows: DailyClusterRollup[] = [];
      for (let c = 0; c < CLUSTERS; c++) {
        clusterRows.push({
          cluster: `cluster-${c}`,
          day,
          hours: 24,
          acuHours: 24 * 4,
          usedAcuHours: 24,
          micros: {
            computeUsed: 0,
            computeIdle: 0,
            storage: 0,
            snapshots: 0,
            base: 0,
          },
          unallocatedMicros: micros(),
        });
      }
      await knex('dbaas_billing_daily_clusters').insert(
        clusterRows.map(dailyClusterRow),
      );
    }
    await knex.raw('ANALYZE dbaas_billing_daily_databases');
    const loadMs = performance.now() - loadStart;

    const store = new DatabaseBillingStore(knex, {
      hourMs: 400 * 24 * 3_600_000,
    });
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
      let t = performance.now();
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

    // Writing hours: one cluster of 100 databases, a day of hours (outside
    // the month above), each replacing its rows and recomputing its day.
    const allocator = new TenantCostAllocator(settings);
    const [marchFrom] = monthHours('2024-03');
    const dayHours = [...hourlySamples(marchFrom, marchFrom + 24)]
      .filter(s => s.cluster === 'cluster-0')
      .map(s => allocator.allocateHour(s));
    const writeRuns: number[] = [];
    for (const hour of dayHours) {
      const t = performance.now();
      await store.writeHour(hour, { final: true });
      writeRuns.push(performance.now() - t);
    }

    const ms = median(runs);
    // eslint-disable-next-line no-console
    console.log(
      [
        `Billing through the store (PostgreSQL): ${rowCount} daily database rows for the year, loaded in ${(
          loadMs / 1000
        ).toFixed(1)} s`,
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
        } databases (rows + day recomputed) | ${median(writeRuns).toFixed(
          1,
        )} |`,
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
