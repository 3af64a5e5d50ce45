import {
  defaultRestoreTargetName,
  targetNameProblems,
} from './restoreTargetName';

describe('defaultRestoreTargetName', () => {
  it('stamps the minute in UTC, zero-padded', () => {
    expect(
      defaultRestoreTargetName('ledger', new Date('2026-03-04T05:06:59.999Z')),
    ).toBe('ledger-restored-202603040506');
  });

  it('uses UTC, not the local time zone, around midnight and year end', () => {
    // 23:30 UTC on 31 Dec is already 1 Jan in UTC+1; the name must not say so.
    expect(
      defaultRestoreTargetName('ledger', new Date('2025-12-31T23:30:00+00:00')),
    ).toBe('ledger-restored-202512312330');
    expect(
      defaultRestoreTargetName('ledger', new Date('2026-01-01T00:30:00+01:00')),
    ).toBe('ledger-restored-202512312330');
  });
});

describe('targetNameProblems', () => {
  const ref = { namespace: 'payments', name: 'ledger' };

  it('accepts the default name and a valid custom one', () => {
    expect(targetNameProblems(ref, 'ledger-restored-202603040506')).toEqual([]);
    expect(targetNameProblems(ref, 'ledger-before-incident')).toEqual([]);
  });

  it.each([
    ['', /required|empty/i],
    ['Ledger', /lowercase|letters/i],
    ['../../x', /./],
    ['a--b', /--|hyphen/i],
    ['ledger-', /end/i],
  ])('refuses %j', (name, message) => {
    const problems = targetNameProblems(ref, name);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join(' ')).toMatch(message);
  });

  it('refuses a name whose admin role would pass 63 bytes, never truncating', () => {
    const problems = targetNameProblems(
      ref,
      `${'x'.repeat(40)}-restored-202603040506`,
    );
    expect(problems.join(' ')).toMatch(/63-byte/);
  });

  it('refuses the database itself: that is an in-place restore', () => {
    expect(targetNameProblems(ref, 'ledger')).toEqual([
      '“ledger” is the database restored from; choose “In place” to restore into it',
    ]);
  });
});
