import {
  DatabaseRef,
  DatabaseStatus,
  NamingProblem,
  RequestedDatabaseNames,
  collisionProblem,
  deriveDatabaseNames,
  existsProblem,
  isSameDatabase,
  validateDatabaseRequest,
} from '@dbaas/plugin-dbaas-common';
import { AppsRepoViewStore } from '../inventory/AppsRepoViewStore';
import { DatabaseRecord, InventoryStore } from '../inventory/InventoryStore';

/** The answer to "may this database be requested?". */
export interface RequestCheck {
  problems: NamingProblem[];
  /**
   * Set when the answer comes from the inventory (no GitHub call): when it
   * last synced, and the base head it read, to build the request on.
   */
  inventory?: { syncedAt: Date; baseSha?: string };
  /**
   * The names the database would get (with `dbaas.secrets.pathTemplate`),
   * once the pair follows the naming rules and the namespace is not
   * reserved, taken or not.
   */
  names?: RequestedDatabaseNames;
}

/** Anything that checks a request; {@link InventoryRequestChecker} is the one the plugin uses. */
export interface RequestChecker {
  check(ref: DatabaseRef): Promise<RequestCheck>;
}

/**
 * Statuses of a database that is on the base branch or requested by an
 * open pull request: requesting it again is a duplicate. The others
 * (`orphaned`, `unmanaged`) may be requested to bring them (back) under
 * management, as the apps repository shows them free.
 */
const TAKEN: readonly DatabaseStatus[] = [
  'requested',
  'merged',
  'provisioning',
  'ready',
  'failed',
  'deletion-requested',
];

/**
 * The checks behind `POST /validate` and the scaffolder action's: the
 * naming rules, then uniqueness and collisions against the inventory's
 * tables (one indexed query, no GitHub call), which know the definitions on
 * the base branch, the suite's open pull requests and the databases in the
 * clusters. Until the inventory has completed a cycle it knows nothing, and
 * the apps repository is asked instead (`fallback`).
 *
 * The inventory is as fresh as its last cycle (a minute by default, and
 * refreshed after every request): what it has not seen yet is caught when
 * the change is written, by the edit (a database on the base branch) and
 * by the branch per database (a request for it under way).
 */
export class InventoryRequestChecker implements RequestChecker {
  constructor(
    private readonly options: {
      inventory: Pick<InventoryStore, 'listActiveByDatabaseName'>;
      views: Pick<AppsRepoViewStore, 'last'>;
      /** Checks against the apps repository, before the first cycle. */
      fallback: { check(ref: DatabaseRef): Promise<NamingProblem[]> };
      reservedNamespaces: readonly string[];
      /** `dbaas.secrets.pathTemplate`; the default template when unset. */
      secretPathTemplate?: string;
    },
  ) {}

  async check(ref: DatabaseRef): Promise<RequestCheck> {
    const problems = validateDatabaseRequest(ref, {
      reservedNamespaces: this.options.reservedNamespaces,
    });
    if (problems.length > 0) {
      return { problems };
    }
    const names = requestedNames(ref, this.options.secretPathTemplate);
    return { ...(await this.#checkUnique(ref)), names };
  }

  async #checkUnique(ref: DatabaseRef): Promise<RequestCheck> {
    const view = await this.options.views.last();
    if (!view) {
      return { problems: await this.options.fallback.check(ref) };
    }
    const owners = await this.options.inventory.listActiveByDatabaseName(
      `${ref.namespace}-${ref.name}`,
    );
    const inventory = { syncedAt: view.syncedAt, baseSha: view.baseSha };
    const same = owners.find(db => isSameDatabase(db, ref));
    if (same && TAKEN.includes(same.status)) {
      return {
        problems: [existsProblem(ref, describeWhere(same, view.baseBranch))],
        inventory,
      };
    }
    const colliding = owners.find(db => !isSameDatabase(db, ref));
    if (colliding) {
      return { problems: [collisionProblem(ref, colliding)], inventory };
    }
    return { problems: [], inventory };
  }
}

/** The names shown to the requester, from the shared derivation. */
function requestedNames(
  ref: DatabaseRef,
  secretPathTemplate: string | undefined,
): RequestedDatabaseNames {
  const derived = deriveDatabaseNames(ref.namespace, ref.name, {
    secretPathTemplate,
  });
  return {
    databaseName: derived.databaseName,
    roles: derived.roles,
    kubernetesSecrets: derived.kubernetesSecrets,
    secretManagerPaths: derived.secretManagerPaths,
    entityRef: derived.entityRef,
  };
}

/** Where a database is, in the words the apps repository check uses. */
function describeWhere(db: DatabaseRecord, baseBranch: string): string {
  const open = db.pullRequests.find(
    pr => pr.state === 'open' && pr.kind === 'create',
  );
  if (db.status === 'requested' && open) {
    return `requested in pull request #${open.number} (${open.url})`;
  }
  if (db.folderPath !== undefined) {
    return `defined in ${
      db.folderPath ? `${db.folderPath}/` : ''
    }values.yaml on ${baseBranch}`;
  }
  return `known to the inventory as ${db.status}`;
}
