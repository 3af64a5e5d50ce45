import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ClusterSettings } from '@dbaas/plugin-dbaas-node';
import { SnapshotKind } from '../../providers/ClusterProviderBundle';
import { clusterProviderFor } from '../../providers/createClusterProviders';
import { RestoreEvents } from '../RestoreEvents';
import { RestoreRecord } from '../store/RestoreRecord';
import { RestoreStore } from '../store/RestoreStore';
import {
  RestoreEngine,
  RestoreJob,
  RestoreStepContext,
  RestoreStepOutcome,
} from './RestoreEngine';
import {
  DriveOptions,
  DriveOutcome,
  LeaseLost,
  RestoreRun,
} from './RestoreRun';

export type { DriveOptions, DriveOutcome } from './RestoreRun';

/**
 * The engine per snapshot kind (a cluster's provider bundle says which):
 * `logical` restores a pg_dump file, `cluster` an Aurora cluster snapshot.
 */
export type RestoreEngines = Partial<Record<SnapshotKind, RestoreEngine>>;

/**
 * Drives approved restores through their engine's steps, one at a time,
 * persisting the state, current step and log after each, so that the
 * workflow survives the backend dying at any point: whoever next holds
 * the request's lease re-runs the current step (engines are idempotent).
 * The lease is a row-level conditional update renewed while a step runs,
 * so of several replicas exactly one drives a request. A failed step
 * leads to the engine's cleanup, itself retried until it succeeds.
 */
export class RestoreExecutor {
  readonly owner: string;
  private readonly now: () => Date;
  private readonly heartbeatMs: number;

  constructor(
    private readonly options: {
      store: RestoreStore;
      engines: RestoreEngines;
      clusters: ClusterSettings[];
      events: RestoreEvents;
      logger: LoggerService;
      leaseMs: number;
      keepSafetyCopyForMs: number;
      /**
       * Runs the `preview` step of in-place restores that stop to be
       * finalized (`RestorePreviewer`); without it such a restore fails at
       * that step.
       */
      previewer?: {
        take(context: RestoreStepContext): Promise<RestoreStepOutcome>;
      };
      /** Lease owner name; unique per process by default. */
      owner?: string;
      now?: () => Date;
      /** How often the lease is renewed while a step runs. */
      heartbeatMs?: number;
    },
  ) {
    this.owner =
      options.owner ?? `${hostname()}:${process.pid}:${randomUUID()}`;
    this.now = options.now ?? (() => new Date());
    this.heartbeatMs = options.heartbeatMs ?? Math.floor(options.leaseMs / 3);
  }

  /** Drives every due request in turn, awaiting each. */
  async runOnce(
    options: DriveOptions = {},
  ): Promise<Record<string, DriveOutcome>> {
    const outcomes: Record<string, DriveOutcome> = {};
    for (const id of await this.options.store.findDue(this.now(), 100)) {
      outcomes[id] = await this.drive(id, options);
    }
    return outcomes;
  }

  /** Due requests, for a caller that drives them concurrently. */
  async findDue(limit: number): Promise<string[]> {
    return this.options.store.findDue(this.now(), limit);
  }

  async drive(id: string, options: DriveOptions = {}): Promise<DriveOutcome> {
    const { store, leaseMs } = this.options;
    const claimed = await store.claim(id, this.owner, this.now(), leaseMs);
    if (!claimed) {
      return 'not-claimed';
    }
    const lease = new AbortController();
    const onShutdown = () => lease.abort();
    options.signal?.addEventListener('abort', onShutdown);
    const heartbeat = setInterval(() => {
      store
        .renewLease(id, this.owner, this.now(), leaseMs)
        .then(held => held || lease.abort())
        .catch(error =>
          this.options.logger.warn(
            `Restore ${id}: lease renewal failed: ${error}`,
          ),
        );
    }, this.heartbeatMs);
    heartbeat.unref?.();
    try {
      return await new RestoreRun(
        {
          store,
          events: this.options.events,
          owner: this.owner,
          now: this.now,
          keepSafetyCopyForMs: this.options.keepSafetyCopyForMs,
          resolve: record => this.resolve(record),
          preview: this.options.previewer
            ? context => this.options.previewer!.take(context)
            : undefined,
        },
        claimed,
        lease.signal,
        options,
      ).run();
    } catch (error) {
      if (error instanceof LeaseLost) {
        return 'stopped';
      }
      throw error;
    } finally {
      clearInterval(heartbeat);
      options.signal?.removeEventListener('abort', onShutdown);
    }
  }

  /** Drops in-place safety copies whose time is up. */
  async dropDueSafetyCopies(): Promise<number> {
    const { store, events, logger } = this.options;
    let dropped = 0;
    for (const record of await store.findSafetyCopiesDue(this.now())) {
      const copy = record.safetyCopy!.databaseName;
      try {
        const { engine, job } = this.resolve(record);
        await engine.dropSafetyCopy(job, copy);
        const now = this.now();
        await store.markSafetyCopyDropped(record.id, now, [
          {
            at: now,
            step: 'drop-safety-copy',
            level: 'info',
            message: `Safety copy ${copy} dropped (kept until ${record.safetyCopy!.dropAfter.toISOString()})`,
          },
        ]);
        await events.record({
          eventId: 'restore-safety-copy-drop',
          meta: { restoreId: record.id, database: record.databaseName, copy },
        });
        await events.notify(
          record,
          `Safety copy of ${record.databaseName} dropped: ${copy}`,
        );
        dropped += 1;
      } catch (error) {
        // Retried on the next pass; the copy only costs storage meanwhile.
        logger.warn(`Restore ${record.id}: dropping ${copy} failed: ${error}`);
      }
    }
    return dropped;
  }

  private resolve(record: RestoreRecord): {
    engine: RestoreEngine;
    job: RestoreJob;
  } {
    const cluster = this.options.clusters.find(c => c.name === record.cluster);
    if (!cluster) {
      throw new Error(`Cluster ${record.cluster} is not configured`);
    }
    const engine = this.options.engines[clusterProviderFor(cluster).snapshots];
    if (!engine) {
      throw new Error(
        `No restore engine for ${cluster.provider} clusters (cluster ${cluster.name})`,
      );
    }
    return {
      engine,
      job: {
        id: record.id,
        namespace: record.namespace,
        name: record.name,
        databaseName: record.databaseName,
        mode: record.mode,
        cluster,
        snapshotId: record.snapshotId,
        target: record.target,
        targetDatabaseName: record.targetDatabaseName,
      },
    };
  }
}
