import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { DatabaseRef, RestoreDrill } from '@dbaas/plugin-dbaas-common';
import { errorMessageLine } from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import { InventoryStore } from '../inventory/InventoryStore';
import { ClusterProviderBundle } from '../providers/ClusterProviderBundle';
import { readRestoreEngineSettings } from '../restores/workflow/engines';
import { FreeSpaceReader } from '../restores/workflow/engines/primaryPreflight';
import { SnapshotCatalog } from '../snapshots/SnapshotCatalog';
import { SnapshotEvidenceStore } from '../snapshots/evidence';
import { DrillCycle } from './DrillCycle';
import { DrillRunner } from './DrillRunner';
import { readDrillSettings } from './DrillSettings';
import { DrillStore, toApiDrill } from './DrillStore';

/** Id of the drill task in the scheduler (`scope: 'global'`). */
export const DRILL_TASK_ID = 'dbaas-restore-drills';

/** What the rest of the plugin reads about drills. */
export interface DrillHistory {
  /** Newest first. */
  list(ref: DatabaseRef, limit: number): Promise<RestoreDrill[]>;
  /** Why databases of this cluster are not drilled, when they are not. */
  unavailableReason(cluster: string | undefined): string | undefined;
}

export interface Drills {
  history: DrillHistory;
  /** The cycle, when drills are enabled and a self-hosted cluster exists. */
  cycle?: DrillCycle;
}

/**
 * The restore drills piece of the plugin: reads `dbaas.drills` and, when
 * enabled and some cluster is self-hosted, schedules the drill task
 * (global: one replica per cycle). `afterCycle` runs after each cycle (the
 * objectives take the new measurements in at once).
 */
export async function createDrills(options: {
  config: Config;
  logger: LoggerService;
  scheduler: SchedulerService;
  knex: Knex;
  inventory: InventoryStore;
  providers: ClusterProviderBundle[];
  catalog: SnapshotCatalog;
  /** The evidence recorded with logical snapshots, for verification. */
  evidence?: SnapshotEvidenceStore;
  afterCycle?: () => Promise<unknown>;
  /** Injectable for tests: free bytes on a cluster's server. */
  freeSpace?: FreeSpaceReader;
}): Promise<Drills> {
  const { config, logger, providers } = options;
  const settings = readDrillSettings(config, logger);
  const store = new DrillStore(options.knex);
  const logical = new Set(
    providers.filter(p => p.snapshots === 'logical').map(p => p.cluster.name),
  );
  const history: DrillHistory = {
    list: async (ref, limit) =>
      (await store.listForDatabase(ref, limit)).map(toApiDrill),
    unavailableReason: cluster => {
      if (!cluster) {
        return 'the database is not on a cluster yet';
      }
      if (!logical.has(cluster)) {
        return `cluster '${cluster}' is an Aurora cluster: drills of cluster snapshots need a temporary cluster and are not run`;
      }
      if (!settings.enabled) {
        return 'drills are turned off (dbaas.drills.enabled: false)';
      }
      return undefined;
    },
  };
  if (!settings.enabled || logical.size === 0) {
    return { history };
  }

  const engine = readRestoreEngineSettings(config);
  const cycle = new DrillCycle({
    inventory: options.inventory,
    providers,
    catalog: options.catalog,
    store,
    runner: new DrillRunner({
      catalog: options.catalog,
      parallelJobs: engine.parallelJobs,
      binDirectory: engine.binDirectory,
      freeSpace: options.freeSpace,
      evidence: options.evidence,
    }),
    settings,
    logger,
  });
  await options.scheduler.scheduleTask({
    id: DRILL_TASK_ID,
    ...settings.schedule,
    fn: async signal => {
      try {
        await cycle.run(signal);
      } catch (error) {
        logger.error(
          `The restore drill cycle failed: ${errorMessageLine(error)}`,
        );
        throw error;
      }
      await options
        .afterCycle?.()
        .catch(error =>
          logger.warn(
            `Recovery objectives were not updated after the drills: ${errorMessageLine(
              error,
            )}`,
          ),
        );
    },
  });
  return { history, cycle };
}
