import { csvField, monthReportToCsv } from './csv';
import { buildMonthReport } from './monthReport';
import {
  DailyRollupAccumulator,
  TenantCostAllocator,
} from './TenantCostAllocator';
import { settingsWith } from './testUtils';

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

/** A minimal RFC 4180 parser, to check the export round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

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
          databases: names.map(name => ({
            namespace: 'tenant',
            name,
            sizeBytes: 1,
            snapshotBytes: 0,
            activeSeconds: 0,
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
      '24.00',
      '0.00',
      '0.00',
      '0.00',
      '24.00',
      'USD',
    ]);
    const total = rows
      .slice(1)
      .reduce((a, r) => a + Math.round(Number(r[7]) * 100), 0);
    expect(total).toBe(report.totalCents);
  });
});
