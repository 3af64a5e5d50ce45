import { LoggerService } from '@backstage/backend-plugin-api';
import type { RestoredCopyOrigin } from '@dbaas/plugin-dbaas-common';
import type { AppsRepository, TenantDirectory } from '@dbaas/plugin-dbaas-node';
import { AppsRepoViewStore } from './AppsRepoViewStore';
import { InventoryStore, RecordedStatusChange } from './InventoryStore';
import { deriveStateUpdates } from './deriveStateUpdates';
import { InventoryCluster } from './InventoryCluster';
import { InventoryViewReader } from './InventoryViewReader';
import { joinInventoryEntries } from './joinInventoryEntries';
import { markCollisions, withoutCollisions } from './nameCollisions';
import { reconcileLocalClusters } from './reconcileLocalClusters';

export interface InventorySyncOptions {
  store: InventoryStore;
  appsRepo: AppsRepository;
  /** `dbaas.gitops.basePath`, normalized. */
  basePath: string;
  clusters: InventoryCluster[];
  /** Tenants, for finding unmanaged databases (`<tenant>-<name>`). */
  tenants: TenantDirectory;
  logger: LoggerService;
  /**
   * Where a completed cycle records when it ran and at which base head, for
   * request checks answered from the inventory.
   */
  repoViews?: AppsRepoViewStore;
  /** Aurora: minutes after the merge before a database not ready is `failed`. */
  failAfterMinutes?: number;
  /**
   * The copies `new-database` restores created and nobody dropped, by
   * `<namespace>-<name>`: shown as `restored` rather than `unmanaged`.
   */
  restoredCopies?: () => Promise<Map<string, RestoredCopyOrigin>>;
  /** For tests. */
  now?: () => Date;
}

/** What one cycle saw of one cluster. */
export interface ClusterSyncOutcome {
  name: string;
  reachable: boolean;
  /** Why it could not be reached (one line, no credentials). */
  error?: string;
}

/** The outcome of one cycle. */
export interface InventorySyncResult {
  /** Every status change recorded, for notifications and audit. */
  changes: RecordedStatusChange[];
  clusters: ClusterSyncOutcome[];
  /**
   * What could not be used or done: unreadable definitions, colliding
   * names, per-database errors. Each also logged.
   */
  problems: string[];
}

/**
 * How often every defined database of a local cluster is reconciled even
 * when it looks complete (grants, default privileges and secrets drift
 * where the observer cannot see them).
 */
const RECONCILE_ALL_EVERY_MS = 60 * 60 * 1000;

/**
 * One inventory cycle: joins the definitions on the apps repository's base
 * branch, the suite's pull requests and what each cluster holds; for
 * `provider: local` clusters reconciles the cluster with the repository;
 * derives every database's status and records the changes.
 *
 * Safety rules:
 * - The repository view is read in full or the cycle fails: a cycle never
 *   derives statuses (or drops anything) from a partial view.
 * - A database whose `values.yaml` cannot be parsed this cycle keeps its
 *   state, and is neither provisioned nor dropped.
 * - When the base branch has no definitions at all while the inventory
 *   holds several defined databases (a wrong `basePath`, an emptied
 *   clone), nothing is treated as removed.
 * - Only standard databases the suite owns (see {@link isOwnedBySuite})
 *   are ever dropped; never protected or unmanaged ones, never while a
 *   create pull request for them is open.
 * - An unreachable cluster is neither provisioned nor used to change a
 *   status; its databases are flagged unknown.
 * - An error about one database is recorded as its `lastError` and never
 *   stops the others.
 *
 * Run it through {@link scheduleInventorySync} (one cycle at a time across
 * replicas). The instance keeps two caches that are safe when cycles move
 * between replicas: the pull requests it read (refreshed incrementally
 * since its own last read, in full every hour) and when it last reconciled
 * every defined database.
 */
export class InventorySync {
  private readonly now: () => Date;
  private readonly views: InventoryViewReader;
  private lastFullReconcile?: Date;

  constructor(private readonly options: InventorySyncOptions) {
    this.now = options.now ?? (() => new Date());
    this.views = new InventoryViewReader({ ...options, now: this.now });
  }

  async runOnce(signal?: AbortSignal): Promise<InventorySyncResult> {
    const { store, appsRepo, logger } = this.options;
    const now = this.now();
    const problems: string[] = [];
    const problem = (message: string) => {
      problems.push(message);
      logger.warn(message);
    };

    const views = await this.views.read(now, problem);
    const baseSha = appsRepo.listedBaseSha;
    const { observations } = views;
    const entries = joinInventoryEntries(views, {
      basePath: this.options.basePath,
      baseBranch: appsRepo.baseBranch,
      clusters: this.options.clusters,
      problem,
    });
    markCollisions(entries, problem);
    for (const e of entries.values()) {
      e.restoredCopy = views.restoredCopies.get(e.databaseName);
    }

    const reconcileAll =
      !this.lastFullReconcile ||
      now.getTime() - this.lastFullReconcile.getTime() >=
        RECONCILE_ALL_EVERY_MS;
    await reconcileLocalClusters(entries, observations, {
      logger,
      problem,
      reconcileAll,
      now: this.now,
      signal,
    });
    if (reconcileAll) {
      this.lastFullReconcile = now;
    }
    // Timed out (the scheduler aborts): write nothing from a cut-short cycle.
    signal?.throwIfAborted();

    const updates = withoutCollisions(
      deriveStateUpdates(entries, observations, {
        now,
        failAfterMinutes: this.options.failAfterMinutes,
        problem,
      }),
      entries,
      problem,
    );
    const changes = await store.applyUpdates(updates);

    const clusters: ClusterSyncOutcome[] = [];
    for (const observation of observations.values()) {
      if (observation.reachable) {
        await store.clearClusterUnknown(observation.cluster);
        clusters.push({ name: observation.cluster, reachable: true });
      } else {
        await store.markClusterUnknown(
          observation.cluster,
          observation.observedAt,
          observation.error,
        );
        clusters.push({
          name: observation.cluster,
          reachable: false,
          error: observation.error,
        });
        logger.warn(
          `Cluster ${observation.cluster} cannot be reached, its databases keep their last status: ${observation.error}`,
        );
      }
    }

    await this.#recordView(baseSha);

    logger.info(
      `Inventory sync: ${updates.length} databases, ${changes.length} status changes, ${problems.length} problems`,
    );
    return { changes, clusters, problems };
  }

  /** Best effort: without it, requests are checked against an older view. */
  async #recordView(baseSha: string | undefined) {
    const { repoViews, appsRepo, logger } = this.options;
    try {
      await repoViews?.record({
        syncedAt: this.now(),
        baseBranch: appsRepo.baseBranch,
        baseSha,
      });
    } catch (error) {
      logger.warn(
        `Could not record the inventory's view of the apps repository: ${error}`,
      );
    }
  }
}
