import { posix } from 'node:path';
import {
  DatabaseRef,
  DatabaseStatus,
  validateDatabaseName,
  validateDatabaseRequest,
} from '@dbaas/plugin-dbaas-common';
import {
  findDefinedDatabases,
  parseSuiteBranch,
} from '@dbaas/plugin-dbaas-node';
import type { ClusterObservation } from '@dbaas/plugin-dbaas-node';
import { isOwnedBySuite } from './deriveDatabaseStatus';
import { clusterForNamespace, InventoryCluster } from './InventoryCluster';
import { InventoryEntry, refKey } from './InventoryEntry';
import { InventoryViews } from './InventoryViewReader';

/** Statuses of a database whose definition was on the base branch last time. */
const DEFINED_STATUSES: readonly DatabaseStatus[] = [
  'merged',
  'provisioning',
  'ready',
  'failed',
  'deletion-requested',
];

export interface JoinInventoryEntriesOptions {
  /** `dbaas.gitops.basePath`, normalized. */
  basePath: string;
  /** The apps repository's base branch, for problems. */
  baseBranch: string;
  clusters: InventoryCluster[];
  problem: (message: string) => void;
}

/**
 * One entry per (namespace, name) found in any view: the inventory's
 * records, the definitions on the base branch, the suite's pull requests
 * and the unmanaged databases in the clusters. Entries whose definition
 * cannot be read this cycle are frozen.
 */
export function joinInventoryEntries(
  views: InventoryViews,
  options: JoinInventoryEntriesOptions,
): Map<string, InventoryEntry> {
  const { basePath, baseBranch, clusters, problem } = options;
  const entries = new Map<string, InventoryEntry>();
  const entry = (ref: DatabaseRef): InventoryEntry => {
    const k = refKey(ref);
    let e = entries.get(k);
    if (!e) {
      e = {
        ref: { namespace: ref.namespace, name: ref.name },
        databaseName: `${ref.namespace}-${ref.name}`,
        changes: [],
        cluster: clusterForNamespace(clusters, ref.namespace),
      };
      entries.set(k, e);
    }
    return e;
  };

  for (const record of views.records) {
    entry(record).previous = record;
  }

  const defined = findDefinedDatabases(views.files, basePath);
  const unreadableFolders = new Set<string>();
  for (const p of defined.problems) {
    unreadableFolders.add(posix.dirname(p.path));
    problem(`Definition ${p.path}: ${p.message}`);
  }
  for (const db of defined.databases) {
    entry(db).defined = {
      mode: db.mode,
      folderPath: posix.dirname(db.path),
    };
  }

  for (const change of views.suiteChanges) {
    const parsed = parseSuiteBranch(change.branchName);
    if (!parsed) {
      continue;
    }
    const naming = validateDatabaseRequest(parsed, {
      reservedNamespaces: [],
    });
    if (naming.length > 0) {
      continue; // not a database the suite could have asked for
    }
    entry(parsed).changes.push({
      number: change.number,
      url: change.url,
      kind: parsed.kind,
      state: change.state,
      createdAt: change.createdAt,
      updatedAt: change.updatedAt,
      mergedAt: change.mergedAt,
    });
  }

  // Definitions that cannot be read this cycle: keep those databases as they are.
  const previouslyDefined = [...entries.values()].filter(
    e =>
      e.previous?.folderPath !== undefined &&
      isOwnedBySuite(e.previous) &&
      DEFINED_STATUSES.includes(e.previous.status),
  );
  const noDefinitionsAtAll =
    defined.databases.length === 0 &&
    defined.problems.length === 0 &&
    previouslyDefined.length >= 2;
  if (noDefinitionsAtAll) {
    problem(
      `The apps repository has no database definitions under '${basePath}' on ${baseBranch}, ` +
        `while ${previouslyDefined.length} databases were defined: treating none as removed (check dbaas.gitops.basePath)`,
    );
  }
  for (const e of previouslyDefined) {
    if (e.defined) {
      continue;
    }
    if (noDefinitionsAtAll) {
      e.frozen = 'no database definitions found on the base branch';
    } else if (unreadableFolders.has(e.previous!.folderPath!)) {
      e.frozen = `${e.previous!.folderPath} cannot be read this cycle`;
    }
  }

  addUnmanaged(
    entries,
    entry,
    views.observations,
    views.tenantNamespaces,
    clusters,
  );
  return entries;
}

/**
 * Databases in a cluster that nobody defined or requested, named
 * `<tenant>-<name>` for a known tenant whose databases live on that
 * cluster (the longest matching tenant wins). Anything else in the
 * cluster (Backstage's own databases, other tools') is ignored.
 */
function addUnmanaged(
  entries: Map<string, InventoryEntry>,
  entry: (ref: DatabaseRef) => InventoryEntry,
  observations: Map<string, ClusterObservation>,
  tenantNamespaces: string[],
  clusters: InventoryCluster[],
) {
  const known = new Set([...entries.values()].map(e => e.databaseName));
  const tenants = [...tenantNamespaces].sort((a, b) => b.length - a.length);
  for (const observation of observations.values()) {
    if (!observation.reachable) {
      continue;
    }
    for (const databaseName of observation.databases.keys()) {
      if (known.has(databaseName)) {
        continue;
      }
      const namespace = tenants.find(
        t =>
          databaseName.startsWith(`${t}-`) &&
          clusterForNamespace(clusters, t)?.name === observation.cluster,
      );
      if (!namespace) {
        continue;
      }
      const name = databaseName.slice(namespace.length + 1);
      if (
        validateDatabaseName(name).length > 0 ||
        validateDatabaseRequest({ namespace, name }, { reservedNamespaces: [] })
          .length > 0
      ) {
        continue;
      }
      entry({ namespace, name });
      known.add(databaseName);
    }
  }
}
