import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';

/** What a run-log line says happened; `taskRun` in the line's fields. */
export type TaskRunEvent = 'started' | 'finished' | 'failed';

type ScheduledTask = SchedulerServiceTaskScheduleDefinition &
  SchedulerServiceTaskInvocationDefinition;

/**
 * The scheduler, with a debug line when a run of one of the plugin's tasks
 * starts and one when it ends (fields `taskId`, `taskRun`, `date`, and
 * `durationMs` at the end). Backstage's scheduler records only the next
 * run of a global task, not the runs themselves: these lines are what
 * shows, per replica, which cycles it ran (the two-replica test counts
 * them). Debug, because the restore task alone ticks every 10 seconds.
 */
export function withTaskRunLog(
  scheduler: SchedulerService,
  logger: LoggerService,
): SchedulerService {
  const logged = (task: ScheduledTask): ScheduledTask => ({
    ...task,
    fn: async signal => {
      const started = Date.now();
      const line = (taskRun: TaskRunEvent, extra: object = {}) =>
        logger.debug(`Task ${task.id} ${taskRun}`, {
          taskId: task.id,
          taskRun,
          // When, as Backstage's request log lines say it: the order of
          // runs on several replicas, whatever their logs' arrival.
          date: new Date().toISOString(),
          ...extra,
        });
      line('started');
      try {
        await task.fn(signal);
      } catch (error) {
        line('failed', {
          durationMs: Date.now() - started,
          error: isError(error) ? error.message : String(error),
        });
        throw error;
      }
      line('finished', { durationMs: Date.now() - started });
    },
  });
  const wrapped: SchedulerService = {
    triggerTask: id => scheduler.triggerTask(id),
    cancelTask: id => scheduler.cancelTask(id),
    getScheduledTasks: () => scheduler.getScheduledTasks(),
    scheduleTask: task => scheduler.scheduleTask(logged(task)),
    createScheduledTaskRunner: schedule => ({
      run: task => wrapped.scheduleTask({ ...task, ...schedule }),
    }),
  };
  return wrapped;
}
