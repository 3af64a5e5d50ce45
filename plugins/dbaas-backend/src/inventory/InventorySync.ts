import { posix } from 'node:path';
import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import {
  DatabasePullRequest,
  DatabaseRef,
  DatabaseStatus,
  ROLE_ACCESS,
  validateDatabaseName,
  validateDatabaseRequest,
} from '@dbaas/plugin-dbaas-common';
import {
  findDefinedDatabases,
  parseSuiteBranch,
} from '@dbaas/plugin-dbaas-node';
import type {
  AppsRepository,
  ClusterObservation,
  ClusterObserver,
  DatabaseProvisioner,
  MergedDatabaseDefinition,
  ObservedDatabase,
  SuiteChange,
  TenantDirectory,
} from '@dbaas/plugin-dbaas-node';
import {
  DatabaseRecord,
  DatabaseStateUpdate,
  InventoryStore,
  RecordedStatusChange,
} from '../database/InventoryStore';
import {
  DatabaseChangeFacts,
  deriveDatabaseStatus,
  isOwnedBySuite,
} from './deriveDatabaseStatus';

/**
 * A cluster as the sync sees it: `dbaas.clusters[]` with its observer and,
 * for `provider: local`, its provisioner.
 */
export interface InventoryCluster {
  name: string;
  provider: 'local' | 'aurora';
  /** Namespaces whose databases live on this cluster; empty means any. */
  namespaces: string[];
  observer: ClusterObserver;
  /** Only used for `provider: local` (ArgoCD and the chart do it for Aurora). */
  provisioner?: DatabaseProvisioner;
}

export interface InventorySyncOptions {
  store: InventoryStore;
  appsRepo: AppsRepository;
  /** `dbaas.gitops.basePath`, normalized. */
  basePath: string;
  clusters: InventoryCluster[];
  /** Tenants, for finding unmanaged databases (`<tenant>-<name>`). */
  tenants: TenantDirectory;
  logger: LoggerService;
  /** Aurora: minutes after the merge before a database not ready is `failed`. */
  failAfterMinutes?: number;
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

/** How often the list of pull requests is read in full rather than only what changed. */
const FULL_CHANGES_REFRESH_MS = 60 * 60 * 1000;
/**
 * How often every defined database of a local cluster is reconciled even
 * when it looks complete (grants, default privileges and secrets drift
 * where the observer cannot see them).
 */
const RECONCILE_ALL_EVERY_MS = 60 * 60 * 1000;
/** Overlap of incremental pull request reads, for clock skew. */
const CHANGES_OVERLAP_MS = 5 * 60 * 1000;

/** Statuses that may exist in a cluster, and so must have unique names. */
const INACTIVE_STATUSES: readonly DatabaseStatus[] = ['deleted', 'abandoned'];

/** Statuses of a database whose definition was on the base branch last time. */
const DEFINED_STATUSES: readonly DatabaseStatus[] = [
  'merged',
  'provisioning',
  'ready',
  'failed',
  'deletion-requested',
];

/**
 * The cluster that holds a namespace's databases: the first of `clusters`
 * (in `dbaas.clusters` order) whose `namespaces` lists it or is empty.
 * List the clusters dedicated to some namespaces before a catch-all one.
 */
export function clusterForNamespace<C extends { namespaces: string[] }>(
  clusters: C[],
  namespace: string,
): C | undefined {
  return clusters.find(
    c => c.namespaces.length === 0 || c.namespaces.includes(namespace),
  );
}

function oneLine(error: unknown): string {
  const message = isError(error) ? error.message : String(error);
  return message.replace(/\s+/g, ' ').trim();
}

function isComplete(observed: ObservedDatabase | undefined): boolean {
  return (
    observed !== undefined &&
    ROLE_ACCESS.every(access => observed.roles[access]) &&
    observed.adminOwnsPublicSchema
  );
}

function refKey(ref: DatabaseRef): string {
  return `${ref.namespace}/${ref.name}`;
}

/** Everything one cycle knows about one (namespace, name). */
interface Entry {
  ref: DatabaseRef;
  databaseName: string;
  defined?: { mode: 'standard' | 'protected'; folderPath: string };
  changes: DatabaseChangeFacts[];
  previous?: DatabaseRecord;
  cluster?: InventoryCluster;
  /** Set when its definition cannot be read this cycle: nothing changes. */
  frozen?: string;
  provisioningAttempted?: boolean;
  provisioningError?: string;
}

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
  private lastFullReconcile?: Date;
  private changeCache?: {
    byNumber: Map<number, SuiteChange>;
    fetchedAt: Date;
    fullAt: Date;
  };

  constructor(private readonly options: InventorySyncOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async runOnce(signal?: AbortSignal): Promise<InventorySyncResult> {
    const { store, appsRepo, logger } = this.options;
    const now = this.now();
    const problems: string[] = [];
    const problem = (message: string) => {
      problems.push(message);
      logger.warn(message);
    };

    // The repository view: in full, or the cycle fails.
    const [files, suiteChanges] = await Promise.all([
      appsRepo.listDefinitionFiles(),
      this.readChanges(now),
    ]);
    const [records, tenantNamespaces, observations] = await Promise.all([
      store.listDatabases(),
      this.readTenantNamespaces(problem),
      this.observeAll(),
    ]);

    const entries = new Map<string, Entry>();
    const entry = (ref: DatabaseRef): Entry => {
      const k = refKey(ref);
      let e = entries.get(k);
      if (!e) {
        e = {
          ref: { namespace: ref.namespace, name: ref.name },
          databaseName: `${ref.namespace}-${ref.name}`,
          changes: [],
          cluster: clusterForNamespace(this.options.clusters, ref.namespace),
        };
        entries.set(k, e);
      }
      return e;
    };

    for (const record of records) {
      entry(record).previous = record;
    }

    const defined = findDefinedDatabases(files, this.options.basePath);
    const unreadableFolders = new Set<string>();
    for (const p of defined.problems) {
      unreadableFolders.add(posix.dirname(p.path));
      problem(`Definition ${p.path}: ${p.message}`);
    }
    for (const db of defined.databases) {
      entry(db).defined = {
        mode: db.mode,
        folderPath: posix.dirname(db.path),
      };
    }

    for (const change of suiteChanges) {
      const parsed = parseSuiteBranch(change.branchName);
      if (!parsed) {
        continue;
      }
      const naming = validateDatabaseRequest(parsed, {
        reservedNamespaces: [],
      });
      if (naming.length > 0) {
        continue; // not a database the suite could have asked for
      }
      entry(parsed).changes.push({
        number: change.number,
        url: change.url,
        kind: parsed.kind,
        state: change.state,
        createdAt: change.createdAt,
        updatedAt: change.updatedAt,
        mergedAt: change.mergedAt,
      });
    }

    // Definitions that cannot be read this cycle: keep those databases as they are.
    const previouslyDefined = [...entries.values()].filter(
      e =>
        e.previous?.folderPath !== undefined &&
        isOwnedBySuite(e.previous) &&
        DEFINED_STATUSES.includes(e.previous.status),
    );
    const noDefinitionsAtAll =
      defined.databases.length === 0 &&
      defined.problems.length === 0 &&
      previouslyDefined.length >= 2;
    if (noDefinitionsAtAll) {
      problem(
        `The apps repository has no database definitions under '${this.options.basePath}' on ${appsRepo.baseBranch}, ` +
          `while ${previouslyDefined.length} databases were defined: treating none as removed (check dbaas.gitops.basePath)`,
      );
    }
    for (const e of previouslyDefined) {
      if (e.defined) {
        continue;
      }
      if (noDefinitionsAtAll) {
        e.frozen = 'no database definitions found on the base branch';
      } else if (unreadableFolders.has(e.previous!.folderPath!)) {
        e.frozen = `${e.previous!.folderPath} cannot be read this cycle`;
      }
    }

    this.addUnmanaged(entries, entry, observations, tenantNamespaces);
    markCollisions(entries, problem);

    const reconcileAll =
      !this.lastFullReconcile ||
      now.getTime() - this.lastFullReconcile.getTime() >=
        RECONCILE_ALL_EVERY_MS;
    await this.provision(entries, observations, problem, reconcileAll, signal);
    if (reconcileAll) {
      this.lastFullReconcile = now;
    }
    // Timed out (the scheduler aborts): write nothing from a cut-short cycle.
    signal?.throwIfAborted();

    const updates = this.deriveUpdates(entries, observations, now, problem);
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

    logger.info(
      `Inventory sync: ${updates.length} databases, ${changes.length} status changes, ${problems.length} problems`,
    );
    return { changes, clusters, problems };
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
      this.options.clusters.map(c => this.observe(c)),
    );
    return new Map(observations.map(o => [o.cluster, o]));
  }

  private async observe(
    cluster: InventoryCluster,
  ): Promise<ClusterObservation> {
    try {
      return await cluster.observer.observe();
    } catch (error) {
      return {
        cluster: cluster.name,
        reachable: false,
        observedAt: this.now(),
        error: oneLine(error),
      };
    }
  }

  /**
   * Databases in a cluster that nobody defined or requested, named
   * `<tenant>-<name>` for a known tenant whose databases live on that
   * cluster (the longest matching tenant wins). Anything else in the
   * cluster (Backstage's own databases, other tools') is ignored.
   */
  private addUnmanaged(
    entries: Map<string, Entry>,
    entry: (ref: DatabaseRef) => Entry,
    observations: Map<string, ClusterObservation>,
    tenantNamespaces: string[],
  ) {
    const known = new Set([...entries.values()].map(e => e.databaseName));
    const tenants = [...tenantNamespaces].sort((a, b) => b.length - a.length);
    for (const observation of observations.values()) {
      if (!observation.reachable) {
        continue;
      }
      for (const databaseName of observation.databases.keys()) {
        if (known.has(databaseName)) {
          continue;
        }
        const namespace = tenants.find(
          t =>
            databaseName.startsWith(`${t}-`) &&
            clusterForNamespace(this.options.clusters, t)?.name ===
              observation.cluster,
        );
        if (!namespace) {
          continue;
        }
        const name = databaseName.slice(namespace.length + 1);
        if (
          validateDatabaseName(name).length > 0 ||
          validateDatabaseRequest(
            { namespace, name },
            { reservedNamespaces: [] },
          ).length > 0
        ) {
          continue;
        }
        entry({ namespace, name });
        known.add(databaseName);
      }
    }
  }

  /**
   * For local clusters: ensure what is defined and not known complete (all
   * of it once an hour), drop owned standard databases removed from the
   * repository. Then observe each provisioned cluster again.
   */
  private async provision(
    entries: Map<string, Entry>,
    observations: Map<string, ClusterObservation>,
    problem: (message: string) => void,
    reconcileAll: boolean,
    signal?: AbortSignal,
  ) {
    const work = new Map<
      InventoryCluster,
      Array<{ e: Entry; action: 'ensure' | 'drop' }>
    >();
    for (const e of entries.values()) {
      const cluster = e.cluster;
      const observation = cluster && observations.get(cluster.name);
      if (
        !cluster ||
        cluster.provider !== 'local' ||
        !cluster.provisioner ||
        !observation?.reachable ||
        e.frozen
      ) {
        continue;
      }
      const observed = observation.databases.get(e.databaseName);
      let action: 'ensure' | 'drop' | undefined;
      if (e.defined) {
        const settled =
          e.previous?.status === 'ready' ||
          e.previous?.status === 'deletion-requested';
        if (reconcileAll || !settled || !isComplete(observed)) {
          action = 'ensure';
        }
      } else if (
        observed &&
        isOwnedBySuite(e.previous) &&
        e.previous?.mode === 'standard' &&
        !e.changes.some(c => c.kind === 'create' && c.state === 'open')
      ) {
        action = 'drop';
      }
      if (action) {
        const list = work.get(cluster) ?? [];
        list.push({ e, action });
        work.set(cluster, list);
      }
    }

    await Promise.all(
      [...work.entries()].map(async ([cluster, list]) => {
        for (const { e, action } of list) {
          if (signal?.aborted) {
            return;
          }
          const definition: MergedDatabaseDefinition = {
            namespace: e.ref.namespace,
            name: e.ref.name,
            mode: e.defined?.mode ?? e.previous?.mode ?? 'standard',
          };
          e.provisioningAttempted = true;
          try {
            const result =
              action === 'ensure'
                ? await cluster.provisioner!.ensure(definition)
                : await cluster.provisioner!.drop(definition);
            if (result.changes.length > 0) {
              this.options.logger.info(
                `${action === 'ensure' ? 'Provisioned' : 'Dropped'} ${
                  e.databaseName
                } on ${cluster.name}: ${result.changes.join(', ')}`,
              );
            }
          } catch (error) {
            e.provisioningError = `${
              action === 'ensure' ? 'provisioning' : 'drop'
            } failed: ${oneLine(error)}`;
            problem(
              `${e.databaseName} on ${cluster.name}: ${e.provisioningError}`,
            );
          }
        }
        // What the cluster holds now.
        observations.set(cluster.name, await this.observe(cluster));
      }),
    );
  }

  private deriveUpdates(
    entries: Map<string, Entry>,
    observations: Map<string, ClusterObservation>,
    now: Date,
    problem: (message: string) => void,
  ): DatabaseStateUpdate[] {
    const updates: DatabaseStateUpdate[] = [];
    for (const e of entries.values()) {
      try {
        const update = this.deriveUpdate(e, observations, now);
        if (update) {
          updates.push(update);
        }
      } catch (error) {
        const message = `sync failed: ${oneLine(error)}`;
        problem(`${e.databaseName}: ${message}`);
        if (e.previous) {
          updates.push(keepPrevious(e.previous, message));
        }
      }
    }
    return this.withoutCollisions(updates, entries, problem);
  }

  private deriveUpdate(
    e: Entry,
    observations: Map<string, ClusterObservation>,
    now: Date,
  ): DatabaseStateUpdate | undefined {
    const { previous } = e;
    if (e.frozen) {
      return previous ? keepPrevious(previous, e.frozen) : undefined;
    }
    const observation = e.cluster && observations.get(e.cluster.name);
    const reachable = observation?.reachable ?? false;
    const observed = observation?.reachable
      ? observation.databases.get(e.databaseName)
      : undefined;

    const { status, reason } = deriveDatabaseStatus({
      database: e.ref,
      now,
      defined: e.defined,
      changes: e.changes,
      cluster: e.cluster && {
        name: e.cluster.name,
        provider: e.cluster.provider,
        reachable,
      },
      observed,
      previous,
      provisioningError: e.provisioningError,
      failAfterMinutes: this.options.failAfterMinutes,
    });

    let managedSince = previous?.managedSince;
    if (e.defined && !isOwnedBySuite(previous)) {
      // First defined, or defined again after its deletion: since the merge
      // that did it, when that merge is newer than the previous state.
      const merged = e.changes
        .filter(c => c.kind === 'create' && c.mergedAt)
        .map(c => Date.parse(c.mergedAt!))
        .filter(t => !Number.isNaN(t));
      const lastMerge = merged.length > 0 ? Math.max(...merged) : undefined;
      managedSince =
        lastMerge !== undefined &&
        lastMerge <= now.getTime() &&
        (!previous || lastMerge >= previous.statusSince.getTime())
          ? new Date(lastMerge)
          : now;
    }

    let lastError: string | undefined = e.provisioningError;
    if (
      lastError === undefined &&
      !e.provisioningAttempted &&
      status !== 'ready' &&
      status !== 'deleted'
    ) {
      lastError = previous?.lastError;
    }

    const pullRequests: DatabasePullRequest[] = [...e.changes]
      .sort(
        (a, b) =>
          Date.parse(b.createdAt) - Date.parse(a.createdAt) ||
          b.number - a.number,
      )
      .map(c => ({
        number: c.number,
        url: c.url,
        kind: c.kind,
        state: c.state,
        updatedAt: c.updatedAt,
      }));

    return {
      namespace: e.ref.namespace,
      name: e.ref.name,
      databaseName: e.databaseName,
      mode: e.defined?.mode ?? previous?.mode ?? 'standard',
      status,
      statusReason: reason,
      cluster: e.cluster?.name,
      folderPath: e.defined?.folderPath ?? previous?.folderPath,
      managedSince,
      lastError,
      sizeBytes: reachable ? observed?.sizeBytes : previous?.sizeBytes,
      pullRequests,
      at: now,
    };
  }

  /**
   * Two (namespace, name) pairs with the same `<namespace>-<name>` must not
   * both be active: the one the inventory already had (else the one defined
   * on the base branch, else the first by name) keeps it; the other keeps its
   * previous (inactive) state with the collision as its error, or is not
   * recorded at all.
   */
  private withoutCollisions(
    updates: DatabaseStateUpdate[],
    entries: Map<string, Entry>,
    problem: (message: string) => void,
  ): DatabaseStateUpdate[] {
    const byName = new Map<string, DatabaseStateUpdate[]>();
    for (const u of updates) {
      if (INACTIVE_STATUSES.includes(u.status)) {
        continue;
      }
      byName.set(u.databaseName, [...(byName.get(u.databaseName) ?? []), u]);
    }
    const losers = new Set<DatabaseStateUpdate>();
    for (const [databaseName, group] of byName) {
      if (group.length < 2) {
        continue;
      }
      const rank = (u: DatabaseStateUpdate) => {
        const e = entries.get(refKey(u))!;
        if (e.previous && !INACTIVE_STATUSES.includes(e.previous.status)) {
          return 0;
        }
        return e.defined ? 1 : 2;
      };
      const sorted = [...group].sort(
        (a, b) => rank(a) - rank(b) || refKey(a).localeCompare(refKey(b)),
      );
      const [winner, ...rest] = sorted;
      for (const loser of rest) {
        losers.add(loser);
        problem(
          `${refKey(loser)} and ${refKey(
            winner,
          )} both make database ${databaseName}; ${refKey(winner)} keeps it`,
        );
      }
    }
    return updates.flatMap(u => {
      if (!losers.has(u)) {
        return [u];
      }
      const previous = entries.get(refKey(u))!.previous;
      return previous
        ? [
            keepPrevious(
              previous,
              `another database already uses the name ${u.databaseName}`,
            ),
          ]
        : [];
    });
  }
}

/**
 * Whether an entry lays claim to its `<namespace>-<name>` this cycle: it is
 * defined, requested by an open pull request, or was active before.
 */
function claimsName(e: Entry): boolean {
  return (
    e.defined !== undefined ||
    e.changes.some(c => c.kind === 'create' && c.state === 'open') ||
    (e.previous !== undefined && !INACTIVE_STATUSES.includes(e.previous.status))
  );
}

/** How strong a claim is: lower wins. */
function claimRank(e: Entry): number {
  if (e.previous && !INACTIVE_STATUSES.includes(e.previous.status)) {
    return 0;
  }
  return e.defined ? 1 : 2;
}

/**
 * Two (namespace, name) pairs with the same `<namespace>-<name>` (e.g.
 * `a-b`/`c` and `a`/`b-c`) must never both exist. Before anything is
 * provisioned, the pair the inventory already had (else the one defined on
 * the base branch, else the first by name) keeps the name; the others are
 * frozen with the collision as their error.
 */
function markCollisions(
  entries: Map<string, Entry>,
  problem: (message: string) => void,
) {
  const byName = new Map<string, Entry[]>();
  for (const e of entries.values()) {
    if (!e.frozen && claimsName(e)) {
      byName.set(e.databaseName, [...(byName.get(e.databaseName) ?? []), e]);
    }
  }
  for (const [databaseName, group] of byName) {
    if (group.length < 2) {
      continue;
    }
    const [winner, ...losers] = [...group].sort(
      (a, b) =>
        claimRank(a) - claimRank(b) ||
        refKey(a.ref).localeCompare(refKey(b.ref)),
    );
    for (const loser of losers) {
      loser.frozen = `${refKey(
        winner.ref,
      )} already makes database ${databaseName}`;
      problem(
        `${refKey(loser.ref)} and ${refKey(
          winner.ref,
        )} both make database ${databaseName}; ${refKey(winner.ref)} keeps it`,
      );
    }
  }
}

/** The previous state of a database, unchanged but for its last error. */
function keepPrevious(
  previous: DatabaseRecord,
  lastError: string,
): DatabaseStateUpdate {
  const {
    statusSince: _statusSince,
    updatedAt: _updatedAt,
    unknownSince: _unknownSince,
    unknownReason: _unknownReason,
    ...rest
  } = previous;
  return { ...rest, lastError };
}
