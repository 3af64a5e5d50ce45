import { cents } from './billingFixtures';
import { dailyCostBars } from './dailyCosts';

describe('dailyCostBars', () => {
  const period = {
    from: '2025-03-01T00:00:00.000Z',
    to: '2025-04-01T00:00:00.000Z',
  };

  it('has one bar per day up to the as-of time, with zero for days without costs', () => {
    const bars = dailyCostBars(
      { ...period, asOf: '2025-03-04T10:00:00.000Z' },
      [
        { day: '2025-03-01', cents: cents({ computeUsed: 100, storage: 5 }) },
        { day: '2025-03-03', cents: cents({ base: 7 }) },
      ],
    );

    expect(bars.map(bar => [bar.day, bar.total])).toEqual([
      ['2025-03-01', 105],
      ['2025-03-02', 0],
      ['2025-03-03', 7],
      ['2025-03-04', 0],
    ]);
    expect(bars[0]).toEqual({
      day: '2025-03-01',
      total: 105,
      computeUsed: 100,
      computeIdle: 0,
      storage: 5,
      snapshots: 0,
      base: 0,
    });
  });

  it('covers the whole of a past month', () => {
    expect(
      dailyCostBars({ ...period, asOf: '2025-05-02T00:00:00.000Z' }, []),
    ).toHaveLength(31);
  });

  it('keeps a day the backend has beyond the as-of time', () => {
    const bars = dailyCostBars(
      { ...period, asOf: '2025-03-02T00:00:00.000Z' },
      [{ day: '2025-03-02', cents: cents({ storage: 3 }) }],
    );

    expect(bars.map(bar => bar.day)).toEqual(['2025-03-01', '2025-03-02']);
    expect(bars[1].storage).toBe(3);
  });
});
