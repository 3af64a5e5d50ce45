/**
 * Whether an objective holds: `unknown` when it cannot be told (no
 * measurement yet, the cluster's API did not answer, the database is not
 * ready).
 *
 * @public
 */
export type ObjectiveStatus = 'met' | 'missed' | 'unknown';

/**
 * The recovery point objective (RPO) of a database: how much recent data a
 * restore may lose, against the newest point it can be restored to.
 *
 * @public
 */
export interface RecoveryPointObjective {
  /** The objective for the database's environment and mode, in seconds. */
  targetSeconds: number;
  status: ObjectiveStatus;
  /**
   * ISO 8601: the newest moment the data can be restored to. Self-hosted
   * clusters: when the newest available (complete, checksummed) snapshot
   * started; Aurora: the cluster's latest restorable time.
   */
  recoveryPointAt?: string;
  /** Where the recovery point comes from. */
  source?: 'snapshot' | 'restorable-time';
  /** The snapshot of a `snapshot` recovery point. */
  snapshotId?: string;
  /**
   * Seconds from the recovery point to now: the data a restore now would
   * lose. Without any recovery point, the age of the database itself.
   */
  ageSeconds?: number;
  /** ISO 8601: since when the objective is missed (as last evaluated). */
  missedSince?: string;
  /** Why the status is what it is, when the numbers alone do not say. */
  reason?: string;
  /** ISO 8601: when the recovery point was last read. */
  evaluatedAt?: string;
}

/**
 * What a recovery time estimate is made of.
 *
 * @public
 */
export interface RecoveryTimeBasis {
  /**
   * `database`: its own restores and drills; `cluster`: those of other
   * databases of its cluster, as it has none of its own yet.
   */
  scope: 'database' | 'cluster';
  /** How many runs the estimate is taken from. */
  runs: number;
  /** ISO 8601: the newest of them. */
  newestRunAt: string;
  /** How the estimate was made from the runs, in words. */
  method: string;
}

/**
 * The recovery time objective (RTO) of a database: how long a restore may
 * take, against what restores and drills measured.
 *
 * @public
 */
export interface RecoveryTimeObjective {
  /** The objective for the database's environment and mode, in seconds. */
  targetSeconds: number;
  status: ObjectiveStatus;
  /** The measured time to restore the database now, in seconds. */
  estimateSeconds?: number;
  basis?: RecoveryTimeBasis;
  /** Why the status is what it is, when the numbers alone do not say. */
  reason?: string;
}

/**
 * States of a restore drill.
 *
 * - `running`: a replica is restoring the snapshot into a scratch database
 * - `passed`: restored and verified; the scratch copy is dropped
 * - `failed`: the restore or its verification failed (`error` says why)
 * - `skipped`: not attempted (`error` says why, e.g. the snapshot is larger
 *   than `dbaas.drills.maxSnapshotSize`)
 *
 * @public
 */
export type RestoreDrillState = 'running' | 'passed' | 'failed' | 'skipped';

/**
 * A restore drill: the newest snapshot of a database restored into a
 * scratch database on its cluster, verified, timed and dropped; the live
 * database is never touched.
 *
 * @public
 */
export interface RestoreDrill {
  id: string;
  state: RestoreDrillState;
  snapshotId?: string;
  /** ISO 8601: the moment the snapshot's data is from. */
  snapshotCreatedAt?: string;
  snapshotSizeBytes?: number;
  /** ISO 8601 */
  startedAt: string;
  /** ISO 8601 */
  finishedAt?: string;
  /** Restore and verification, in seconds: what a restore takes. */
  durationSeconds?: number;
  /** Size of the restored copy. */
  restoredSizeBytes?: number;
  /** What verification found, in words. */
  verification?: string;
  error?: string;
}

/**
 * `GET /databases/:namespace/:name/recovery`: the objectives, what was
 * measured against them, and the last drills.
 *
 * @public
 */
export interface DatabaseRecoveryResponse {
  namespace: string;
  name: string;
  databaseName: string;
  cluster?: string;
  environment?: string;
  mode: 'standard' | 'protected';
  rpo: RecoveryPointObjective;
  rto: RecoveryTimeObjective;
  /** Newest first, at most 10. */
  drills: RestoreDrill[];
  /** Why this database is not drilled, when it is not. */
  drillsUnavailable?: string;
}

/**
 * The objectives of a database as a listing shows them
 * (`DatabaseSummary.recovery`), kept small: a listing carries one per
 * database (the targets and the reasons are in
 * {@link DatabaseRecoveryResponse}). An objective is missed when either
 * status is `missed`.
 *
 * @public
 */
export interface DatabaseRecoverySummary {
  rpo: ObjectiveStatus;
  rto: ObjectiveStatus;
  /** Seconds since the newest recovery point (or the data's start). */
  rpoAgeSeconds?: number;
  /** The measured restore time, in seconds. */
  rtoEstimateSeconds?: number;
  /** How the newest drill that ran ended. */
  lastDrill?: Extract<RestoreDrillState, 'passed' | 'failed'>;
}
