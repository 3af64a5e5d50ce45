import {
  AuditorService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { errorMessageLine, TenantDirectory } from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import { DatabaseAccess } from '../access/DatabaseAccess';
import { createDrills, Drills } from '../drills/createDrills';
import { InventoryStore } from '../inventory/InventoryStore';
import { ClusterProviderBundle } from '../providers/ClusterProviderBundle';
import { FreeSpaceReader } from '../restores/workflow/engines/primaryPreflight';
import { SnapshotCatalog } from '../snapshots/SnapshotCatalog';
import { SnapshotEvidenceStore } from '../snapshots/evidence';
import { ObjectivesEvaluator } from './ObjectivesEvaluator';
import { readObjectiveSettings } from './ObjectiveSettings';
import { RecoveryPointReader } from './RecoveryPointReader';
import { RecoveryRunReader } from './RecoveryRunReader';
import { RecoveryService } from './RecoveryService';
import { RecoveryStatusStore } from './RecoveryStatusStore';
import { RpoMissNotifier } from './RpoMissNotifier';

/** Id of the objectives task in the scheduler (`scope: 'global'`). */
export const OBJECTIVES_TASK_ID = 'dbaas-recovery-objectives';

export interface Recovery {
  /** Objectives per database for the API (and the listing's summaries). */
  service: RecoveryService;
  evaluator: ObjectivesEvaluator;
  drills: Drills;
}

/**
 * The recovery piece of the plugin: RPO/RTO objectives
 * (`dbaas.objectives`), evaluated by a global task that notifies RPO
 * misses, and restore drills (`dbaas.drills`, see createDrills) whose
 * measurements the objectives use, re-evaluated after each drill cycle.
 */
export async function createRecovery(options: {
  config: Config;
  logger: LoggerService;
  scheduler: SchedulerService;
  knex: Knex;
  inventory: InventoryStore;
  access: DatabaseAccess;
  providers: ClusterProviderBundle[];
  tenants: TenantDirectory;
  auditor: AuditorService;
  notifications?: NotificationService;
  snapshots: SnapshotCatalog;
  /** The evidence recorded with logical snapshots: drills verify by it. */
  snapshotEvidence?: SnapshotEvidenceStore;
  /** Injectable for tests: free bytes on a cluster's server. */
  freeSpace?: FreeSpaceReader;
}): Promise<Recovery> {
  const { config, logger, knex, inventory, providers } = options;
  const settings = readObjectiveSettings(config, logger);
  const store = new RecoveryStatusStore(knex);
  const evaluator = new ObjectivesEvaluator({
    inventory,
    providers,
    points: new RecoveryPointReader(knex, options.snapshots),
    runs: new RecoveryRunReader(knex),
    store,
    settings,
    notifier: new RpoMissNotifier({
      store,
      notifications: options.notifications,
      auditor: options.auditor,
      tenants: options.tenants,
      logger,
    }),
    logger,
  });
  await options.scheduler.scheduleTask({
    id: OBJECTIVES_TASK_ID,
    ...settings.schedule,
    fn: async () => {
      try {
        await evaluator.evaluate();
      } catch (error) {
        logger.error(
          `Evaluating the recovery objectives failed: ${errorMessageLine(
            error,
          )}`,
        );
        throw error;
      }
    },
  });
  const drills = await createDrills({
    config,
    logger,
    scheduler: options.scheduler,
    knex,
    inventory,
    providers,
    catalog: options.snapshots,
    evidence: options.snapshotEvidence,
    afterCycle: () => evaluator.evaluate(),
    freeSpace: options.freeSpace,
  });
  return {
    service: new RecoveryService({
      inventory,
      access: options.access,
      store,
      settings,
      clusters: providers.map(p => p.cluster),
      drills: drills.history,
    }),
    evaluator,
    drills,
  };
}
