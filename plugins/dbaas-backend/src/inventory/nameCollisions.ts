import type { DatabaseStatus } from '@dbaas/plugin-dbaas-common';
import { DatabaseStateUpdate } from '../database/InventoryStore';
import { InventoryEntry, keepPrevious, refKey } from './InventoryEntry';

/** Statuses that may exist in a cluster, and so must have unique names. */
const INACTIVE_STATUSES: readonly DatabaseStatus[] = ['deleted', 'abandoned'];

/**
 * Whether an entry lays claim to its `<namespace>-<name>` this cycle: it is
 * defined, requested by an open pull request, or was active before.
 */
function claimsName(e: InventoryEntry): boolean {
  return (
    e.defined !== undefined ||
    e.changes.some(c => c.kind === 'create' && c.state === 'open') ||
    (e.previous !== undefined && !INACTIVE_STATUSES.includes(e.previous.status))
  );
}

/** How strong a claim is: lower wins. */
function claimRank(e: InventoryEntry): number {
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
export function markCollisions(
  entries: Map<string, InventoryEntry>,
  problem: (message: string) => void,
) {
  const byName = new Map<string, InventoryEntry[]>();
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

/**
 * Two (namespace, name) pairs with the same `<namespace>-<name>` must not
 * both be active: the one the inventory already had (else the one defined
 * on the base branch, else the first by name) keeps it; the other keeps its
 * previous (inactive) state with the collision as its error, or is not
 * recorded at all.
 */
export function withoutCollisions(
  updates: DatabaseStateUpdate[],
  entries: Map<string, InventoryEntry>,
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
