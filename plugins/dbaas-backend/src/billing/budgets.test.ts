import { evaluateBudgets } from './budgets';

const run = (
  totalCents: number,
  alreadyNotified: number[] = [],
  budget: number | null = 10000,
) =>
  evaluateBudgets({
    month: '2025-03',
    currency: 'USD',
    spend: [{ namespace: 'pay', totalCents, forecastCents: totalCents * 2 }],
    budgets: new Map(budget === null ? [] : [['pay', budget]]),
    alreadyNotified: new Map([['pay', alreadyNotified]]),
  }).map(n => [n.threshold, n.thresholds]);

describe('evaluateBudgets', () => {
  it.each([
    ['below 80%', 7999, [], []],
    ['exactly 80%', 8000, [], [[80, [80]]]],
    ['80% already sent', 9000, [80], []],
    ['reaches 100% after 80%', 10000, [80], [[100, [100]]]],
    [
      'jumps past both: one notification, both recorded',
      12000,
      [],
      [[100, [80, 100]]],
    ],
    ['both already sent', 15000, [80, 100], []],
    [
      '100% sent but not 80% (e.g. budget lowered): 80 once',
      15000,
      [100],
      [[80, [80]]],
    ],
  ])('%s', (_name, total, notified, expected) => {
    expect(run(total, notified)).toEqual(expected);
  });

  it.each([[null], [0]])('no notification without a budget (%p)', budget => {
    expect(run(1e9, [], budget)).toEqual([]);
  });

  it('explains the numbers', () => {
    const [n] = evaluateBudgets({
      month: '2025-03',
      currency: 'EUR',
      spend: [{ namespace: 'pay', totalCents: 8250, forecastCents: 12000 }],
      budgets: new Map([['pay', 10000]]),
      alreadyNotified: new Map(),
    });
    expect(n).toEqual(
      expect.objectContaining({
        namespace: 'pay',
        month: '2025-03',
        spentCents: 8250,
        budgetCents: 10000,
        title:
          'pay has used 82% of its monthly budget (EUR 82.50 of 100.00) for 2025-03. Forecast to month end: EUR 120.00.',
      }),
    );
  });
});
