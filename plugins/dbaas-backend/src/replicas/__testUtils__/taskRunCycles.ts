/** One run of a scheduled task on one replica, from its run-log lines. */
export interface TaskRun {
  taskId: string;
  replica: string;
  /** When it started (ms since the epoch), by the replica's clock. */
  start: number;
  /** When it finished or failed; none while running. */
  end?: number;
  outcome: 'finished' | 'failed' | 'running';
}

/** A run-log line (see withTaskRunLog) as a replica printed it. */
export interface RunLogLine {
  /** When this process read it: a busy test process reads late. */
  receivedAt: number;
  /** When the replica wrote it (ISO), which the counts go by. */
  date?: unknown;
  taskId?: unknown;
  taskRun?: unknown;
}

function writtenAt(line: RunLogLine): number {
  const date = typeof line.date === 'string' ? Date.parse(line.date) : NaN;
  return Number.isNaN(date) ? line.receivedAt : date;
}

/**
 * A cycle of a global task, as Backstage's scheduler hands it out: one
 * replica claims the task's row when its next run is due (see
 * schedulerClaims).
 */
export interface TaskClaim {
  taskId: string;
  /** When the row was claimed (ms since the epoch). */
  at: number;
  /** When the cycle claimed was due. */
  dueAt: number;
}

/**
 * Pairs each replica's `started` and `finished`/`failed` lines into runs.
 * A replica runs one task's cycles one after the other, so a task's end
 * line always belongs to its latest start on that replica.
 */
export function collectTaskRuns(
  replicas: Array<{ name: string; lines: RunLogLine[] }>,
): TaskRun[] {
  const runs: TaskRun[] = [];
  for (const { name, lines } of replicas) {
    const open = new Map<string, TaskRun>();
    for (const line of lines) {
      if (typeof line.taskId !== 'string') continue;
      if (line.taskRun === 'started') {
        const run: TaskRun = {
          taskId: line.taskId,
          replica: name,
          start: writtenAt(line),
          outcome: 'running',
        };
        runs.push(run);
        open.set(line.taskId, run);
      } else if (line.taskRun === 'finished' || line.taskRun === 'failed') {
        const run = open.get(line.taskId);
        if (run) {
          run.end = writtenAt(line);
          run.outcome = line.taskRun;
          open.delete(line.taskId);
        }
      }
    }
  }
  return runs.sort((a, b) => a.start - b.start);
}

/**
 * A replica starts a cycle's run as soon as its claim is written (within
 * 10 ms here); a run starting later than this after any claim was not
 * started by one. Run times are whole milliseconds, claim times finer: a
 * run may look up to 1 ms older than its claim.
 */
const CLAIM_TO_RUN_MS = 500;
const ROUNDING_MS = 1;

/** How one task's cycles in a time window ran. */
export interface CycleReport {
  taskId: string;
  /** Cycles claimed in the window. */
  cycles: number;
  /**
   * Of those, cycles claimed before they were due, and by how much at most
   * (ms). Backstage's scheduler claims a task's row on a replica that saw
   * it due moments before, if the row is free by then: when another
   * replica ran and released that cycle in between, this replica runs the
   * next cycle at once, up to one period early (and the cycle after it on
   * time). Each cycle still runs once.
   */
  early: number;
  maxEarlyMs: number;
  /** Cycles that ran once, twice or more, and not at all. */
  ranOnce: number;
  ranMoreThanOnce: number;
  notRun: number;
  /** Runs in the window that no claim started (none just before them). */
  unclaimed: number;
  /** Runs that started while the run before them was still going. */
  overlapping: number;
  /** Runs per replica. */
  byReplica: Record<string, number>;
}

/**
 * Matches one task's runs to the cycles the scheduler handed out in the
 * window: each run belongs to the latest claim just before its start. A
 * cycle is run exactly once when it has one run; one run twice shows as a
 * cycle with more, a run the scheduler did not start as unclaimed.
 */
export function countCycles(
  runs: TaskRun[],
  claims: TaskClaim[],
  taskId: string,
  window: { from: number; to: number },
): CycleReport {
  const mine = claims
    .filter(c => c.taskId === taskId)
    .sort((a, b) => a.at - b.at);
  const inWindow = mine.filter(c => c.at >= window.from && c.at <= window.to);
  const runsPerClaim = new Map(inWindow.map(c => [c, [] as TaskRun[]]));
  const report: CycleReport = {
    taskId,
    cycles: inWindow.length,
    early: inWindow.filter(c => c.at < c.dueAt).length,
    maxEarlyMs: Math.max(0, ...inWindow.map(c => c.dueAt - c.at)),
    ranOnce: 0,
    ranMoreThanOnce: 0,
    notRun: 0,
    unclaimed: 0,
    overlapping: 0,
    byReplica: {},
  };
  const taskRuns = runs
    .filter(r => r.taskId === taskId)
    .sort((a, b) => a.start - b.start);
  for (const run of taskRuns) {
    const claim = [...mine]
      .reverse()
      .find(
        c =>
          c.at <= run.start + ROUNDING_MS &&
          run.start - c.at <= CLAIM_TO_RUN_MS,
      );
    if (!claim && run.start >= window.from && run.start <= window.to) {
      report.unclaimed += 1;
    }
    const counted = claim && runsPerClaim.get(claim);
    if (counted) {
      counted.push(run);
      report.byReplica[run.replica] = (report.byReplica[run.replica] ?? 0) + 1;
    }
  }
  for (const counted of runsPerClaim.values()) {
    if (counted.length === 1) report.ranOnce += 1;
    else if (counted.length > 1) report.ranMoreThanOnce += 1;
    else report.notRun += 1;
  }
  taskRuns.forEach((run, i) => {
    const before = taskRuns[i - 1];
    const inside = run.start >= window.from && run.start <= window.to;
    if (
      inside &&
      before &&
      (before.end === undefined || run.start < before.end)
    ) {
      report.overlapping += 1;
    }
  });
  return report;
}
