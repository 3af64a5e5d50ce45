import { mockServices } from '@backstage/backend-test-utils';
import { withTaskRunLog } from './withTaskRunLog';

const ISO_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

const schedule = {
  frequency: { seconds: 10 },
  timeout: { minutes: 1 },
} as const;

/** The two lines of a run that finished. */
const aRun = (taskId: string) => [
  {
    message: `Task ${taskId} started`,
    taskId,
    taskRun: 'started',
    date: expect.stringMatching(ISO_DATE),
  },
  {
    message: `Task ${taskId} finished`,
    taskId,
    taskRun: 'finished',
    date: expect.stringMatching(ISO_DATE),
    durationMs: expect.any(Number),
  },
];

function setUp() {
  const scheduler = mockServices.scheduler();
  const logger = mockServices.logger.mock();
  const lines = (): Array<Record<string, unknown>> =>
    logger.debug.mock.calls.map(([message, fields]) => ({
      message,
      ...(fields as Record<string, unknown>),
    }));
  return {
    scheduler,
    logger,
    lines,
    logged: withTaskRunLog(scheduler, logger),
  };
}

describe('withTaskRunLog', () => {
  it('logs the start and the end of every run with the task id', async () => {
    const { scheduler, lines, logged } = setUp();
    const runs: AbortSignal[] = [];
    await logged.scheduleTask({
      id: 'dbaas-a',
      ...schedule,
      fn: async signal => {
        runs.push(signal);
      },
    });

    await scheduler.triggerTask('dbaas-a');
    await scheduler.triggerTask('dbaas-a');

    expect(runs).toHaveLength(2);
    expect(runs[0]).toBeInstanceOf(AbortSignal);
    expect(lines()).toEqual([...aRun('dbaas-a'), ...aRun('dbaas-a')]);
  });

  it('logs a failed run with its error and still fails it', async () => {
    const scheduler = mockServices.scheduler.mock();
    const logger = mockServices.logger.mock();
    const failure = new Error('cluster unreachable');
    await withTaskRunLog(scheduler, logger).scheduleTask({
      id: 'dbaas-b',
      ...schedule,
      fn: async () => {
        throw failure;
      },
    });
    const [{ fn }] = scheduler.scheduleTask.mock.calls[0];

    await expect(fn(new AbortController().signal)).rejects.toBe(failure);

    expect(logger.debug.mock.calls).toEqual([
      [
        'Task dbaas-b started',
        {
          taskId: 'dbaas-b',
          taskRun: 'started',
          date: expect.stringMatching(ISO_DATE),
        },
      ],
      [
        'Task dbaas-b failed',
        {
          taskId: 'dbaas-b',
          taskRun: 'failed',
          date: expect.stringMatching(ISO_DATE),
          durationMs: expect.any(Number),
          error: 'cluster unreachable',
        },
      ],
    ]);
  });

  it('logs runs of tasks scheduled through a runner, and passes the rest on', async () => {
    const { scheduler, lines, logged } = setUp();
    await logged.createScheduledTaskRunner(schedule).run({
      id: 'dbaas-c',
      fn: async () => {},
    });

    await logged.triggerTask('dbaas-c');

    expect(lines().map(l => l.taskRun)).toEqual(['started', 'finished']);
    expect(await logged.getScheduledTasks()).toEqual(
      await scheduler.getScheduledTasks(),
    );
    await expect(logged.cancelTask('dbaas-c')).rejects.toThrow(
      'Task dbaas-c is not running',
    );
  });
});
