import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { errorMessageLine } from '@dbaas/plugin-dbaas-node';
import { InventoryStore } from '../inventory/InventoryStore';
import { ClusterProviderBundle } from '../providers/ClusterProviderBundle';
import { LocalSnapshotCatalog } from './local/LocalSnapshotCatalog';
import {
  CleanupResult,
  LocalSnapshotMaintenance,
  PruneResult,
  databaseKey,
} from './local/LocalSnapshotMaintenance';
import { SnapshotSettings } from './SnapshotSettings';
import { snapshotSubjectOf } from './snapshotSubjectOf';

/** Id of the snapshot task in the scheduler (`scope: 'global'`). */
export const SNAPSHOT_TASK_ID = 'dbaas-snapshots';

/** Databases whose snapshots are pruned like any other's (they are gone). */
const GONE_STATUSES = new Set(['deleted', 'abandoned']);

export interface SnapshotCycleResult {
  cleanup: CleanupResult;
  /** Ids of the snapshots taken. */
  taken: string[];
  /** `<cluster>/<databaseName>` -> why it was not snapshotted. */
  skipped: Record<string, string>;
  failed: Record<string, string>;
  prune: PruneResult;
}

/**
 * One cycle on the clusters with logical snapshots (self-hosted ones):
 * cleans up what crashed replicas left
 * (so their rows do not block today's snapshots), snapshots every `ready`
 * database (one at a time per cluster, clusters in parallel; a database
 * whose snapshot is already running is skipped), then prunes expired
 * snapshots. One database failing never stops the others.
 */
export async function runSnapshotCycle(options: {
  inventory: InventoryStore;
  providers: ClusterProviderBundle[];
  catalog: LocalSnapshotCatalog;
  maintenance: LocalSnapshotMaintenance;
  /** Ids of snapshots that active restore requests name: never pruned. */
  snapshotsInUse?: () => Promise<ReadonlySet<string>>;
  logger: LoggerService;
  signal?: AbortSignal;
  now?: () => Date;
}): Promise<SnapshotCycleResult> {
  const { inventory, providers, catalog, maintenance, logger, signal } =
    options;
  const now = options.now ?? (() => new Date());
  const cleanup = await maintenance.cleanUp(now());
  const result: SnapshotCycleResult = {
    cleanup,
    taken: [],
    skipped: {},
    failed: {},
    prune: {
      pruned: [],
      keptAsLastCopy: [],
      keptForRestore: [],
      forgotten: [],
    },
  };

  const ready = await inventory.listDatabases({ statuses: ['ready'] });
  const logical = providers
    .filter(p => p.snapshots === 'logical')
    .map(p => p.cluster);
  await Promise.all(
    logical.map(async cluster => {
      for (const record of ready.filter(r => r.cluster === cluster.name)) {
        const key = databaseKey(cluster.name, record.databaseName);
        if (signal?.aborted) {
          result.skipped[key] = 'the snapshot cycle was stopped';
          continue;
        }
        try {
          const snapshot = await catalog.take(
            snapshotSubjectOf(record, cluster),
            'scheduled',
            { signal },
          );
          result.taken.push(snapshot.id);
        } catch (error) {
          if (error instanceof ConflictError) {
            result.skipped[key] = error.message;
          } else {
            result.failed[key] = errorMessageLine(error);
          }
        }
      }
    }),
  );

  const live = new Set(
    (await inventory.listDatabases())
      .filter(r => r.cluster && !GONE_STATUSES.has(r.status))
      .map(r => databaseKey(r.cluster!, r.databaseName)),
  );
  result.prune = await maintenance.prune(
    now(),
    live,
    await (options.snapshotsInUse?.() ?? new Set<string>()),
  );
  logger.info(
    `Snapshot cycle: ${result.taken.length} taken, ${
      Object.keys(result.failed).length
    } failed, ${Object.keys(result.skipped).length} skipped, ${
      result.prune.pruned.length
    } pruned, ${cleanup.abandoned.length} abandoned by stopped backends`,
  );
  return result;
}

/**
 * Registers the snapshot cycle, a global task unless the schedule says
 * otherwise: with several replicas, each cycle runs on one of them only.
 */
export async function scheduleSnapshots(options: {
  scheduler: SchedulerService;
  settings: Pick<SnapshotSettings, 'schedule'>;
  inventory: InventoryStore;
  providers: ClusterProviderBundle[];
  catalog: LocalSnapshotCatalog;
  maintenance: LocalSnapshotMaintenance;
  snapshotsInUse?: () => Promise<ReadonlySet<string>>;
  logger: LoggerService;
}): Promise<void> {
  const { scheduler, settings, ...cycle } = options;
  await scheduler.scheduleTask({
    id: SNAPSHOT_TASK_ID,
    ...settings.schedule,
    fn: async signal => {
      try {
        await runSnapshotCycle({ ...cycle, signal });
      } catch (error) {
        options.logger.error(
          `The snapshot cycle failed: ${errorMessageLine(error)}`,
        );
        throw error;
      }
    },
  });
}
