import type { RestoredCopyOrigin } from '@dbaas/plugin-dbaas-common';
import type {
  AppsRepository,
  ClusterObservation,
  RepoFile,
  SuiteChange,
  TenantDirectory,
} from '@dbaas/plugin-dbaas-node';
import { DatabaseRecord, InventoryStore } from './InventoryStore';
import { InventoryCluster } from './InventoryCluster';
import { oneLine } from './oneLine';

/** How often the list of pull requests is read in full rather than only what changed. */
const FULL_CHANGES_REFRESH_MS = 60 * 60 * 1000;
/** Overlap of incremental pull request reads, for clock skew. */
const CHANGES_OVERLAP_MS = 5 * 60 * 1000;

/** Everything one cycle reads before it decides anything. */
export interface InventoryViews {
  /** The definition files on the apps repository's base branch. */
  files: RepoFile[];
  /** The suite's pull requests. */
  suiteChanges: SuiteChange[];
  /** The inventory as the previous cycle left it. */
  records: DatabaseRecord[];
  /** Known tenants, empty when they cannot be listed this cycle. */
  tenantNamespaces: string[];
  /** What each cluster holds, by cluster name. */
  observations: Map<string, ClusterObservation>;
  /** Databases restores created and nobody dropped, by `<namespace>-<name>`. */
  restoredCopies: Map<string, RestoredCopyOrigin>;
}

export interface InventoryViewReaderOptions {
  store: InventoryStore;
  appsRepo: AppsRepository;
  clusters: InventoryCluster[];
  tenants: TenantDirectory;
  now: () => Date;
  /** The restored copies not dropped, by `<namespace>-<name>`. */
  restoredCopies?: () => Promise<Map<string, RestoredCopyOrigin>>;
}

/**
 * Reads the three views a cycle joins (the apps repository's definitions,
 * the suite's pull requests, what each cluster holds) with the inventory
 * and the tenants. Keeps the pull requests it read between cycles.
 */
export class InventoryViewReader {
  private changeCache?: {
    byNumber: Map<number, SuiteChange>;
    fetchedAt: Date;
    fullAt: Date;
  };

  constructor(private readonly options: InventoryViewReaderOptions) {}

  async read(
    now: Date,
    problem: (message: string) => void,
  ): Promise<InventoryViews> {
    const { store, appsRepo } = this.options;
    // The repository view: in full, or the cycle fails.
    const [files, suiteChanges] = await Promise.all([
      appsRepo.listDefinitionFiles(),
      this.readChanges(now),
    ]);
    const [records, tenantNamespaces, observations, restoredCopies] =
      await Promise.all([
        store.listDatabases(),
        this.readTenantNamespaces(problem),
        this.observeAll(),
        this.options.restoredCopies?.() ?? new Map(),
      ]);
    return {
      files,
      suiteChanges,
      records,
      tenantNamespaces,
      observations,
      restoredCopies,
    };
  }

  /** Pull requests of the suite: in full every hour, else what changed since the last read. */
  private async readChanges(now: Date): Promise<SuiteChange[]> {
    const { appsRepo } = this.options;
    const cache = this.changeCache;
    if (
      !cache ||
      now.getTime() - cache.fullAt.getTime() >= FULL_CHANGES_REFRESH_MS
    ) {
      const all = await appsRepo.listChanges();
      this.changeCache = {
        byNumber: new Map(all.map(c => [c.number, c])),
        fetchedAt: now,
        fullAt: now,
      };
      return all;
    }
    const updated = await appsRepo.listChanges({
      updatedSince: new Date(cache.fetchedAt.getTime() - CHANGES_OVERLAP_MS),
    });
    for (const change of updated) {
      cache.byNumber.set(change.number, change);
    }
    cache.fetchedAt = now;
    return [...cache.byNumber.values()];
  }

  private async readTenantNamespaces(
    problem: (message: string) => void,
  ): Promise<string[]> {
    try {
      const tenants = await this.options.tenants.listTenants();
      return tenants.map(t => t.namespace);
    } catch (error) {
      problem(
        `Tenants cannot be listed, no new unmanaged databases this cycle: ${oneLine(
          error,
        )}`,
      );
      return [];
    }
  }

  private async observeAll(): Promise<Map<string, ClusterObservation>> {
    const observations = await Promise.all(
      this.options.clusters.map(c => observeCluster(c, this.options.now)),
    );
    return new Map(observations.map(o => [o.cluster, o]));
  }
}

/** What a cluster holds; unreachable, with the reason, when its observer throws. */
export async function observeCluster(
  cluster: InventoryCluster,
  now: () => Date,
): Promise<ClusterObservation> {
  try {
    return await cluster.observer.observe();
  } catch (error) {
    return {
      cluster: cluster.name,
      reachable: false,
      observedAt: now(),
      error: oneLine(error),
    };
  }
}
