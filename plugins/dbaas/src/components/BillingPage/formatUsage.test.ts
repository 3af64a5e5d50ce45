import { databaseCost } from './billingFixtures';
import { describeActivity, formatActiveTime, formatGb } from './formatUsage';

describe('usage formatting', () => {
  it('formats GB with two decimals, and tiny sizes with two digits', () => {
    expect(formatGb(1.5)).toBe('1.50 GB');
    expect(formatGb(0)).toBe('0 GB');
    expect(formatGb(0.0012345)).toBe('0.0012 GB');
  });

  it('formats active time in the unit its size calls for', () => {
    expect(formatActiveTime(42.4)).toBe('42 s');
    expect(formatActiveTime(750)).toBe('12.5 min');
    expect(formatActiveTime(7_560)).toBe('2.1 h');
  });

  it('names active time where known, and transactions always', () => {
    const { usage } = databaseCost({ name: 'ledger' });
    expect(describeActivity(usage)).toBe('2.1 h active · 120,000 transactions');
    expect(
      describeActivity({ ...usage, activeSeconds: 0, transactions: 1 }),
    ).toBe('1 transaction');
  });
});
