import {
  AuditorService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  AppsRepository,
  DatabaseProvisioner,
  GitopsSettings,
  TenantDirectory,
} from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import { DatabaseAccess } from '../../access/DatabaseAccess';
import { InventoryStore } from '../../inventory/InventoryStore';
import { RestoreDeciders } from '../RestoreDeciders';
import { RestoredCopiesService } from './RestoredCopiesService';
import { RestoredCopySettings } from './RestoredCopySettings';
import { RestoredCopyStore } from './RestoredCopyStore';

/** Id of the restored copies task in the scheduler (`scope: 'global'`). */
export const RESTORED_COPIES_TASK_ID = 'dbaas-restored-copies';

/** What the restored copies need from the rest of the plugin. */
export interface RestoredCopiesDeps {
  store: RestoredCopyStore;
  /** From `readRestoredCopySettings`. */
  settings: RestoredCopySettings;
  appsRepo: AppsRepository;
  gitops: Pick<GitopsSettings, 'basePath' | 'chartVersion'>;
  tenants: TenantDirectory;
  /** Asks the inventory to sync soon (after a keep or a drop). */
  requestSync?: () => Promise<unknown>;
}

/**
 * The restored copies service and its global task (every minute by
 * default, one replica at a time): records new copies, warns the owners
 * of copies about to expire, drops the expired ones nobody kept.
 */
export async function createRestoredCopies(
  deps: RestoredCopiesDeps & {
    knex: Knex;
    scheduler: SchedulerService;
    logger: LoggerService;
    auditor: AuditorService;
    notifications?: NotificationService;
    inventory: InventoryStore;
    access: DatabaseAccess;
    deciders: RestoreDeciders;
    provisioners: ReadonlyMap<string, DatabaseProvisioner>;
  },
): Promise<RestoredCopiesService> {
  const service = new RestoredCopiesService({ ...deps });
  await deps.scheduler.scheduleTask({
    id: RESTORED_COPIES_TASK_ID,
    ...deps.settings.schedule,
    fn: async () => {
      const { warned, dropped } = await service.runOnce();
      if (warned + dropped > 0) {
        deps.logger.info(
          `Restored copies: ${warned} expiry warning(s), ${dropped} dropped`,
        );
      }
    },
  });
  return service;
}
