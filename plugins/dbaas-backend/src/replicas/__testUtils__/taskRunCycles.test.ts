import {
  collectTaskRuns,
  countCycles,
  RunLogLine,
  TaskClaim,
} from './taskRunCycles';

const T = 1_000_000;

/** Log lines of runs `[start, end]` (ms after T) of task `t`. */
function linesOf(runs: Array<[number, number]>, taskId = 't'): RunLogLine[] {
  return runs.flatMap(([start, end]) => [
    { receivedAt: T + start, taskId, taskRun: 'started' },
    { receivedAt: T + end, taskId, taskRun: 'finished' },
  ]);
}

/** Claims of task `t` at `at` (ms after T), each due when claimed. */
function claimsAt(...at: number[]): TaskClaim[] {
  return at.map(a => ({ taskId: 't', at: T + a, dueAt: T + a }));
}

const window = { from: T, to: T + 60_000 };

describe('collectTaskRuns', () => {
  it('pairs each replica’s start and end lines per task, when written, and ignores other lines', () => {
    const runs = collectTaskRuns([
      {
        name: 'r1',
        lines: [
          { receivedAt: T, taskId: 'a', taskRun: 'started' },
          { receivedAt: T + 1, taskId: 'b', taskRun: 'started' },
          { receivedAt: T + 2 },
          { receivedAt: T + 3, taskId: 'a', taskRun: 'failed' },
        ],
      },
      {
        name: 'r2',
        lines: [
          // Written at T + 5 and T + 9, read a second later.
          {
            receivedAt: T + 1_005,
            date: new Date(T + 5).toISOString(),
            taskId: 'a',
            taskRun: 'started',
          },
          {
            receivedAt: T + 1_009,
            date: new Date(T + 9).toISOString(),
            taskId: 'a',
            taskRun: 'finished',
          },
        ],
      },
    ]);
    expect(runs).toEqual([
      { taskId: 'a', replica: 'r1', start: T, end: T + 3, outcome: 'failed' },
      { taskId: 'b', replica: 'r1', start: T + 1, outcome: 'running' },
      {
        taskId: 'a',
        replica: 'r2',
        start: T + 5,
        end: T + 9,
        outcome: 'finished',
      },
    ]);
  });
});

describe('countCycles', () => {
  it('counts each cycle run once when the replicas take turns', () => {
    const runs = collectTaskRuns([
      {
        name: 'r1',
        lines: linesOf([
          [2, 100],
          [8_003, 8_200],
        ]),
      },
      {
        name: 'r2',
        lines: linesOf([
          [4_005, 4_300],
          [12_004, 12_100],
        ]),
      },
    ]);
    expect(
      // The third run's time, in whole ms, reads as before its claim.
      countCycles(runs, claimsAt(0, 4_000, 8_003.6, 12_000), 't', window),
    ).toEqual({
      taskId: 't',
      cycles: 4,
      early: 0,
      maxEarlyMs: 0,
      ranOnce: 4,
      ranMoreThanOnce: 0,
      notRun: 0,
      unclaimed: 0,
      overlapping: 0,
      byReplica: { r1: 2, r2: 2 },
    });
  });

  it('finds a cycle run on both replicas, at once or one after the other', () => {
    const runs = collectTaskRuns([
      {
        name: 'r1',
        lines: linesOf([
          [2, 500],
          [4_002, 4_100],
        ]),
      },
      {
        name: 'r2',
        lines: linesOf([
          [300, 900],
          [4_200, 4_300],
        ]),
      },
    ]);
    expect(countCycles(runs, claimsAt(0, 4_000), 't', window)).toMatchObject({
      cycles: 2,
      ranOnce: 0,
      ranMoreThanOnce: 2,
      overlapping: 1,
    });
  });

  it('finds cycles claimed before they were due, and cycles not run', () => {
    const runs = collectTaskRuns([{ name: 'r1', lines: linesOf([[2, 10]]) }]);
    const claims = [
      ...claimsAt(0),
      { taskId: 't', at: T + 20, dueAt: T + 4_000 },
    ];
    expect(countCycles(runs, claims, 't', window)).toMatchObject({
      cycles: 2,
      early: 1,
      maxEarlyMs: 3_980,
      ranOnce: 1,
      notRun: 1,
    });
  });

  it('finds runs no cycle started (a task each replica runs on its own)', () => {
    const runs = collectTaskRuns([
      {
        name: 'r1',
        lines: linesOf([
          [0, 100],
          [4_000, 4_100],
        ]),
      },
      {
        name: 'r2',
        lines: linesOf([
          [1_500, 1_600],
          [5_500, 5_600],
        ]),
      },
    ]);
    expect(countCycles(runs, claimsAt(-200), 't', window)).toMatchObject({
      cycles: 0,
      unclaimed: 3,
      byReplica: {},
    });
  });

  it('counts only the task’s cycles claimed in the window, with their runs', () => {
    const runs = collectTaskRuns([
      {
        name: 'r1',
        lines: [
          ...linesOf([
            [-4_000, -3_900],
            [-10, 30],
            [70_002, 70_010],
          ]),
          ...linesOf([[5, 6]], 'other'),
        ],
      },
    ]);
    const claims = [
      ...claimsAt(-4_005, -12, 70_000),
      { taskId: 'other', at: T + 4, dueAt: T + 4 },
    ];
    expect(countCycles(runs, claims, 't', window)).toMatchObject({
      cycles: 0,
      ranOnce: 0,
      byReplica: {},
    });
    expect(countCycles(runs, claims, 'other', window)).toMatchObject({
      cycles: 1,
      ranOnce: 1,
      byReplica: { r1: 1 },
    });
  });
});
