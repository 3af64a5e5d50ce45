import {
  FOCUS_COLUMNS,
  FOCUS_CUSTOM_COLUMNS,
  FOCUS_HEADER,
  monthReportToFocusCsv,
} from './focusCsv';
import { buildMonthReport, MonthReport } from './monthReport';
import {
  DailyRollupAccumulator,
  TenantCostAllocator,
} from './TenantCostAllocator';
import { parseCsvRecords, randomHours, settingsWith } from './testUtils';

const cents = (value: string) => Math.round(Number(value) * 100);

function report(options?: { baseMonthly?: number }): MonthReport {
  const settings = settingsWith({
    acuHour: 0.12,
    storageGbMonth: 0.1,
    snapshotGbMonth: 0.021,
    baseMonthly: options?.baseMonthly ?? 50,
  });
  const allocator = new TenantCostAllocator(settings);
  const acc = new DailyRollupAccumulator();
  for (const cluster of ['eu', 'us']) {
    for (const hour of randomHours({
      seed: cluster === 'eu' ? 3 : 4,
      cluster,
      tenants: 3,
      hours: 3 * 24,
      start: '2025-03-30T00:00:00Z',
      proxyShare: 0.2,
    })) {
      acc.add(allocator.allocateHour(hour));
    }
  }
  return buildMonthReport({
    month: '2025-03',
    settings,
    databaseRollups: acc.databaseRollups(),
    clusterRollups: acc.clusterRollups(),
    asOf: new Date('2025-04-02T00:00:00Z'),
  });
}

describe('monthReportToFocusCsv', () => {
  const month = report();
  const csv = monthReportToFocusCsv(month);
  const { header, records } = parseCsvRecords(csv);

  it('has exactly the FOCUS 1.3 column names, then x_ columns', () => {
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(header).toEqual(FOCUS_HEADER);
    // Mandatory Cost and Usage columns of FOCUS 1.3 (ProviderName and
    // PublisherName are deprecated but still required).
    for (const mandatory of [
      'BilledCost',
      'BillingAccountId',
      'BillingAccountName',
      'BillingCurrency',
      'BillingPeriodEnd',
      'BillingPeriodStart',
      'ChargeCategory',
      'ChargeClass',
      'ChargeDescription',
      'ChargePeriodEnd',
      'ChargePeriodStart',
      'ContractedCost',
      'EffectiveCost',
      'InvoiceIssuerName',
      'ListCost',
      'PricingQuantity',
      'PricingUnit',
      'ProviderName',
      'PublisherName',
      'ServiceCategory',
      'ServiceName',
    ]) {
      expect(header).toContain(mandatory);
    }
    for (const column of FOCUS_COLUMNS) {
      expect(column).toMatch(/^[A-Z][A-Za-z]+$/);
    }
    for (const column of FOCUS_CUSTOM_COLUMNS) {
      expect(column).toMatch(/^x_[A-Z][A-Za-z]+$/);
    }
    expect(records.length).toBeGreaterThan(0);
  });

  it('adds up to the report: totals, tenants and each part of the cost', () => {
    const sum = (rows: Record<string, string>[], column: string) =>
      rows.reduce((a, r) => a + (r[column] === '' ? 0 : cents(r[column])), 0);
    for (const column of [
      'BilledCost',
      'EffectiveCost',
      'ListCost',
      'ContractedCost',
    ]) {
      expect(sum(records, column)).toBe(month.totalCents);
    }
    for (const tenant of month.tenants) {
      const rows = records.filter(r => r.x_Tenant === tenant.namespace);
      expect(new Set(rows.map(r => r.SubAccountId))).toEqual(
        new Set([tenant.namespace]),
      );
      expect(sum(rows, 'BilledCost')).toBe(tenant.cents.total);
      const part = (component: string) =>
        sum(
          rows.filter(r => r.x_CostComponent === component),
          'BilledCost',
        );
      expect(part('compute')).toBe(tenant.cents.compute);
      expect(part('storage')).toBe(tenant.cents.storage);
      expect(part('snapshots')).toBe(tenant.cents.snapshots);
      expect(part('base')).toBe(tenant.cents.base);
      expect(sum(rows, 'x_ComputeUsed')).toBe(tenant.cents.computeUsed);
      expect(sum(rows, 'x_ComputeIdle')).toBe(tenant.cents.computeIdle);
    }
    expect(month.tenants.map(t => t.namespace)).toEqual([
      'tenant-0',
      'tenant-1',
      'tenant-2',
    ]);
  });

  it('fills every row as FOCUS asks: periods, categories, prices × quantities', () => {
    for (const r of records) {
      expect(r).toMatchObject({
        BillingCurrency: 'USD',
        BillingPeriodStart: '2025-03-01T00:00:00Z',
        BillingPeriodEnd: '2025-04-01T00:00:00Z',
        ChargeCategory: 'Usage',
        ChargeClass: '',
        ServiceCategory: 'Databases',
        ServiceSubcategory: 'Relational Databases',
        PricingCategory: 'Standard',
        ProviderName: 'dbaas',
        ServiceProviderName: 'dbaas',
        PublisherName: 'dbaas',
        InvoiceIssuerName: 'dbaas',
        HostProviderName: 'Amazon Web Services',
        ResourceId: `resource:default/${r.x_Tenant}-${r.x_Database}`,
        ResourceName: `${r.x_Tenant}/${r.x_Database}`,
      });
      expect(r.ChargePeriodStart).toMatch(/^2025-03-(30|31)T00:00:00Z$/);
      expect(
        Date.parse(r.ChargePeriodEnd) - Date.parse(r.ChargePeriodStart),
      ).toBe(86_400_000);
      expect(r.BilledCost).toMatch(/^\d+\.\d\d$/);
      expect(cents(r.BilledCost)).toBeGreaterThan(0);
      expect(r.EffectiveCost).toBe(r.BilledCost);
      // ListUnitPrice × PricingQuantity = ListCost, to the cent.
      expect(
        Math.abs(
          Number(r.ListUnitPrice) * Number(r.PricingQuantity) -
            Number(r.ListCost),
        ),
      ).toBeLessThan(0.005);
      expect(r.ConsumedQuantity).toBe(r.PricingQuantity);
      expect(JSON.parse(r.Tags)).toEqual({
        'dbaas.io/namespace': r.x_Tenant,
        'dbaas.io/database': `${r.x_Tenant}/${r.x_Database}`,
      });
      const expected = {
        compute: ['ACU-Hours', '0.12', 'Usage-Based'],
        storage: ['GB-Months', '0.1', 'Usage-Based'],
        snapshots: ['GB-Months', '0.021', 'Usage-Based'],
        base: ['Months', '50', 'Recurring'],
      }[r.x_CostComponent];
      expect(expected).toBeDefined();
      expect([r.PricingUnit, r.ListUnitPrice, r.ChargeFrequency]).toEqual(
        expected,
      );
      // Compute rows split into used + idle; other rows leave both null.
      const split =
        r.x_CostComponent === 'compute'
          ? cents(r.x_ComputeUsed) + cents(r.x_ComputeIdle) ===
            cents(r.BilledCost)
          : r.x_ComputeUsed === '' && r.x_ComputeIdle === '';
      expect({ row: r.ResourceName, day: r.ChargePeriodStart, split }).toEqual({
        row: r.ResourceName,
        day: r.ChargePeriodStart,
        split: true,
      });
    }
  });

  it('leaves out zero amounts, and the quantity of a part no longer priced', () => {
    // Billed with a base fee, exported after it was set to 0.
    const billed = report({ baseMonthly: 50 });
    const repriced: MonthReport = {
      ...billed,
      settings: {
        ...billed.settings,
        prices: { ...billed.settings.prices, baseMonthly: 0 },
      },
    };
    const base = parseCsvRecords(
      monthReportToFocusCsv(repriced),
    ).records.filter(r => r.x_CostComponent === 'base');
    expect(base.length).toBeGreaterThan(0);
    for (const r of base) {
      expect(cents(r.BilledCost)).toBeGreaterThan(0);
      expect([
        r.PricingQuantity,
        r.PricingUnit,
        r.ListUnitPrice,
        r.ContractedUnitPrice,
        r.ConsumedQuantity,
      ]).toEqual(['', '', '', '', '']);
    }

    const noBase = parseCsvRecords(
      monthReportToFocusCsv(report({ baseMonthly: 0 })),
    ).records;
    expect(noBase.some(r => r.x_CostComponent === 'base')).toBe(false);
    expect(noBase.every(r => cents(r.BilledCost) > 0)).toBe(true);
  });

  it('writes only a header for a month without costs', () => {
    expect(monthReportToFocusCsv({ ...month, tenants: [] })).toBe(
      `${FOCUS_HEADER.join(',')}\r\n`,
    );
  });
});
