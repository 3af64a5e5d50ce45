import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { CapacityPoint, CapacityReader } from '@dbaas/plugin-dbaas-node';
import { BillingStore } from './BillingStore';
import { DatabaseHourUsage, HourlyUsageSource } from './HourlyUsageSource';
import { SnapshotUsageReader } from './SnapshotUsageReader';
import {
  ClusterHourSample,
  DatabaseHourSample,
  TenantCostAllocator,
} from './TenantCostAllocator';

const HOUR_MS = 3_600_000;
/** Hours read from metrics and CloudWatch at once while catching up. */
const CHUNK_HOURS = 24;
/**
 * An hour becomes final this long after it ended: by then the metrics
 * roll-up of the hour has its last samples (sampled every minute by
 * default) and CloudWatch has published the hour's capacity (a few minutes
 * late). Until then it is billed provisionally and rewritten on each run.
 */
export const FINAL_AFTER_MS = 15 * 60_000;
/** Backoff before each retry of a capacity read (throttling, network). */
const CAPACITY_RETRY_DELAYS_MS = [1_000, 4_000];

/** A cluster to bill and where its capacity comes from. */
export interface BilledCluster {
  name: string;
  capacity: CapacityReader;
}

/** The databases that are billed: the inventory's, never the cluster's own. */
export interface BilledDatabases {
  listDatabases(): Promise<
    Array<{ namespace: string; name: string; databaseName: string }>
  >;
}

export interface ClusterBillingResult {
  final: number;
  provisional: number;
}

export interface BillingRunResult {
  clusters: Record<string, ClusterBillingResult>;
  /** One line per cluster that could not be billed this run (retried next run). */
  failed: Record<string, string>;
}

function message(error: unknown): string {
  return isError(error) ? error.message : String(error);
}

function floorHour(time: number): number {
  return Math.floor(time / HOUR_MS) * HOUR_MS;
}

/**
 * Prices every cluster-hour from metrics, capacity and snapshot sizes, and
 * stores it: each complete hour not yet final, then the hours still open
 * (the current one included) provisionally, so month-to-date figures
 * appear within one run and are corrected by the next.
 *
 * Per database and hour: size = the hourly average size; activity =
 * active time share × 3600 s where PostgreSQL reports active time, and
 * commits and rollbacks (rates × 3600) as the proxy otherwise; snapshots =
 * bytes kept at the end of the hour (0 without a snapshot reader). Only
 * inventory databases are billed; a database whose snapshots outlive it
 * is billed for them while they are kept. An hour with no inventory
 * database leaves its cost unallocated (shown per cluster).
 */
export class HourlyBilling {
  constructor(
    private readonly options: {
      clusters: BilledCluster[];
      usage: HourlyUsageSource;
      databases: BilledDatabases;
      snapshots?: SnapshotUsageReader;
      store: BillingStore;
      allocator: TenantCostAllocator;
      logger: LoggerService;
      sleep?: (ms: number) => Promise<void>;
    },
  ) {}

  async run(
    now: Date = new Date(),
    signal?: AbortSignal,
  ): Promise<BillingRunResult> {
    const { clusters, databases, store, logger } = this.options;
    const result: BillingRunResult = { clusters: {}, failed: {} };
    const inventory = new Map(
      (await databases.listDatabases()).map(db => [db.databaseName, db]),
    );
    for (const cluster of clusters) {
      try {
        result.clusters[cluster.name] = await this.#billCluster(
          cluster,
          inventory,
          now,
          signal,
        );
      } catch (error) {
        result.failed[cluster.name] = message(error);
        logger.warn(
          `Billing cluster '${
            cluster.name
          }' failed, retried next run: ${message(error)}`,
        );
      }
    }
    await store.prune(now);
    try {
      // So that one tenant's month reads a current split (else its first
      // reader computes it).
      await store.refreshSplits();
    } catch (error) {
      logger.warn(
        `Billing: computing the month splits failed, readers compute them: ${message(
          error,
        )}`,
      );
    }
    return result;
  }

  async #billCluster(
    cluster: BilledCluster,
    inventory: Map<string, { namespace: string; name: string }>,
    now: Date,
    signal?: AbortSignal,
  ): Promise<ClusterBillingResult> {
    const { usage, store } = this.options;
    const done: ClusterBillingResult = { final: 0, provisional: 0 };
    const currentHour = floorHour(now.getTime());
    const firstWritable = Date.parse(
      `${store.firstWritableDay(now)}T00:00:00.000Z`,
    );
    const lastFinal = await store.lastFinalHour(cluster.name);
    let start = lastFinal ? lastFinal.getTime() + HOUR_MS : undefined;
    if (start === undefined) {
      // Never billed: start where its metrics start.
      const first = await usage.firstHour(
        cluster.name,
        new Date(firstWritable),
      );
      if (!first) return done;
      start = floorHour(first.getTime());
    }
    start = Math.max(start, firstWritable);

    for (let from = start; from <= currentHour; from += CHUNK_HOURS * HOUR_MS) {
      if (signal?.aborted) break;
      const to = Math.min(from + CHUNK_HOURS * HOUR_MS, currentHour + HOUR_MS);
      const rowsByHour = new Map<number, DatabaseHourUsage[]>();
      for (const row of await usage.hourlyUsage(
        cluster.name,
        new Date(from),
        new Date(to),
      )) {
        const key = row.hourStart.getTime();
        const list = rowsByHour.get(key);
        if (list) list.push(row);
        else rowsByHour.set(key, [row]);
      }
      // One hour earlier: the last point before an hour CloudWatch has not
      // published yet stands in for it while the hour is provisional.
      const points = await this.#readCapacity(
        cluster,
        new Date(from - HOUR_MS),
        new Date(Math.min(to, now.getTime())),
      );
      for (let hour = from; hour < to; hour += HOUR_MS) {
        if (signal?.aborted) break;
        const final = hour + HOUR_MS + FINAL_AFTER_MS <= now.getTime();
        const sample = await this.#sample(cluster.name, hour, {
          rows: rowsByHour.get(hour) ?? [],
          acu: averageCapacity(points, hour, !final),
          inventory,
          snapshotsAt: new Date(Math.min(hour + HOUR_MS, now.getTime())),
        });
        const cost = this.options.allocator.allocateHour(sample);
        if (await store.writeHour(cost, { final })) {
          done[final ? 'final' : 'provisional'] += 1;
        }
      }
    }
    return done;
  }

  async #sample(
    cluster: string,
    hour: number,
    input: {
      rows: DatabaseHourUsage[];
      acu: number;
      inventory: Map<string, { namespace: string; name: string }>;
      snapshotsAt: Date;
    },
  ): Promise<ClusterHourSample> {
    const snapshotBytes =
      (await this.options.snapshots?.snapshotBytesByDatabase(
        cluster,
        input.snapshotsAt,
      )) ?? new Map<string, number>();
    const databases: DatabaseHourSample[] = [];
    const seen = new Set<string>();
    for (const row of input.rows) {
      const db = input.inventory.get(row.databaseName);
      if (!db || seen.has(row.databaseName)) continue;
      seen.add(row.databaseName);
      const perHour = (perSecond?: number) =>
        perSecond === undefined ? undefined : perSecond * 3600;
      databases.push({
        namespace: db.namespace,
        name: db.name,
        sizeBytes: row.sizeBytes ?? 0,
        snapshotBytes: snapshotBytes.get(row.databaseName) ?? 0,
        activeSeconds: perHour(row.activeTimeShare),
        commits: perHour(row.commitsPerSecond),
        rollbacks: perHour(row.rollbacksPerSecond),
      });
    }
    // Snapshots of a database that is gone from the cluster still cost.
    for (const [databaseName, bytes] of snapshotBytes) {
      const db = input.inventory.get(databaseName);
      if (!db || seen.has(databaseName) || !(bytes > 0)) continue;
      seen.add(databaseName);
      databases.push({
        namespace: db.namespace,
        name: db.name,
        sizeBytes: 0,
        snapshotBytes: bytes,
        activeSeconds: 0,
        commits: 0,
        rollbacks: 0,
      });
    }
    return { cluster, hourStart: new Date(hour), acu: input.acu, databases };
  }

  async #readCapacity(
    cluster: BilledCluster,
    from: Date,
    to: Date,
  ): Promise<CapacityPoint[]> {
    const sleep =
      this.options.sleep ??
      ((ms: number) => new Promise<void>(r => setTimeout(r, ms)));
    for (let attempt = 0; ; attempt++) {
      try {
        return await cluster.capacity.readCapacity({ from, to });
      } catch (error) {
        if (attempt >= CAPACITY_RETRY_DELAYS_MS.length) throw error;
        this.options.logger.info(
          `Reading the capacity of cluster '${
            cluster.name
          }' failed, retrying: ${message(error)}`,
        );
        await sleep(CAPACITY_RETRY_DELAYS_MS[attempt]);
      }
    }
  }
}

/**
 * Average ACU of the points within the hour. Without any: 0 for a
 * complete hour (nothing ran, nothing is charged); for an open hour the
 * last earlier point, the best guess until the hour is published.
 */
export function averageCapacity(
  points: CapacityPoint[],
  hour: number,
  open: boolean,
): number {
  let sum = 0;
  let count = 0;
  let before: CapacityPoint | undefined;
  for (const point of points) {
    const t = point.at.getTime();
    if (t >= hour && t < hour + HOUR_MS) {
      sum += point.acu;
      count += 1;
    } else if (t < hour && (!before || t > before.at.getTime())) {
      before = point;
    }
  }
  if (count > 0) return sum / count;
  return open && before ? before.acu : 0;
}
