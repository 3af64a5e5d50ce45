import type { DatabaseStatus } from '@dbaas/plugin-dbaas-common';
import { DatabaseStateUpdate } from './InventoryStore';
import { InventoryEntry, keepPrevious, refKey } from './InventoryEntry';

/**
 * Statuses of databases that no longer exist in a cluster, and so need no
 * unique name there (every other status must have one).
 */
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
 * The claims on one `<namespace>-<name>`, strongest first: the pair the
 * inventory already had active, else the one defined on the base branch,
 * else the first by `namespace/name`. The one ranking both collision
 * passes use, so the pair that keeps a name before provisioning is the one
 * that keeps it when the statuses are recorded.
 */
export function rankNameClaims<T>(
  claims: readonly T[],
  entryOf: (claim: T) => InventoryEntry,
): T[] {
  return [...claims].sort((a, b) => {
    const ea = entryOf(a);
    const eb = entryOf(b);
    return (
      claimRank(ea) - claimRank(eb) ||
      refKey(ea.ref).localeCompare(refKey(eb.ref))
    );
  });
}

/**
 * Two (namespace, name) pairs with the same `<namespace>-<name>` (e.g.
 * `a-b`/`c` and `a`/`b-c`) must never both exist. Before anything is
 * provisioned, the strongest claim (see {@link rankNameClaims}) keeps the
 * name; the others are frozen with the collision as their error.
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
    const [winner, ...losers] = rankNameClaims(group, e => e);
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
 * both be active: the strongest claim (see {@link rankNameClaims}) keeps
 * it; the other keeps its previous (inactive) state with the collision as
 * its error, or is not recorded at all.
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
    const [winner, ...rest] = rankNameClaims(
      group,
      u => entries.get(refKey(u))!,
    );
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
