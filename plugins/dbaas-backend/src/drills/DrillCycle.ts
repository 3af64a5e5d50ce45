import { randomUUID } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import { errorMessageLine } from '@dbaas/plugin-dbaas-node';
import { DatabaseRecord, InventoryStore } from '../inventory/InventoryStore';
import { ClusterProviderBundle } from '../providers/ClusterProviderBundle';
import { SnapshotCatalog } from '../snapshots/SnapshotCatalog';
import { snapshotSubjectOf } from '../snapshots/snapshotSubjectOf';
import { drillScratchName } from './drillNames';
import { DrillRunner } from './DrillRunner';
import { DrillSettings } from './DrillSettings';
import { DrillLogEntry, DrillStore } from './DrillStore';

export interface DrillCycleResult {
  /** `<ns>/<name>` of drills that passed. */
  passed: string[];
  /** `<ns>/<name>` -> why. */
  failed: Record<string, string>;
  skipped: Record<string, string>;
  /** Databases another replica drilled or is drilling. */
  taken: string[];
  /** Drills of stopped backends failed by this cycle. */
  staleFailed: string[];
  /** Scratch databases no running drill owns, dropped. */
  leftoversDropped: string[];
}

type Outcome = 'passed' | 'failed' | 'skipped' | 'taken';

const key = (r: { namespace: string; name: string }) =>
  `${r.namespace}/${r.name}`;

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
}

/**
 * One cycle of the drill task. First it cleans up after crashed drills: a
 * running drill without a heartbeat for the lease is failed and its scratch
 * database dropped, and any scratch database no running drill owns is
 * dropped. Then it drills a bounded sample of `ready` databases on
 * self-hosted clusters, least recently drilled first (so every database
 * comes round in turn), at most `maxConcurrent` at once: each restores its
 * newest available snapshot into a scratch database, verifies it, records
 * the time taken and drops the copy. A database that has no snapshot, whose
 * snapshot is larger than `maxSnapshotSize`, or whose cluster has no room
 * for a copy of it (where free space can be read), is recorded as skipped,
 * not counted, and goes to the back of the queue. Aurora databases are not drilled (a drill
 * would need a temporary cluster).
 */
export class DrillCycle {
  readonly #owner = `drills-${randomUUID()}`;

  constructor(
    private readonly options: {
      inventory: InventoryStore;
      providers: ClusterProviderBundle[];
      catalog: SnapshotCatalog;
      store: DrillStore;
      runner: DrillRunner;
      settings: Pick<
        DrillSettings,
        | 'maxDatabasesPerCycle'
        | 'maxConcurrent'
        | 'maxSnapshotSizeBytes'
        | 'leaseMs'
      >;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  #now(): Date {
    return this.options.now?.() ?? new Date();
  }

  async run(signal?: AbortSignal): Promise<DrillCycleResult> {
    const { inventory, providers, store, settings, logger } = this.options;
    const result: DrillCycleResult = {
      passed: [],
      failed: {},
      skipped: {},
      taken: [],
      staleFailed: [],
      leftoversDropped: [],
    };
    await this.#cleanUp(result);

    const logical = providers.filter(p => p.snapshots === 'logical');
    const clusters = new Map(logical.map(p => [p.cluster.name, p.cluster]));
    const lastStarted = await store.lastStarted();
    const candidates = (await inventory.listDatabases({ statuses: ['ready'] }))
      .filter(r => r.cluster && clusters.has(r.cluster))
      .sort((a, b) => {
        const at = lastStarted.get(key(a))?.getTime() ?? -Infinity;
        const bt = lastStarted.get(key(b))?.getTime() ?? -Infinity;
        return at - bt || key(a).localeCompare(key(b));
      });

    let next = 0;
    let started = 0;
    const worker = async () => {
      while (
        next < candidates.length &&
        started < settings.maxDatabasesPerCycle &&
        !signal?.aborted
      ) {
        const record = candidates[next++];
        // The slot is taken before the first await, so that concurrent
        // workers never start more than the cycle's share.
        started += 1;
        let outcome: Outcome;
        try {
          outcome = await this.#drill(
            record,
            lastStarted.get(key(record)),
            result,
            signal,
          );
        } catch (error) {
          // Only the store failing gets here; the next database may work.
          result.failed[key(record)] = errorMessageLine(error);
          outcome = 'failed';
        }
        if (outcome === 'skipped' || outcome === 'taken') {
          started -= 1;
        }
      }
    };
    await Promise.all(
      Array.from({ length: settings.maxConcurrent }, () => worker()),
    );
    await store.prune();
    logger.info(
      `Restore drill cycle: ${result.passed.length} passed, ${
        Object.keys(result.failed).length
      } failed, ${Object.keys(result.skipped).length} skipped, ${
        result.taken.length
      } taken by another replica; ${
        result.staleFailed.length
      } stale drills failed, ${
        result.leftoversDropped.length
      } leftover scratch databases dropped`,
    );
    return result;
  }

  async #drill(
    record: DatabaseRecord,
    seenLastStarted: Date | undefined,
    result: DrillCycleResult,
    signal?: AbortSignal,
  ): Promise<Outcome> {
    const { catalog, store, runner, settings, logger } = this.options;
    const cluster = this.options.providers.find(
      p => p.cluster.name === record.cluster,
    )!.cluster;
    const subject = snapshotSubjectOf(record, cluster);
    const base = {
      namespace: record.namespace,
      name: record.name,
      databaseName: record.databaseName,
      cluster: cluster.name,
    };
    const skip = async (
      reason: string,
      snapshot?: { id: string; createdAt: Date; sizeBytes?: number },
    ): Promise<Outcome> => {
      const recorded = await store.start(
        {
          ...base,
          id: randomUUID(),
          state: 'skipped',
          startedAt: this.#now(),
          error: reason,
          ...(snapshot
            ? {
                snapshotId: snapshot.id,
                snapshotCreatedAt: snapshot.createdAt,
                snapshotSizeBytes: snapshot.sizeBytes,
              }
            : {}),
        },
        seenLastStarted,
      );
      if (!recorded) {
        result.taken.push(key(record));
        return 'taken';
      }
      result.skipped[key(record)] = reason;
      return 'skipped';
    };

    let snapshots;
    try {
      snapshots = await catalog.list(subject);
    } catch (error) {
      return skip(
        `its snapshots could not be listed: ${errorMessageLine(error)}`,
      );
    }
    const newest = snapshots.items.find(s => s.status === 'available');
    if (!newest) {
      return skip('it has no available snapshot');
    }
    const snapshot = {
      id: newest.id,
      createdAt: new Date(newest.createdAt),
      sizeBytes: newest.sizeBytes,
    };
    if (
      newest.sizeBytes !== undefined &&
      newest.sizeBytes > settings.maxSnapshotSizeBytes
    ) {
      return skip(
        `its newest snapshot is ${gib(
          newest.sizeBytes,
        )}, more than dbaas.drills.maxSnapshotSize (${gib(
          settings.maxSnapshotSizeBytes,
        )})`,
        snapshot,
      );
    }

    let space: string | undefined;
    try {
      space = await runner.spaceProblem(cluster, record.databaseName);
    } catch (error) {
      return skip(
        `free space on cluster '${
          cluster.name
        }' could not be checked: ${errorMessageLine(error)}`,
        snapshot,
      );
    }
    if (space) {
      return skip(space, snapshot);
    }

    const id = randomUUID();
    const scratchDatabase = drillScratchName(record.databaseName, id);
    const claimed = await store.start(
      {
        ...base,
        id,
        state: 'running',
        scratchDatabase,
        snapshotId: snapshot.id,
        snapshotCreatedAt: snapshot.createdAt,
        snapshotSizeBytes: snapshot.sizeBytes,
        owner: this.#owner,
        startedAt: this.#now(),
      },
      seenLastStarted,
    );
    if (!claimed) {
      result.taken.push(key(record));
      return 'taken';
    }

    const log: DrillLogEntry[] = [];
    const lost = new AbortController();
    const heartbeat = setInterval(() => {
      store
        .heartbeat(id, this.#owner, this.#now(), log)
        .then(held => {
          if (!held) {
            lost.abort(
              new Error(
                'the drill was failed as stale by another replica (no heartbeat within dbaas.drills.leaseDuration)',
              ),
            );
          }
        })
        .catch(error =>
          logger.warn(
            `Drill ${id}: heartbeat failed: ${errorMessageLine(error)}`,
          ),
        );
    }, Math.max(250, Math.floor(settings.leaseMs / 4)));
    try {
      const measured = await runner.run(
        {
          id,
          namespace: record.namespace,
          name: record.name,
          databaseName: record.databaseName,
          mode: record.mode,
          cluster,
          snapshotId: snapshot.id,
          scratchDatabase,
        },
        entry => log.push(entry),
        signal ? AbortSignal.any([signal, lost.signal]) : lost.signal,
      );
      clearInterval(heartbeat);
      await store.finish(id, this.#owner, {
        state: 'passed',
        finishedAt: this.#now(),
        ...measured,
        log,
      });
      result.passed.push(key(record));
      return 'passed';
    } catch (error) {
      clearInterval(heartbeat);
      const reason = errorMessageLine(error);
      log.push({
        at: this.#now().toISOString(),
        level: 'error',
        message: reason,
      });
      await store.finish(id, this.#owner, {
        state: 'failed',
        finishedAt: this.#now(),
        error: reason,
        log,
      });
      result.failed[key(record)] = reason;
      logger.warn(`Restore drill of ${key(record)} failed: ${reason}`);
      return 'failed';
    }
  }

  /** Fails drills of stopped backends, drops scratch copies nobody owns. */
  async #cleanUp(result: DrillCycleResult): Promise<void> {
    const { store, runner, providers, settings, logger } = this.options;
    const clusters = new Map(
      providers
        .filter(p => p.snapshots === 'logical')
        .map(p => [p.cluster.name, p.cluster]),
    );
    const now = this.#now();
    for (const drill of await store.listStale(
      new Date(now.getTime() - settings.leaseMs),
    )) {
      const failed = await store.failStale(
        drill,
        `the backend running the drill stopped (no heartbeat since ${drill.heartbeatAt.toISOString()}); its scratch copy is dropped`,
        now,
      );
      if (failed) {
        result.staleFailed.push(key(drill));
      }
    }
    for (const cluster of clusters.values()) {
      try {
        // Listed before the running drills are read: a drill's row is
        // written before its scratch database is created.
        const present = await runner.listScratch(cluster);
        const running = await store.runningScratchDatabases();
        for (const name of present.filter(n => !running.has(n))) {
          await runner.dropScratch(cluster, name);
          result.leftoversDropped.push(`${cluster.name}/${name}`);
        }
      } catch (error) {
        logger.warn(
          `Could not clean up drill scratch databases on cluster '${
            cluster.name
          }': ${errorMessageLine(error)}`,
        );
      }
    }
  }
}
