import { computeRates } from './rates';
import { DatabaseCounters, DatabaseSample } from './types';

const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:01:00Z'); // 60 s later

function counters(overrides: Partial<DatabaseCounters> = {}): DatabaseCounters {
  return {
    xact_commit: 100,
    xact_rollback: 10,
    blks_read: 50,
    blks_hit: 950,
    tup_inserted: 1000,
    tup_updated: 200,
    tup_deleted: 30,
    deadlocks: 0,
    temp_bytes: 0,
    ...overrides,
  };
}

function sample(
  at: Date,
  overrides: Partial<DatabaseCounters> = {},
  databaseName = 'team-a-orders',
): DatabaseSample {
  return {
    databaseName,
    at,
    sizeBytes: 8_000_000,
    connections: { byRole: {}, byState: {}, total: 0 },
    counters: counters(overrides),
  };
}

describe('computeRates', () => {
  it('has nothing to say about a first sample', () => {
    expect(computeRates(undefined, sample(T1))).toBeUndefined();
  });

  it('refuses samples of different databases or without elapsed time', () => {
    expect(
      computeRates(sample(T0), sample(T1, {}, 'team-b-orders')),
    ).toBeUndefined();
    expect(computeRates(sample(T1), sample(T1))).toBeUndefined();
    expect(computeRates(sample(T1), sample(T0))).toBeUndefined();
  });

  it.each`
    case                               | before                                         | after                                                                                  | deltas                                                      | perSecond
    ${'steady growth'}                 | ${{}}                                          | ${{ xact_commit: 160, tup_inserted: 1600 }}                                            | ${{ commits: 60, tuplesInserted: 600, rollbacks: 0 }}       | ${{ commits: 1, tuplesInserted: 10 }}
    ${'no activity'}                   | ${{}}                                          | ${{}}                                                                                  | ${{ commits: 0, tuplesDeleted: 0, tempBytes: 0 }}           | ${{ commits: 0 }}
    ${'deadlocks and temp bytes'}      | ${{ deadlocks: 1, temp_bytes: 1000 }}          | ${{ deadlocks: 4, temp_bytes: 61000 }}                                                 | ${{ deadlocks: 3, tempBytes: 60000 }}                       | ${{ deadlocks: 0.05, tempBytes: 1000 }}
    ${'reset after previous sample'}   | ${{}}                                          | ${{ xact_commit: 12, tup_inserted: 5, stats_reset: new Date('2026-01-01T00:00:30Z') }} | ${{ commits: 12, tuplesInserted: 5, blocksHit: 950 }}       | ${{ commits: 0.2 }}
    ${'counter down, reset unknown'}   | ${{}}                                          | ${{ xact_commit: 12 }}                                                                 | ${{ commits: undefined, rollbacks: 0, tuplesInserted: 0 }}  | ${{ commits: undefined, rollbacks: 0 }}
    ${'reset before previous sample'}  | ${{ stats_reset: new Date('2025-12-01') }}     | ${{ xact_commit: 12, stats_reset: new Date('2025-12-31T23:59:00Z') }}                  | ${{ commits: undefined, tuplesInserted: undefined }}        | ${{ commits: undefined }}
    ${'same reset time, counters up'}  | ${{ stats_reset: new Date('2025-12-01') }}     | ${{ xact_commit: 130, stats_reset: new Date('2025-12-01') }}                           | ${{ commits: 30 }}                                          | ${{ commits: 0.5 }}
  `('$case', ({ before, after, deltas, perSecond }) => {
    const rates = computeRates(sample(T0, before), sample(T1, after))!;
    expect(rates.intervalSeconds).toBe(60);
    for (const [key, value] of Object.entries(deltas)) {
      expect([key, (rates.deltas as Record<string, unknown>)[key]]).toEqual([
        key,
        value,
      ]);
    }
    for (const [key, value] of Object.entries(perSecond)) {
      const actual = (rates.perSecond as Record<string, number | undefined>)[
        key
      ];
      // Rounded to compare fractions; undefined stays undefined.
      const round = (n: unknown) =>
        typeof n === 'number' ? Math.round(n * 1e9) / 1e9 : n;
      expect([key, round(actual)]).toEqual([key, round(value)]);
    }
    for (const value of Object.values(rates.perSecond)) {
      expect(value).toBeGreaterThanOrEqual(0);
    }
  });

  it('flags resets', () => {
    expect(computeRates(sample(T0), sample(T1))!.reset).toBe(false);
    expect(
      computeRates(sample(T0), sample(T1, { xact_commit: 1 }))!.reset,
    ).toBe(true);
    expect(
      computeRates(
        sample(T0),
        sample(T1, { stats_reset: new Date('2026-01-01T00:00:30Z') }),
      )!.reset,
    ).toBe(true);
  });

  it('computes the cache hit ratio from block deltas', () => {
    const rates = computeRates(
      sample(T0, { blks_read: 50, blks_hit: 950 }),
      sample(T1, { blks_read: 60, blks_hit: 1040 }),
    )!;
    expect(rates.cacheHitRatio).toBeCloseTo(0.9, 10);
    expect(computeRates(sample(T0), sample(T1))!.cacheHitRatio).toBeUndefined();
  });

  it('computes the active time share where the server reports it', () => {
    const rates = computeRates(
      sample(T0, { active_time_ms: 1_000 }),
      sample(T1, { active_time_ms: 31_000 }),
    )!;
    expect(rates.activeTimeShare).toBeCloseTo(0.5, 10);
    expect(computeRates(sample(T0), sample(T1))!.activeTimeShare).toBe(
      undefined,
    );
    // Went down without a known reset time: skipped, never negative.
    expect(
      computeRates(
        sample(T0, { active_time_ms: 5_000 }),
        sample(T1, { active_time_ms: 10 }),
      )!.activeTimeShare,
    ).toBeUndefined();
  });
});
