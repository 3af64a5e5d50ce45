/**
 * What becomes of a database a `new-database` restore created:
 *
 * - `expiring`: dropped with its roles and secrets at `expiresAt` unless
 *   kept (without `expiresAt`: restored before copies expired, kept until
 *   someone keeps or deletes it);
 * - `kept`: someone asked to keep it; a pull request adds it to the apps
 *   repository, after whose merge it is an ordinary database. Never dropped
 *   by the expiry;
 * - `dropping`: being dropped (expired, or deleted on request);
 * - `dropped`: gone, with its roles and secrets.
 *
 * @public
 */
export const RESTORED_COPY_STATES = [
  'expiring',
  'kept',
  'dropping',
  'dropped',
] as const;

/** @public */
export type RestoredCopyState = (typeof RESTORED_COPY_STATES)[number];

/**
 * Where a restored copy comes from, as the database listing shows it.
 *
 * @public
 */
export interface RestoredCopyOrigin {
  /** The restore request that created it. */
  restoreId: string;
  /** The database restored from. */
  source: { namespace: string; name: string; databaseName: string };
  /** ISO 8601: the moment the snapshot's data is from. */
  snapshotCreatedAt: string;
  state: RestoredCopyState;
  /** ISO 8601: when it is dropped unless kept; absent when it never is. */
  expiresAt?: string;
}

/**
 * A database created by a `new-database` restore
 * (`GET /restores/:id/copy`, and `copy` of the restore request).
 *
 * @public
 */
export interface RestoredCopy extends RestoredCopyOrigin {
  namespace: string;
  name: string;
  /** `<namespace>-<name>` */
  databaseName: string;
  cluster: string;
  snapshotId: string;
  /** ISO 8601: when the restore finished. */
  createdAt: string;
  /** Who asked to keep it, and the pull request adding it to the apps repository. */
  keep?: {
    by: string;
    /** ISO 8601 */
    at: string;
    branchName?: string;
    pullRequestNumber?: number;
    pullRequestUrl?: string;
    /** True when the change is already on the base branch (local repositories). */
    merged?: boolean;
  };
  /** Set once it is dropped. */
  dropped?: {
    /** ISO 8601 */
    at: string;
    /** User entity ref; absent when the expiry dropped it. */
    by?: string;
    reason: 'expired' | 'deleted';
  };
  /** The last error of a keep or drop attempt (one line, no credentials). */
  lastError?: string;
  /** What the caller may do now. */
  allowedActions: Array<'keep' | 'delete'>;
}

/**
 * Body of `DELETE /restores/:id/copy`: the copy's database name, typed
 * again as a confirmation.
 *
 * @public
 */
export interface DeleteRestoredCopyRequest {
  confirm: string;
}
