import { csvField, monthReportToCsv } from './csv';
import { buildMonthReport } from './monthReport';
import {
  DailyRollupAccumulator,
  TenantCostAllocator,
} from './TenantCostAllocator';
import { parseCsv, settingsWith } from './testUtils';

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rlf', '"cr\rlf"'],
    ['=SUM(A1)', "'=SUM(A1)"],
    ['-1,2', `"'-1,2"`],
    ['', ''],
  ])('%j -> %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });
});

describe('monthReportToCsv', () => {
  it('writes a header and one quoted line per tenant, database and day', () => {
    const settings = settingsWith(
      { acuHour: 1, storageGbMonth: 0, snapshotGbMonth: 0, baseMonthly: 0 },
      { idleCapacity: 'even' },
    );
    const allocator = new TenantCostAllocator(settings);
    const acc = new DailyRollupAccumulator();
    const names = ['a,b', 'say "hi"', 'multi\nline'];
    for (let h = 0; h < 48; h++) {
      acc.add(
        allocator.allocateHour({
          cluster: 'c',
          hourStart: new Date(Date.UTC(2025, 2, 1, h)),
          acu: 3,
          // 'a,b' is busy a quarter of each hour, the others never: it uses
          // 0.25 of the 3 ACU (6 ACU-hours a day), the 2.75 idle ACU are
          // split evenly (22 ACU-hours a day each), at 1 per ACU-hour.
          databases: names.map(name => ({
            namespace: 'tenant',
            name,
            sizeBytes: 1,
            snapshotBytes: 0,
            activeSeconds: name === 'a,b' ? 900 : 0,
          })),
        }),
      );
    }
    const report = buildMonthReport({
      month: '2025-03',
      settings,
      databaseRollups: acc.databaseRollups(),
      asOf: new Date('2025-04-02T00:00:00Z'),
    });
    const csv = monthReportToCsv(report);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([
      'tenant',
      'database',
      'day',
      'compute',
      'storage',
      'snapshots',
      'base',
      'total',
      'currency',
      'compute_used',
      'compute_idle',
    ]);
    expect(rows).toHaveLength(1 + 3 * 2);
    expect(rows.slice(1).map(r => [r[1], r[2]])).toEqual([
      ['a,b', '2025-03-01'],
      ['a,b', '2025-03-02'],
      ['multi\nline', '2025-03-01'],
      ['multi\nline', '2025-03-02'],
      ['say "hi"', '2025-03-01'],
      ['say "hi"', '2025-03-02'],
    ]);
    expect(rows[1]).toEqual([
      'tenant',
      'a,b',
      '2025-03-01',
      '28.00',
      '0.00',
      '0.00',
      '0.00',
      '28.00',
      'USD',
      '6.00',
      '22.00',
    ]);
    // compute = compute_used + compute_idle on every line, and the split
    // adds up to the tenant's, as the page shows it.
    const cents = (value: string) => Math.round(Number(value) * 100);
    for (const r of rows.slice(1)) {
      expect(cents(r[3])).toBe(cents(r[9]) + cents(r[10]));
    }
    const tenant = report.tenants[0].cents;
    expect(rows.slice(1).reduce((a, r) => a + cents(r[9]), 0)).toBe(
      tenant.computeUsed,
    );
    expect(rows.slice(1).reduce((a, r) => a + cents(r[10]), 0)).toBe(
      tenant.computeIdle,
    );
    expect(tenant.computeUsed).toBeGreaterThan(0);
    expect(tenant.computeIdle).toBeGreaterThan(0);
    const total = rows
      .slice(1)
      .reduce((a, r) => a + Math.round(Number(r[7]) * 100), 0);
    expect(total).toBe(report.totalCents);
  });
});
