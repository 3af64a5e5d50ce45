import { ConflictError, InputError } from '@backstage/errors';
import {
  CreateRestoreRequest,
  validateDatabaseRequest,
} from '@dbaas/plugin-dbaas-common';
import {
  ClusterSettings,
  PostgresClusterObserver,
} from '@dbaas/plugin-dbaas-node';
import { DatabaseRecord, InventoryStore } from '../inventory/InventoryStore';
import { defaultTargetName } from './requestIdentity';

/** Whether a cluster holds a database; throws when it cannot be asked. */
export interface ClusterDatabaseLookup {
  exists(cluster: ClusterSettings, databaseName: string): Promise<boolean>;
}

/** Asks the cluster itself, through one observation pass. */
export const observingClusterDatabaseLookup: ClusterDatabaseLookup = {
  async exists(cluster, databaseName) {
    const observation = await new PostgresClusterObserver({
      cluster: cluster.name,
      connection: cluster.connection,
    }).observe();
    if (!observation.reachable) {
      throw new Error(observation.error);
    }
    return observation.databases.has(databaseName);
  },
};

/** Where a restore will write, and what could not be checked. */
export interface PlannedTarget {
  targetDatabaseName: string;
  warnings: string[];
}

/**
 * Decides the database a restore writes into: the original for in-place;
 * for a new database `<name>-restored-<yyyymmddhhmm>` (UTC) or the name
 * asked for, held to the naming rules (400, never truncated) and refused
 * when it exists in the inventory or in the cluster (409).
 */
export class RestoreTargetPlanner {
  constructor(
    private readonly inventory: InventoryStore,
    private readonly lookup: ClusterDatabaseLookup,
  ) {}

  async plan(
    database: DatabaseRecord,
    cluster: ClusterSettings,
    body: Pick<CreateRestoreRequest, 'target' | 'targetName'>,
    now: Date,
  ): Promise<PlannedTarget> {
    if (body.target === 'in-place') {
      if (body.targetName !== undefined) {
        throw new InputError(
          'targetName is only for new-database restores; in-place restores write into the original',
        );
      }
      return { targetDatabaseName: database.databaseName, warnings: [] };
    }

    const name = body.targetName ?? defaultTargetName(database.name, now);
    const problems = validateDatabaseRequest(
      { namespace: database.namespace, name },
      { reservedNamespaces: [] },
    );
    if (problems.length > 0) {
      throw new InputError(
        `Cannot restore into '${name}': ${problems
          .map(p => `${p.message} (rule: ${p.rule})`)
          .join('; ')}`,
      );
    }
    const targetDatabaseName = `${database.namespace}-${name}`;

    // Compared by the cluster-level name: `a-b`/`c` and `a`/`b-c` collide.
    const known = (await this.inventory.listDatabases()).find(
      d => d.databaseName === targetDatabaseName,
    );
    if (known) {
      throw new ConflictError(
        `Database ${targetDatabaseName} already exists (${known.namespace}/${known.name}, ${known.status}); choose another name for the new database`,
      );
    }

    const warnings: string[] = [];
    try {
      if (await this.lookup.exists(cluster, targetDatabaseName)) {
        throw new ConflictError(
          `Database ${targetDatabaseName} already exists in cluster ${cluster.name}; choose another name for the new database`,
        );
      }
    } catch (error) {
      if (error instanceof ConflictError) {
        throw error;
      }
      // An unreachable cluster must not block asking: the workflow's
      // preflight checks the target again before anything is written.
      warnings.push(
        `Could not check cluster ${cluster.name} for ${targetDatabaseName} (${
          (error as Error).message
        }); the preflight step checks again`,
      );
    }
    return { targetDatabaseName, warnings };
  }
}
