import {
  DatabaseMode,
  DatabaseRef,
  DatabaseStatus,
  ROLE_ACCESS,
  RestoredCopyOrigin,
} from '@dbaas/plugin-dbaas-common';
import type {
  DatabaseChangeKind,
  ObservedDatabase,
} from '@dbaas/plugin-dbaas-node';
import { DatabaseRecord } from './InventoryStore';
import type { ProvisioningFacts } from '../providers/ClusterProviderBundle';

/** Minutes an Aurora database may take after its merge before it is `failed`. */
export const DEFAULT_FAIL_AFTER_MINUTES = 15;

/**
 * A pull request of the suite about one database (from `listChanges()` and
 * `parseSuiteBranch`).
 */
export interface DatabaseChangeFacts {
  number: number;
  url: string;
  kind: DatabaseChangeKind;
  state: 'open' | 'closed' | 'merged';
  /** ISO 8601 */
  createdAt: string;
  /** ISO 8601 */
  updatedAt: string;
  /** ISO 8601, when merged */
  mergedAt?: string;
}

/** The cluster that holds (or would hold) the database. */
export interface ClusterFacts {
  name: string;
  /** Who creates its databases, and whether they are timed (its provider's). */
  provisioning: ProvisioningFacts;
  /** False when the last observation could not reach the cluster. */
  reachable: boolean;
}

/**
 * Everything known about one (namespace, name) in one sync.
 */
export interface DatabaseStatusInput {
  database: DatabaseRef;
  now: Date;
  /** The definition on the apps repository's base branch, if any. */
  defined?: { mode: DatabaseMode; folderPath: string };
  /** The suite's pull requests about this database, in any order. */
  changes: DatabaseChangeFacts[];
  /** Undefined when no configured cluster takes the namespace. */
  cluster?: ClusterFacts;
  /** What the cluster holds under `<namespace>-<name>`; only meaningful when reachable. */
  observed?: ObservedDatabase;
  /** The inventory's record from the previous sync. */
  previous?: Pick<
    DatabaseRecord,
    'status' | 'statusReason' | 'mode' | 'managedSince'
  >;
  /** Error the provisioner (local clusters) reported in this sync. */
  provisioningError?: string;
  /** Timed clusters only (Aurora): minutes after the merge before a database not ready is `failed`. */
  failAfterMinutes?: number;
  /** Set when a `new-database` restore created it and it was not dropped. */
  restoredCopy?: RestoredCopyOrigin;
}

/** The status of a database and why. */
export interface DerivedStatus {
  status: DatabaseStatus;
  reason?: string;
}

function latest(
  changes: DatabaseChangeFacts[],
  kind: DatabaseChangeKind,
  state?: DatabaseChangeFacts['state'],
): DatabaseChangeFacts | undefined {
  return changes
    .filter(c => c.kind === kind && (state === undefined || c.state === state))
    .reduce<DatabaseChangeFacts | undefined>(
      (newest, c) =>
        newest === undefined ||
        Date.parse(c.createdAt) > Date.parse(newest.createdAt) ||
        (Date.parse(c.createdAt) === Date.parse(newest.createdAt) &&
          c.number > newest.number)
          ? c
          : newest,
      undefined,
    );
}

function pr(change: DatabaseChangeFacts): string {
  return `pull request #${change.number} (${change.url})`;
}

/** What is still missing from an observed database, in words; empty when complete. */
function missingParts(observed: ObservedDatabase): string[] {
  const missing = ROLE_ACCESS.filter(access => !observed.roles[access]).map(
    access => `role ${observed.databaseName}-${access}`,
  );
  if (!observed.adminOwnsPublicSchema) {
    missing.push(`${observed.databaseName}-admin owning schema public`);
  }
  return missing;
}

/**
 * Derives the status of one database from the three views the inventory
 * joins: the definitions on the apps repository's base branch, the suite's
 * pull requests, and what the cluster really holds. Pure: the same input
 * always gives the same status.
 *
 * The rules, first match wins ("defined" = in a `values.yaml` on the base
 * branch; "in cluster" = a database `<namespace>-<name>` exists; "owned" =
 * it was defined at some point and has not been deleted, abandoned or
 * unmanaged since, see {@link isOwnedBySuite}; "protected" = the mode it
 * had when it was last defined):
 *
 * | # | repository                        | pull requests                | cluster                                         | status               |
 * |---|-----------------------------------|------------------------------|-------------------------------------------------|----------------------|
 * | 1 | any                               | any                          | unreachable, database known before              | previous (unchanged) |
 * | 2 | defined                           | open delete PR               | any                                             | `deletion-requested` |
 * | 3 | defined                           | any                          | no configured cluster takes the namespace       | `failed`             |
 * | 4 | defined                           | any                          | unreachable, database never seen                | `merged`             |
 * | 5 | defined                           | any                          | provisioner reported an error (local)           | `failed` (the error) |
 * | 6 | defined                           | any                          | database + 3 roles + admin owns schema public   | `ready`              |
 * | 7 | defined                           | any                          | database, roles/ownership incomplete            | `provisioning`; aurora: `failed` N min after merge |
 * | 8 | defined                           | any                          | no database                                     | `merged`; aurora: `failed` N min after merge |
 * | 9 | not defined                       | latest create PR open        | any                                             | `requested`          |
 * |10 | not defined, owned, protected     | any                          | in cluster                                      | `orphaned`           |
 * |11 | not defined, owned, standard      | any                          | in cluster, drop reported an error              | `failed` (the error) |
 * |12 | not defined, owned, standard      | any                          | in cluster                                      | `deletion-requested` (being dropped) |
 * |13a| not defined, not owned            | none open                    | in cluster, a restore's copy not dropped        | `restored`           |
 * |13 | not defined, not owned            | none open                    | in cluster (a tenant's name, see the sync)      | `unmanaged`          |
 * |14 | not defined                       | latest create PR closed unmerged | not in cluster                              | `abandoned`          |
 * |15 | not defined                       | any other                    | not in cluster                                  | `deleted`            |
 *
 * N is `failAfterMinutes` (default {@link DEFAULT_FAIL_AFTER_MINUTES}),
 * counted from the later of the merge of the latest merged create pull
 * request and `previous.managedSince` (when the definition appeared), on
 * clusters whose provisioning is timed (Aurora). Local clusters are not timed:
 * their provisioner reports its errors (rule 5). An unreachable cluster
 * never makes a database `failed` or `deleted`: rule 1 keeps the last
 * status and the store flags it "unknown since".
 */
export function deriveDatabaseStatus(
  input: DatabaseStatusInput,
): DerivedStatus {
  const { database, defined, changes, cluster, previous, now } = input;
  const reachable = cluster?.reachable ?? false;
  const observed = reachable ? input.observed : undefined;

  // 1. Unreachable: nothing can be said about the cluster side.
  if (cluster && !reachable && previous) {
    return { status: previous.status, reason: previous.statusReason };
  }

  if (defined) {
    const openDelete = latest(changes, 'delete', 'open');
    // 2.
    if (openDelete) {
      return {
        status: 'deletion-requested',
        reason: `${pr(openDelete)} to remove it is open`,
      };
    }
    // 3.
    if (!cluster) {
      return {
        status: 'failed',
        reason: `no cluster in dbaas.clusters takes namespace ${database.namespace}`,
      };
    }
    const merge = latest(changes, 'create', 'merged');
    const mergedWhere = merge
      ? `merged in ${pr(merge)}`
      : `defined in ${defined.folderPath}`;
    const waitingFor = cluster.provisioning.by;
    // 4.
    if (!reachable) {
      return {
        status: 'merged',
        reason: `${mergedWhere}; cluster ${cluster.name} cannot be reached`,
      };
    }
    // 5.
    if (input.provisioningError !== undefined) {
      return { status: 'failed', reason: input.provisioningError };
    }

    const failAfter = input.failAfterMinutes ?? DEFAULT_FAIL_AFTER_MINUTES;
    // The later of the merge and the definition's appearance (a database
    // defined again after its deletion starts a new wait).
    const startTimes = [
      merge?.mergedAt ? Date.parse(merge.mergedAt) : NaN,
      previous?.managedSince?.getTime() ?? NaN,
    ].filter(t => !Number.isNaN(t));
    const mergedAt =
      startTimes.length > 0 ? Math.max(...startTimes) : now.getTime();
    const overdue =
      cluster.provisioning.timed &&
      now.getTime() - mergedAt >= failAfter * 60_000;

    if (observed) {
      const missing = missingParts(observed);
      // 6.
      if (missing.length === 0) {
        let reason = `database, roles read/write/admin and schema ownership exist in cluster ${cluster.name}`;
        if (previous?.status === 'orphaned') {
          reason = `definition restored in ${defined.folderPath}: back under management, data kept`;
        } else if (previous?.status === 'unmanaged') {
          reason = `now defined in ${defined.folderPath}: brought under management`;
        } else if (previous?.status === 'restored') {
          reason = `restored copy now defined in ${defined.folderPath}: an ordinary database, data kept`;
        }
        return { status: 'ready', reason };
      }
      // 7.
      if (overdue) {
        return {
          status: 'failed',
          reason: `not ready ${failAfter} minutes after it was ${mergedWhere}: missing ${missing.join(
            ', ',
          )}`,
        };
      }
      return {
        status: 'provisioning',
        reason: `database exists in cluster ${
          cluster.name
        }; waiting for ${missing.join(', ')}`,
      };
    }
    // 8.
    if (overdue) {
      return {
        status: 'failed',
        reason: `no database in cluster ${cluster.name} ${failAfter} minutes after it was ${mergedWhere}`,
      };
    }
    return {
      status: 'merged',
      reason: `${mergedWhere}; waiting for ${waitingFor}`,
    };
  }

  // Not defined on the base branch.
  const latestCreate = latest(changes, 'create');
  // 9.
  if (latestCreate?.state === 'open') {
    return { status: 'requested', reason: `${pr(latestCreate)} is open` };
  }

  const owned = isOwnedBySuite(previous);
  const removal = latest(changes, 'delete', 'merged');
  const removedWhere = removal
    ? `removed from the apps repository in ${pr(removal)}`
    : 'removed from the apps repository';
  if (observed && cluster) {
    if (owned && previous?.mode === 'protected') {
      // 10.
      return {
        status: 'orphaned',
        reason: `protected database ${removedWhere}; the data stays in cluster ${cluster.name} (add the definition back to manage it again)`,
      };
    }
    if (owned) {
      // 11.
      if (input.provisioningError !== undefined) {
        return { status: 'failed', reason: input.provisioningError };
      }
      // 12.
      return {
        status: 'deletion-requested',
        reason: `${removedWhere}; being dropped from cluster ${cluster.name}`,
      };
    }
    // 13a.
    if (input.restoredCopy) {
      return {
        status: 'restored',
        reason: restoredReason(input.restoredCopy),
      };
    }
    // 13.
    return {
      status: 'unmanaged',
      reason: `found in cluster ${cluster.name}, not defined in the apps repository`,
    };
  }

  // 14.
  if (latestCreate?.state === 'closed') {
    return {
      status: 'abandoned',
      reason: `${pr(latestCreate)} was closed without merging`,
    };
  }
  // 15.
  if (previous?.status === 'restored' && reachable) {
    return {
      status: 'deleted',
      reason: `restored copy dropped: no longer in cluster ${cluster!.name}`,
    };
  }
  if (previous?.status === 'unmanaged' && reachable) {
    return {
      status: 'deleted',
      reason: `no longer in cluster ${cluster!.name}`,
    };
  }
  return {
    status: 'deleted',
    reason: reachable
      ? `${removedWhere} and gone from cluster ${cluster!.name}`
      : removedWhere,
  };
}

/** `restored from <db> at <snapshot time>`, and what becomes of it. */
export function restoredReason(copy: RestoredCopyOrigin): string {
  const from = `restored from ${copy.source.namespace}/${copy.source.name} at ${copy.snapshotCreatedAt}`;
  if (copy.state === 'kept') {
    return `${from}; kept: a pull request adds it to the apps repository`;
  }
  if (copy.state === 'dropping') {
    return `${from}; being dropped`;
  }
  return copy.expiresAt
    ? `${from}; dropped at ${copy.expiresAt} unless kept`
    : `${from}; not in the apps repository (restored before copies expired)`;
}

const NOT_OWNED_STATUSES: readonly DatabaseStatus[] = [
  'deleted',
  'abandoned',
  'unmanaged',
  'restored',
];

/**
 * Whether the suite still looks after a database that has been defined at
 * some point (`managedSince`): true unless it has since been `deleted`,
 * `abandoned` or seen `unmanaged`. A database the suite owns and that is
 * no longer defined is dropped (standard) or kept as `orphaned`
 * (protected); one it no longer owns that shows up again in a cluster
 * (re-created by hand) is `unmanaged` and never dropped.
 */
export function isOwnedBySuite(
  previous: Pick<DatabaseRecord, 'status' | 'managedSince'> | undefined,
): boolean {
  return (
    previous?.managedSince !== undefined &&
    !NOT_OWNED_STATUSES.includes(previous.status)
  );
}
