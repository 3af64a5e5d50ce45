import { InputError } from '@backstage/errors';
import { BillingSettings } from './BillingSettings';
import { MICROS_PER_UNIT, Weighted, allocateCents } from './money';

/**
 * Billing works on **hourly samples** per cluster. One hour is the unit
 * because Aurora Serverless v2 capacity (ACU) moves within a day and is
 * published per minute/hour by CloudWatch: the split between tenants must
 * use the activity of the same hour the capacity was paid for, or a busy
 * tenant at noon would be billed for another's idle night. Each hour is
 * priced and split once (to the micro), then added into DAILY rollups per
 * database ({@link DailyRollupAccumulator}); reports only read rollups.
 *
 * Sizes are in bytes; 1 GB = 2^30 bytes (how AWS meters GB-months).
 */
export const BYTES_PER_GB = 1024 ** 3;

/** One database of a cluster during one hour. */
export interface DatabaseHourSample {
  namespace: string;
  name: string;
  /** Size of the database (average or end of the hour). */
  sizeBytes: number;
  /** Size of this database's snapshots that are kept. */
  snapshotBytes: number;
  /**
   * Seconds backends spent active on this database during the hour
   * (e.g. the delta of `pg_stat_database.active_time`). Can exceed 3600
   * with concurrent sessions.
   */
  activeSeconds?: number;
  /** Proxy for activity when active time is not available. */
  commits?: number;
  rollbacks?: number;
}

/** One cluster during one hour. */
export interface ClusterHourSample {
  cluster: string;
  /** Start of the hour (UTC); minutes and seconds are ignored. */
  hourStart: Date | string;
  /** Average ACU (capacity) during the hour. */
  acu: number;
  databases: DatabaseHourSample[];
}

/** Cost components, in the order used everywhere (arrays, CSV). */
export const COST_COMPONENTS = [
  'computeUsed',
  'computeIdle',
  'storage',
  'snapshots',
  'base',
] as const;
export type CostComponent = (typeof COST_COMPONENTS)[number];
export type ComponentAmounts = Record<CostComponent, number>;

/**
 * Where each database's share of compute comes from in one hour:
 * - `activeTime`: every database reported `activeSeconds`;
 * - `transactions`: some did not, so commits + rollbacks are the proxy for
 *   everyone (units cannot be mixed);
 * - `none`: no activity measure at all: all compute is idle.
 */
export type ActivitySource = 'activeTime' | 'transactions' | 'none';

export interface DatabaseHourCost {
  namespace: string;
  name: string;
  /** Micros per component. */
  micros: ComponentAmounts;
  /** The measurements behind the split, for explanations. */
  usage: DatabaseUsage;
}

/** Additive measurements (summed over hours in rollups). */
export interface DatabaseUsage {
  hours: number;
  storageGbHours: number;
  snapshotGbHours: number;
  activeSeconds: number;
  transactions: number;
}

export interface ClusterHourCost {
  cluster: string;
  /** ISO hour start, e.g. '2025-03-01T13:00:00.000Z'. */
  hourStart: string;
  /** UTC day 'YYYY-MM-DD'. */
  day: string;
  hoursInMonth: number;
  activitySource: ActivitySource;
  acu: number;
  /** ACU-hours considered used by databases (see {@link TenantCostAllocator}). */
  usedAcuHours: number;
  /** The cluster's whole cost for the hour per component, micros. */
  micros: ComponentAmounts;
  /** Cost with no database to carry it (an hour with no databases), micros. */
  unallocatedMicros: number;
  databases: DatabaseHourCost[];
}

export function emptyAmounts(): ComponentAmounts {
  return { computeUsed: 0, computeIdle: 0, storage: 0, snapshots: 0, base: 0 };
}

export function sumAmounts(a: ComponentAmounts): number {
  return a.computeUsed + a.computeIdle + a.storage + a.snapshots + a.base;
}

export function hoursInMonthOf(date: Date): number {
  const days = new Date(
    Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0),
  ).getUTCDate();
  return days * 24;
}

function nonNegative(value: number | undefined, what: string): number {
  const v = value ?? 0;
  if (!Number.isFinite(v) || v < 0) {
    throw new InputError(`${what} must be a finite number >= 0, got ${value}`);
  }
  return v;
}

/**
 * Prices one cluster-hour and splits it between the cluster's databases.
 *
 * Cost of the hour (each rounded to the micro; the cluster's cost for any
 * period is the sum of these hourly micros):
 * - compute   = acu × acuHour
 * - storage   = Σ sizeBytes / 2^30 × storageGbMonth / hoursInMonth
 * - snapshots = Σ snapshotBytes / 2^30 × snapshotGbMonth / hoursInMonth
 * - base      = baseMonthly / hoursInMonth
 * where hoursInMonth is 24 × the days of that calendar month (UTC), so a
 * constant 1 GB pays exactly storageGbMonth per month, whatever its length.
 *
 * Split (each part with {@link allocateCents} at micro precision, so the
 * databases' parts sum exactly to the cluster's hour):
 * - storage by sizeBytes; snapshots by snapshotBytes;
 * - compute is cut into a used and an idle part. With active time,
 *   one ACU-hour is taken as fully used by 3600 active seconds:
 *   usedAcuHours = min(acu, Σ activeSeconds / 3600), used fraction =
 *   usedAcuHours / acu. With the transactions proxy there is no time to
 *   compare capacity with: all compute counts as used when any transaction
 *   happened, else all is idle. Without any measure all is idle.
 *   The used part goes by activity share (active seconds, or commits +
 *   rollbacks); the idle part by `allocation.idleCapacity`:
 *   `proportional` to activity, `even` per database, or by `storage` size;
 * - base fee by `allocation.baseFee`: `even` or by `storage` size.
 * Any split whose weights are all zero falls back to an even split (e.g.
 * idle capacity `proportional` in an hour with no activity at all).
 * An hour with no databases leaves its cost unallocated (reported per
 * cluster, never silently dropped).
 */
export class TenantCostAllocator {
  constructor(private readonly settings: BillingSettings) {}

  allocateHour(sample: ClusterHourSample): ClusterHourCost {
    const { prices, allocation } = this.settings;
    const start = new Date(sample.hourStart);
    if (Number.isNaN(start.getTime())) {
      throw new InputError(`invalid hourStart '${sample.hourStart}'`);
    }
    start.setUTCMinutes(0, 0, 0);
    const hoursInMonth = hoursInMonthOf(start);
    const acu = nonNegative(sample.acu, `acu of ${sample.cluster}`);
    const dbs = sample.databases;

    const seen = new Set<string>();
    let sizeSum = 0;
    let snapshotSum = 0;
    let activeSum = 0;
    let txSum = 0;
    let allActive = dbs.length > 0;
    let anyTx = false;
    const sizes: number[] = [];
    const snaps: number[] = [];
    const actives: number[] = [];
    const txs: number[] = [];
    for (const db of dbs) {
      const key = `${db.namespace}/${db.name}`;
      if (seen.has(key)) {
        throw new InputError(
          `database ${key} appears twice in the sample of ${sample.cluster}`,
        );
      }
      seen.add(key);
      const size = nonNegative(db.sizeBytes, `sizeBytes of ${key}`);
      const snap = nonNegative(db.snapshotBytes, `snapshotBytes of ${key}`);
      const active = nonNegative(db.activeSeconds, `activeSeconds of ${key}`);
      const tx =
        nonNegative(db.commits, `commits of ${key}`) +
        nonNegative(db.rollbacks, `rollbacks of ${key}`);
      if (db.activeSeconds === undefined) allActive = false;
      if (db.commits !== undefined || db.rollbacks !== undefined) anyTx = true;
      sizes.push(size);
      snaps.push(snap);
      actives.push(active);
      txs.push(tx);
      sizeSum += size;
      snapshotSum += snap;
      activeSum += active;
      txSum += tx;
    }

    let activitySource: ActivitySource = 'none';
    if (allActive) activitySource = 'activeTime';
    else if (anyTx) activitySource = 'transactions';

    const computeMicros = Math.round(acu * prices.acuHour * MICROS_PER_UNIT);
    let usedAcuHours = 0;
    if (activitySource === 'activeTime') {
      usedAcuHours = Math.min(acu, activeSum / 3600);
    } else if (activitySource === 'transactions' && txSum > 0) {
      usedAcuHours = acu;
    }
    const usedMicros =
      acu > 0 ? Math.round((computeMicros * usedAcuHours) / acu) : 0;
    const micros: ComponentAmounts = {
      computeUsed: usedMicros,
      computeIdle: computeMicros - usedMicros,
      storage: Math.round(
        ((sizeSum / BYTES_PER_GB) * prices.storageGbMonth * MICROS_PER_UNIT) /
          hoursInMonth,
      ),
      snapshots: Math.round(
        ((snapshotSum / BYTES_PER_GB) *
          prices.snapshotGbMonth *
          MICROS_PER_UNIT) /
          hoursInMonth,
      ),
      base: Math.round((prices.baseMonthly * MICROS_PER_UNIT) / hoursInMonth),
    };

    const hourStart = start.toISOString();
    const result: ClusterHourCost = {
      cluster: sample.cluster,
      hourStart,
      day: hourStart.slice(0, 10),
      hoursInMonth,
      activitySource,
      acu,
      usedAcuHours,
      micros,
      unallocatedMicros: 0,
      databases: [],
    };
    if (dbs.length === 0) {
      result.unallocatedMicros = sumAmounts(micros);
      return result;
    }

    const keys = dbs.map(db => `${db.namespace}/${db.name}`);
    const weighted = (values: number[]): Weighted[] =>
      values.map((weight, i) => ({ key: keys[i], weight }));
    const activity = activitySource === 'activeTime' ? actives : txs;
    const even = (values: number[]) => values.map(() => 1);
    const idleWeights: Record<typeof allocation.idleCapacity, () => number[]> =
      {
        proportional: () => activity,
        even: () => even(activity),
        storage: () => sizes,
      };
    const baseWeights = allocation.baseFee === 'storage' ? sizes : even(sizes);

    const parts: Record<CostComponent, number[]> = {
      computeUsed: allocateCents(micros.computeUsed, weighted(activity)),
      computeIdle: allocateCents(
        micros.computeIdle,
        weighted(idleWeights[allocation.idleCapacity]()),
      ),
      storage: allocateCents(micros.storage, weighted(sizes)),
      snapshots: allocateCents(micros.snapshots, weighted(snaps)),
      base: allocateCents(micros.base, weighted(baseWeights)),
    };
    result.databases = dbs.map((db, i) => ({
      namespace: db.namespace,
      name: db.name,
      micros: {
        computeUsed: parts.computeUsed[i],
        computeIdle: parts.computeIdle[i],
        storage: parts.storage[i],
        snapshots: parts.snapshots[i],
        base: parts.base[i],
      },
      usage: {
        hours: 1,
        storageGbHours: sizes[i] / BYTES_PER_GB,
        snapshotGbHours: snaps[i] / BYTES_PER_GB,
        activeSeconds: actives[i],
        transactions: txs[i],
      },
    }));
    return result;
  }
}

/** What one database cost on one cluster on one UTC day (sum of its hours). */
export interface DailyDatabaseRollup {
  cluster: string;
  namespace: string;
  name: string;
  day: string;
  micros: ComponentAmounts;
  usage: DatabaseUsage;
}

/** One cluster on one UTC day (sum of its hours). */
export interface DailyClusterRollup {
  cluster: string;
  day: string;
  hours: number;
  acuHours: number;
  usedAcuHours: number;
  micros: ComponentAmounts;
  unallocatedMicros: number;
}

/**
 * Adds priced hours into daily rollups, the rows storage keeps (one per
 * cluster, database and day; one per cluster and day). Every field is a sum,
 * so a store can apply the same additions with `UPDATE ... SET x = x + ?`.
 * Adding the same hour twice counts it twice: a store must remember which
 * (cluster, hour) it already added.
 */
export class DailyRollupAccumulator {
  private readonly dbRows = new Map<string, DailyDatabaseRollup>();
  private readonly clusterRows = new Map<string, DailyClusterRollup>();

  add(hour: ClusterHourCost): void {
    const ckey = `${hour.cluster}\u0000${hour.day}`;
    let c = this.clusterRows.get(ckey);
    if (!c) {
      c = {
        cluster: hour.cluster,
        day: hour.day,
        hours: 0,
        acuHours: 0,
        usedAcuHours: 0,
        micros: emptyAmounts(),
        unallocatedMicros: 0,
      };
      this.clusterRows.set(ckey, c);
    }
    c.hours += 1;
    c.acuHours += hour.acu;
    c.usedAcuHours += hour.usedAcuHours;
    addAmounts(c.micros, hour.micros);
    c.unallocatedMicros += hour.unallocatedMicros;

    for (const db of hour.databases) {
      const key = `${ckey}\u0000${db.namespace}\u0000${db.name}`;
      let row = this.dbRows.get(key);
      if (!row) {
        row = {
          cluster: hour.cluster,
          namespace: db.namespace,
          name: db.name,
          day: hour.day,
          micros: emptyAmounts(),
          usage: {
            hours: 0,
            storageGbHours: 0,
            snapshotGbHours: 0,
            activeSeconds: 0,
            transactions: 0,
          },
        };
        this.dbRows.set(key, row);
      }
      addAmounts(row.micros, db.micros);
      row.usage.hours += db.usage.hours;
      row.usage.storageGbHours += db.usage.storageGbHours;
      row.usage.snapshotGbHours += db.usage.snapshotGbHours;
      row.usage.activeSeconds += db.usage.activeSeconds;
      row.usage.transactions += db.usage.transactions;
    }
  }

  databaseRollups(): DailyDatabaseRollup[] {
    return [...this.dbRows.values()];
  }

  clusterRollups(): DailyClusterRollup[] {
    return [...this.clusterRows.values()];
  }
}

export function addAmounts(into: ComponentAmounts, add: ComponentAmounts) {
  into.computeUsed += add.computeUsed;
  into.computeIdle += add.computeIdle;
  into.storage += add.storage;
  into.snapshots += add.snapshots;
  into.base += add.base;
}
