import { DatabasePullRequest } from '@dbaas/plugin-dbaas-common';
import type { ClusterObservation } from '@dbaas/plugin-dbaas-node';
import { DatabaseStateUpdate } from './InventoryStore';
import { deriveDatabaseStatus, isOwnedBySuite } from './deriveDatabaseStatus';
import { InventoryEntry, keepPrevious } from './InventoryEntry';
import { oneLine } from './oneLine';

export interface DeriveStateUpdatesOptions {
  now: Date;
  /** Aurora: minutes after the merge before a database not ready is `failed`. */
  failAfterMinutes?: number;
  problem: (message: string) => void;
}

/**
 * The state to record for every entry: its derived status with the facts
 * behind it. An entry whose status cannot be derived keeps its previous
 * state with the error; a frozen one keeps it with the reason.
 */
export function deriveStateUpdates(
  entries: Map<string, InventoryEntry>,
  observations: Map<string, ClusterObservation>,
  options: DeriveStateUpdatesOptions,
): DatabaseStateUpdate[] {
  const updates: DatabaseStateUpdate[] = [];
  for (const e of entries.values()) {
    try {
      const update = deriveStateUpdate(e, observations, options);
      if (update) {
        updates.push(update);
      }
    } catch (error) {
      const message = `sync failed: ${oneLine(error)}`;
      options.problem(`${e.databaseName}: ${message}`);
      if (e.previous) {
        updates.push(keepPrevious(e.previous, message));
      }
    }
  }
  return updates;
}

function deriveStateUpdate(
  e: InventoryEntry,
  observations: Map<string, ClusterObservation>,
  options: DeriveStateUpdatesOptions,
): DatabaseStateUpdate | undefined {
  const { now } = options;
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
      provisioning: e.cluster.provisioning,
      reachable,
    },
    observed,
    previous,
    provisioningError: e.provisioningError,
    failAfterMinutes: options.failAfterMinutes,
    restoredCopy: e.restoredCopy,
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
