import { LoggerService } from '@backstage/backend-plugin-api';
import { ROLE_ACCESS } from '@dbaas/plugin-dbaas-common';
import type {
  ClusterObservation,
  MergedDatabaseDefinition,
  ObservedDatabase,
} from '@dbaas/plugin-dbaas-node';
import { isOwnedBySuite } from './deriveDatabaseStatus';
import { InventoryCluster } from './InventoryCluster';
import { InventoryEntry } from './InventoryEntry';
import { observeCluster } from './InventoryViewReader';
import { oneLine } from './oneLine';

export interface ReconcileLocalClustersOptions {
  logger: LoggerService;
  problem: (message: string) => void;
  /** Ensure every defined database, even those that look complete. */
  reconcileAll: boolean;
  now: () => Date;
  signal?: AbortSignal;
}

type ReconcileAction = 'ensure' | 'drop';

function isComplete(observed: ObservedDatabase | undefined): boolean {
  return (
    observed !== undefined &&
    ROLE_ACCESS.every(access => observed.roles[access]) &&
    observed.adminOwnsPublicSchema
  );
}

/**
 * For clusters the suite provisions (local ones): ensure what is defined and not known complete (all
 * of it once an hour), drop owned standard databases removed from the
 * repository. Then observe each provisioned cluster again, replacing its
 * entry in `observations`. Errors are recorded on the entry, never thrown.
 */
export async function reconcileLocalClusters(
  entries: Map<string, InventoryEntry>,
  observations: Map<string, ClusterObservation>,
  options: ReconcileLocalClustersOptions,
): Promise<void> {
  const work = new Map<
    InventoryCluster,
    Array<{ e: InventoryEntry; action: ReconcileAction }>
  >();
  for (const e of entries.values()) {
    const cluster = e.cluster;
    const observation = cluster && observations.get(cluster.name);
    if (!cluster?.provisioner || !observation?.reachable || e.frozen) {
      continue;
    }
    const observed = observation.databases.get(e.databaseName);
    let action: ReconcileAction | undefined;
    if (e.defined) {
      const settled =
        e.previous?.status === 'ready' ||
        e.previous?.status === 'deletion-requested';
      if (options.reconcileAll || !settled || !isComplete(observed)) {
        action = 'ensure';
      }
    } else if (
      observed &&
      isOwnedBySuite(e.previous) &&
      e.previous?.mode === 'standard' &&
      !e.changes.some(c => c.kind === 'create' && c.state === 'open')
    ) {
      action = 'drop';
    }
    if (action) {
      const list = work.get(cluster) ?? [];
      list.push({ e, action });
      work.set(cluster, list);
    }
  }

  await Promise.all(
    [...work.entries()].map(async ([cluster, list]) => {
      for (const { e, action } of list) {
        if (options.signal?.aborted) {
          return;
        }
        await reconcileEntry(cluster, e, action, options);
      }
      // What the cluster holds now.
      observations.set(
        cluster.name,
        await observeCluster(cluster, options.now),
      );
    }),
  );
}

async function reconcileEntry(
  cluster: InventoryCluster,
  e: InventoryEntry,
  action: ReconcileAction,
  options: ReconcileLocalClustersOptions,
): Promise<void> {
  const definition: MergedDatabaseDefinition = {
    namespace: e.ref.namespace,
    name: e.ref.name,
    mode: e.defined?.mode ?? e.previous?.mode ?? 'standard',
  };
  e.provisioningAttempted = true;
  try {
    const result =
      action === 'ensure'
        ? await cluster.provisioner!.ensure(definition)
        : await cluster.provisioner!.drop(definition);
    if (result.changes.length > 0) {
      options.logger.info(
        `${action === 'ensure' ? 'Provisioned' : 'Dropped'} ${
          e.databaseName
        } on ${cluster.name}: ${result.changes.join(', ')}`,
      );
    }
  } catch (error) {
    e.provisioningError = `${
      action === 'ensure' ? 'provisioning' : 'drop'
    } failed: ${oneLine(error)}`;
    options.problem(
      `${e.databaseName} on ${cluster.name}: ${e.provisioningError}`,
    );
  }
}
