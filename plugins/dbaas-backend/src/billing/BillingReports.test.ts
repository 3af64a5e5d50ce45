import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';
import { BillingReports, utcMonthOf } from './BillingReports';
import { DatabaseBillingStore } from './DatabaseBillingStore';
import { TenantCostAllocator } from './TenantCostAllocator';
import { settingsWith, clearBillingTables } from './testUtils';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

// 1.00 per cluster-hour, all compute, split 3:1 by active time: payments
// pays 75 cents and checkout 25 cents every hour.
const settings = settingsWith({
  acuHour: 1,
  storageGbMonth: 0,
  snapshotGbMonth: 0,
  baseMonthly: 0,
});
const allocator = new TenantCostAllocator(settings);
const HOUR = 3_600_000;

describe('BillingReports', () => {
  let knex: Knex;
  let store: DatabaseBillingStore;

  beforeAll(async () => {
    knex = await databases.init('POSTGRES_15');
    await applyDatabaseMigrations(mockServices.database({ knex }));
  });

  beforeEach(async () => {
    await clearBillingTables(knex);
    store = new DatabaseBillingStore(knex, { hourMs: 400 * 24 * HOUR });
  });

  async function bill(fromIso: string, toIso: string) {
    for (let t = Date.parse(fromIso); t < Date.parse(toIso); t += HOUR) {
      const hour = allocator.allocateHour({
        cluster: 'eu',
        hourStart: new Date(t),
        acu: 1,
        databases: [
          {
            namespace: 'payments',
            name: 'ledger',
            sizeBytes: 0,
            snapshotBytes: 0,
            activeSeconds: 2700,
          },
          {
            namespace: 'checkout',
            name: 'orders',
            sizeBytes: 0,
            snapshotBytes: 0,
            activeSeconds: 900,
          },
        ],
      });
      await store.writeHour(hour, { final: true });
    }
  }

  function reports(now: string, budgets = new Map<string, number>()) {
    return new BillingReports({
      store,
      settings,
      budgets,
      now: () => new Date(now),
    });
  }

  it('forecasts the current month from the hours billed so far', async () => {
    // Billed up to and including the open hour 10:00-11:00 of March 10th.
    await bill('2025-03-01T00:00:00Z', '2025-03-10T11:00:00Z');
    const report = await reports(
      '2025-03-10T10:20:00Z',
      new Map([['payments', 20_000]]),
    ).month();
    expect(report).toMatchObject({
      month: '2025-03',
      status: 'current',
      asOf: '2025-03-10T11:00:00.000Z',
      hoursInMonth: 744,
      elapsedHours: 227,
    });
    const [checkout, payments] = report.tenants;
    expect(payments.cents.total).toBe(75 * 227);
    expect(checkout.cents.total).toBe(25 * 227);
    // month-to-date + month-to-date / elapsed × (hours in month − elapsed),
    // which for a constant cost is exactly a full month of it.
    expect(payments.forecastCents).toBe(
      75 * 227 + Math.round(((75 * 227) / 227) * (744 - 227)),
    );
    expect(payments.forecastCents).toBe(75 * 744);
    expect(checkout.forecastCents).toBe(25 * 744);
    expect(report.forecastCents).toBe(100 * 744);
    expect(payments).toMatchObject({
      budgetCents: 20_000,
      budgetUsedPercent: 85.1,
    });
  });

  it('extrapolates from the last hour billed when billing lags behind the clock', async () => {
    await bill('2025-03-01T00:00:00Z', '2025-03-02T00:00:00Z');
    const report = await reports('2025-03-02T05:00:00Z').month('2025-03');
    expect(report.asOf).toBe('2025-03-02T00:00:00.000Z');
    expect(report.elapsedHours).toBe(24);
    expect(report.forecastCents).toBe(100 * 744);
  });

  it('keeps the month current while its last hour is billed provisionally', async () => {
    await bill('2025-03-31T20:00:00Z', '2025-04-01T00:00:00Z');
    const report = await reports('2025-03-31T23:10:00Z').month();
    expect(report.status).toBe('current');
    expect(report.elapsedHours).toBe(744);
    expect(report.forecastCents).toBe(report.totalCents);
  });

  it('reports past months as they are, an empty month with zeros', async () => {
    await bill('2025-02-27T00:00:00Z', '2025-03-01T00:00:00Z');
    const past = await reports('2025-04-02T08:00:00Z').month('2025-02');
    expect(past.status).toBe('past');
    expect(past.totalCents).toBe(100 * 48);
    expect(past.forecastCents).toBe(100 * 48);

    const empty = await reports('2025-04-02T08:00:00Z').month();
    expect(empty).toMatchObject({
      month: '2025-04',
      status: 'current',
      asOf: '2025-04-02T08:00:00.000Z',
      totalCents: 0,
      forecastCents: 0,
      tenants: [],
    });
    const future = await reports('2025-04-02T08:00:00Z').month('2025-06');
    expect(future.status).toBe('future');
  });

  it('refuses a month that is not YYYY-MM', async () => {
    for (const month of ['2025-13', '2025-3', '25-03', "2025-03'", '']) {
      await expect(
        reports('2025-04-02T08:00:00Z').month(month),
      ).rejects.toThrow(/month must be YYYY-MM/);
    }
  });

  it('names months in UTC', () => {
    expect(utcMonthOf(new Date('2025-03-31T23:59:59Z'))).toBe('2025-03');
    expect(utcMonthOf(new Date('2025-04-01T00:00:00+02:00'))).toBe('2025-03');
  });
});
