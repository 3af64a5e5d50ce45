import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  ConnectionInfo,
  DatabaseDetail,
  DatabaseRecoverySummary,
  DatabaseRef,
  DatabaseStatus,
  DatabaseSummary,
  RestoredCopyOrigin,
  dbaasConnectionReadPermission,
  dbaasDatabaseReadPermission,
  databaseEntityRef,
  validateDatabaseRequest,
  RoleAccess,
} from '@dbaas/plugin-dbaas-common';
import { TenantDirectory } from '@dbaas/plugin-dbaas-node';
import { DatabaseAccess } from '../access/DatabaseAccess';
import { RecoverySummaries } from '../objectives/RecoveryService';
import {
  ClusterEndpoint,
  ConnectionInfoBuilder,
} from '../connection/ConnectionInfoBuilder';
import {
  DatabaseRecord,
  DatabaseSummaryRecord,
  InventoryStore,
} from '../inventory/InventoryStore';

/** A cluster and the namespaces it serves (empty: any). */
export interface ClusterPlacement extends ClusterEndpoint {
  environment?: string;
  namespaces: string[];
}

/**
 * What callers may see of the inventory: the databases they may read, one
 * database with its history, how to connect. Used by the REST API and the
 * MCP actions alike, so both get the same decisions.
 */
export class DatabasesService {
  constructor(
    private readonly store: InventoryStore,
    private readonly access: DatabaseAccess,
    private readonly connections: ConnectionInfoBuilder,
    private readonly clusters: ClusterPlacement[],
    private readonly tenants: TenantDirectory,
    /** Adds each ready database's recovery objectives to what is shown. */
    private readonly recovery?: RecoverySummaries,
    /**
     * The login user each role's secret names now (a rotation may have
     * switched it to the role's twin), so snippets pair the secret's
     * password with its user.
     */
    private readonly currentUsernames?: (
      ref: DatabaseRef,
    ) => Promise<Partial<Record<RoleAccess, string>>>,
    /** The copies restores created and nobody dropped, by `<namespace>-<name>`. */
    private readonly restoredCopies?: {
      liveOrigins(): Promise<Map<string, RestoredCopyOrigin>>;
    },
  ) {}

  async list(
    filter: { namespace?: string; status?: DatabaseStatus },
    credentials: BackstageCredentials,
  ): Promise<DatabaseSummary[]> {
    const records = await this.store.listDatabaseSummaries({
      namespaces: filter.namespace ? [filter.namespace] : undefined,
      statuses: filter.status ? [filter.status] : undefined,
    });
    const readable = await this.access.filterReadable(records, credentials);
    const owners = await this.ownersByNamespace();
    const recovery = await this.recovery?.summaries(readable);
    const copies = await this.restoredCopies?.liveOrigins();
    return readable.map(record =>
      withRestoredFrom(
        toSummary(record, owners, recovery?.get(refKey(record))),
        copies,
      ),
    );
  }

  async get(
    ref: DatabaseRef,
    credentials: BackstageCredentials,
  ): Promise<DatabaseDetail> {
    checkRef(ref);
    await this.access.assertDatabase(
      dbaasDatabaseReadPermission,
      ref,
      credentials,
    );
    const record = await this.require(ref);
    const history = await this.store.getHistory(ref, 100);
    const cluster = this.clusterOf(record);
    const recovery = await this.recovery?.summaries([record]);
    const copies = await this.restoredCopies?.liveOrigins();
    return {
      ...withRestoredFrom(
        toSummary(
          record,
          await this.ownersByNamespace(),
          recovery?.get(refKey(record)),
        ),
        copies,
      ),
      ...(record.folderPath ? { folderPath: record.folderPath } : {}),
      ...(cluster?.environment ? { environment: cluster.environment } : {}),
      ...(record.lastError ? { lastError: record.lastError } : {}),
      ...(record.sizeBytes !== undefined
        ? { sizeBytes: record.sizeBytes }
        : {}),
      pullRequests: record.pullRequests,
      history,
    };
  }

  async connection(
    ref: DatabaseRef,
    credentials: BackstageCredentials,
  ): Promise<ConnectionInfo> {
    checkRef(ref);
    await this.access.assertDatabase(
      dbaasConnectionReadPermission,
      ref,
      credentials,
    );
    const record = await this.require(ref);
    const cluster = this.clusterOf(record);
    if (!cluster) {
      throw new NotFoundError(
        `No cluster in dbaas.clusters serves namespace ${ref.namespace}`,
      );
    }
    const info = this.connections.build(ref, cluster);
    const current = this.currentUsernames
      ? await this.currentUsernames(ref)
      : {};
    return {
      ...info,
      roles: info.roles.map(role => ({
        ...role,
        username: current[role.access] ?? role.username,
      })),
    };
  }

  private async require(ref: DatabaseRef): Promise<DatabaseRecord> {
    const record = await this.store.getDatabase(ref);
    if (!record) {
      throw new NotFoundError(
        `Database ${ref.namespace}/${ref.name} is not in the inventory`,
      );
    }
    return record;
  }

  private async ownersByNamespace(): Promise<Map<string, string[]>> {
    return new Map(
      (await this.tenants.listTenants()).map(t => [t.namespace, t.owners]),
    );
  }

  private clusterOf(record: DatabaseRecord): ClusterPlacement | undefined {
    return (
      this.clusters.find(c => c.name === record.cluster) ??
      this.clusters.find(
        c =>
          c.namespaces.length === 0 || c.namespaces.includes(record.namespace),
      )
    );
  }
}

/** A malformed namespace or name is a 400 naming the rule, before any lookup. */
export function checkRef(ref: DatabaseRef) {
  const problems = validateDatabaseRequest(ref, { reservedNamespaces: [] });
  if (problems.length > 0) {
    throw new InputError(problems.map(p => p.message).join('; '));
  }
}

function refKey(ref: DatabaseRef): string {
  return `${ref.namespace}/${ref.name}`;
}

/** Statuses in which a restored copy is still one (not yet an ordinary database). */
const COPY_STATUSES: readonly DatabaseStatus[] = [
  'restored',
  'requested',
  'unmanaged',
];

function withRestoredFrom(
  summary: DatabaseSummary,
  copies: Map<string, RestoredCopyOrigin> | undefined,
): DatabaseSummary {
  const origin = copies?.get(summary.databaseName);
  return origin && COPY_STATUSES.includes(summary.status)
    ? { ...summary, restoredFrom: origin }
    : summary;
}

function toSummary(
  record: DatabaseSummaryRecord,
  owners: Map<string, string[]>,
  recovery?: DatabaseRecoverySummary,
): DatabaseSummary {
  return {
    namespace: record.namespace,
    name: record.name,
    databaseName: record.databaseName,
    mode: record.mode,
    status: record.status,
    statusSince: record.statusSince.toISOString(),
    ...(record.cluster ? { cluster: record.cluster } : {}),
    entityRef: databaseEntityRef(record.databaseName),
    owners: owners.get(record.namespace) ?? [],
    ...(record.unknownSince
      ? {
          unknownSince: record.unknownSince.toISOString(),
          unknownReason: record.unknownReason,
        }
      : {}),
    ...(recovery ? { recovery } : {}),
  };
}
