import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { RestoresService } from '../RestoresService';
import { RestoreExecutor } from './RestoreExecutor';
import { RestoreWorker } from './RestoreWorker';

/** Id of the restore task in the scheduler (`scope: 'global'`). */
export const RESTORE_WORKER_TASK_ID = 'dbaas-restore-worker';

/**
 * One global task for the whole restore flow: expire requests nobody acted
 * on, drop safety copies whose time is up, and start driving due restores.
 * `global` (the default scope) runs each tick on one replica; the leases
 * keep any request driven by one replica at a time whatever the ticks do.
 */
export async function scheduleRestoreWorker(options: {
  scheduler: SchedulerService;
  /** `dbaas.restore.schedule`, from readRestoreSettings. */
  schedule: SchedulerServiceTaskScheduleDefinition;
  requests: RestoresService;
  executor: RestoreExecutor;
  worker: RestoreWorker;
  logger: LoggerService;
}): Promise<void> {
  const { requests, executor, worker, logger } = options;
  await options.scheduler.scheduleTask({
    id: RESTORE_WORKER_TASK_ID,
    ...options.schedule,
    fn: async () => {
      const expired = await requests.expireDue();
      if (expired > 0) {
        logger.info(`Expired ${expired} restore request(s)`);
      }
      await executor.dropDueSafetyCopies();
      await worker.startDue();
    },
  });
}
