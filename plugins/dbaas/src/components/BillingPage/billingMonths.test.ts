import {
  billingMonthOf,
  formatBillingMonth,
  isBillingMonth,
  recentBillingMonths,
} from './billingMonths';

describe('billing months', () => {
  it('takes the UTC month, not the local one', () => {
    expect(billingMonthOf(new Date('2025-03-31T23:30:00.000Z'))).toBe(
      '2025-03',
    );
    expect(billingMonthOf(new Date('2025-04-01T00:00:00.000Z'))).toBe(
      '2025-04',
    );
  });

  it('lists the current month and the ones before it, across a year end', () => {
    expect(
      recentBillingMonths(new Date('2025-02-15T12:00:00.000Z'), 4),
    ).toEqual(['2025-02', '2025-01', '2024-12', '2024-11']);
  });

  it('accepts YYYY-MM only', () => {
    expect(isBillingMonth('2025-03')).toBe(true);
    for (const value of ['2025-13', '2025-3', '2025-00', 'march', '', null]) {
      expect(isBillingMonth(value)).toBe(false);
    }
  });

  it('names months for people and leaves anything else as it is', () => {
    expect(formatBillingMonth('2025-03')).toBe('March 2025');
    expect(formatBillingMonth('2024-12')).toBe('December 2024');
    expect(formatBillingMonth('soon')).toBe('soon');
  });
});
