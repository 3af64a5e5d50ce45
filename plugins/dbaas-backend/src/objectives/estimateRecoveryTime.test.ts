import {
  CLUSTER_RUNS,
  estimateRecoveryTime,
  OWN_RUNS,
  RecoveryRun,
} from './estimateRecoveryTime';

const GIB = 2 ** 30;

function run(
  minutesAgo: number,
  durationMs: number,
  overrides: Partial<RecoveryRun> = {},
): RecoveryRun {
  return {
    kind: 'drill',
    namespace: 'payments',
    name: 'ledger',
    cluster: 'local',
    finishedAt: new Date(Date.UTC(2026, 11, 13, 12) - minutesAgo * 60_000),
    durationMs,
    ...overrides,
  };
}

describe('estimateRecoveryTime', () => {
  it('is unknown without any run', () => {
    expect(estimateRecoveryTime({ own: [], cluster: [] })).toBeUndefined();
  });

  it('takes one own run as it is when the database did not grow', () => {
    const estimate = estimateRecoveryTime({
      own: [run(10, 42_000, { sizeBytes: GIB })],
      cluster: [run(5, 1_000_000, { name: 'other' })],
      currentSizeBytes: GIB,
    });
    expect(estimate).toEqual({
      estimateMs: 42_000,
      basis: {
        scope: 'database',
        runs: 1,
        newestRunAt: '2026-12-13T11:50:00.000Z',
        method: '90th percentile of 1 drill of this database',
      },
    });
  });

  it('scales a run up linearly to a larger newest snapshot, never down', () => {
    const grown = estimateRecoveryTime({
      own: [run(10, 60_000, { sizeBytes: GIB })],
      cluster: [],
      currentSizeBytes: 3 * GIB,
    });
    expect(grown?.estimateMs).toBe(180_000);
    expect(grown?.basis.method).toBe(
      "90th percentile of 1 drill of this database, 1 scaled up to the newest snapshot's 3.00 GiB",
    );
    const shrunk = estimateRecoveryTime({
      own: [run(10, 60_000, { sizeBytes: 3 * GIB })],
      cluster: [],
      currentSizeBytes: GIB,
    });
    expect(shrunk?.estimateMs).toBe(60_000);
  });

  it('is the 90th percentile (nearest rank) of the newest own runs', () => {
    // Twelve runs: only the newest ten count; 10 s .. 100 s among them.
    const own = [
      ...Array.from({ length: 10 }, (_, i) =>
        run(i, (i + 1) * 10_000, { kind: i % 2 ? 'restore' : 'drill' }),
      ),
      run(100, 999_000),
      run(101, 999_000),
    ];
    const estimate = estimateRecoveryTime({ own, cluster: [] });
    expect(OWN_RUNS).toBe(10);
    expect(estimate?.estimateMs).toBe(90_000);
    expect(estimate?.basis).toMatchObject({
      runs: 10,
      method: '90th percentile of 5 drills and 5 restores of this database',
    });
  });

  it("falls back to other databases' runs on the cluster, scaled up to this size", () => {
    const cluster = Array.from({ length: 25 }, (_, i) =>
      run(i, 20_000, { name: `db${i}`, sizeBytes: GIB / 2, kind: 'restore' }),
    );
    const estimate = estimateRecoveryTime({
      own: [],
      cluster,
      currentSizeBytes: GIB,
    });
    expect(estimate?.estimateMs).toBe(40_000);
    expect(estimate?.basis).toMatchObject({
      scope: 'cluster',
      runs: CLUSTER_RUNS,
      method:
        "90th percentile of 20 restores of other databases on its cluster, 20 scaled up to the newest snapshot's 1.00 GiB",
    });
  });

  it('leaves runs of unknown size unscaled (Aurora restores)', () => {
    const estimate = estimateRecoveryTime({
      own: [run(1, 900_000, { kind: 'restore' })],
      cluster: [],
      currentSizeBytes: 50 * GIB,
    });
    expect(estimate?.estimateMs).toBe(900_000);
  });
});
