import {
  BackstageCredentials,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  DatabaseRef,
  dbaasBillingReadPermission,
  dbaasConnectionReadPermission,
  dbaasCredentialsRotatePermission,
  dbaasDatabaseReadPermission,
  dbaasPermissions,
  dbaasRestoreRequestPermission,
  formatDatabaseAnnotation,
  parseDatabaseAnnotation,
} from '@dbaas/plugin-dbaas-common';
import {
  DbaasDatabaseResource,
  DbaasTenantResource,
  TenantDirectory,
  dbaasDatabaseResourceRef,
  dbaasDatabaseRules,
  dbaasTenantResourceRef,
  dbaasTenantRules,
} from '@dbaas/plugin-dbaas-node';

type DatabasePermission = ResourcePermission<'dbaas-database'>;

/**
 * Every authorization decision of the plugin, made in the backend with the
 * caller's credentials, so that a direct API call, an MCP action and the
 * UI get the same answer. Resources of the plugin are decided here with
 * the plugin's own rules (no round trip); other plugins reach the same
 * rules through the registered resource types.
 */
export class DatabaseAccess {
  static register(options: {
    permissions: PermissionsService;
    permissionsRegistry: PermissionsRegistryService;
    tenants: TenantDirectory;
  }): DatabaseAccess {
    const { permissionsRegistry, tenants } = options;
    permissionsRegistry.addPermissions(dbaasPermissions);
    permissionsRegistry.addResourceType({
      resourceRef: dbaasDatabaseResourceRef,
      rules: Object.values(dbaasDatabaseRules),
      getResources: async refs => {
        const owners = await ownersByNamespace(tenants);
        return refs.map(ref => {
          try {
            const { namespace, name } = parseDatabaseAnnotation(ref);
            return { namespace, name, owners: owners.get(namespace) ?? [] };
          } catch {
            return undefined;
          }
        });
      },
    });
    permissionsRegistry.addResourceType({
      resourceRef: dbaasTenantResourceRef,
      rules: Object.values(dbaasTenantRules),
      getResources: async refs => {
        const owners = await ownersByNamespace(tenants);
        return refs.map(namespace => ({
          namespace,
          owners: owners.get(namespace) ?? [],
        }));
      },
    });
    return new DatabaseAccess(
      options.permissions,
      tenants,
      createConditionAuthorizer(
        permissionsRegistry.getPermissionRuleset(dbaasDatabaseResourceRef),
      ),
      createConditionAuthorizer(
        permissionsRegistry.getPermissionRuleset(dbaasTenantResourceRef),
      ),
    );
  }

  private constructor(
    private readonly permissions: PermissionsService,
    private readonly tenants: TenantDirectory,
    private readonly isDatabaseAllowed: (
      decision: any,
      resource: DbaasDatabaseResource | undefined,
    ) => boolean,
    private readonly isTenantAllowed: (
      decision: any,
      resource: DbaasTenantResource | undefined,
    ) => boolean,
  ) {}

  /** The databases among `refs` the caller may read. */
  async filterReadable<T extends DatabaseRef>(
    refs: T[],
    credentials: BackstageCredentials,
  ): Promise<T[]> {
    const allowed = await this.databaseFilter(
      dbaasDatabaseReadPermission,
      credentials,
    );
    return allowed === 'all' ? refs : refs.filter(allowed);
  }

  /**
   * Throws NotAllowedError (403) unless the caller may do this to the
   * database. `action` names what was refused when the permission guards
   * more than its name says (e.g. `take a snapshot of`, which needs
   * `dbaas.restore.request`).
   */
  async assertDatabase(
    permission: DatabasePermission,
    ref: DatabaseRef,
    credentials: BackstageCredentials,
    action?: string,
  ): Promise<void> {
    const allowed = await this.databaseFilter(permission, credentials);
    if (allowed !== 'all' && !allowed(ref)) {
      throw new NotAllowedError(
        `You may not ${
          action ?? describe(permission)
        } ${formatDatabaseAnnotation(ref)}`,
      );
    }
  }

  /**
   * Whether the policy grants a permission that is not about one resource
   * (e.g. `dbaas.restore.approve`); callers add their own limits on top.
   */
  async isAllowed(
    permission: BasicPermission,
    credentials: BackstageCredentials,
  ): Promise<boolean> {
    const [decision] = await this.permissions.authorize([{ permission }], {
      credentials,
    });
    return decision.result === AuthorizeResult.ALLOW;
  }

  /** Throws NotAllowedError (403) unless the caller may read the tenant's billing. */
  async assertTenantBilling(
    namespace: string,
    credentials: BackstageCredentials,
  ): Promise<void> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission: dbaasBillingReadPermission }],
      { credentials },
    );
    const owners = (await ownersByNamespace(this.tenants)).get(namespace) ?? [];
    if (
      decision.result === AuthorizeResult.DENY ||
      (decision.result === AuthorizeResult.CONDITIONAL &&
        !this.isTenantAllowed(decision, { namespace, owners }))
    ) {
      throw new NotAllowedError(`You may not read the billing of ${namespace}`);
    }
  }

  /**
   * The namespaces among `namespaces` whose billing the caller may read,
   * decided like {@link DatabaseAccess.assertTenantBilling}. `everyTenant`
   * only for an unconditional ALLOW: such callers may also see totals
   * that include other tenants' costs (per cluster, unallocated).
   */
  async filterTenantBilling(
    namespaces: string[],
    credentials: BackstageCredentials,
  ): Promise<{ namespaces: string[]; everyTenant: boolean }> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission: dbaasBillingReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) {
      return { namespaces, everyTenant: true };
    }
    if (decision.result === AuthorizeResult.DENY) {
      return { namespaces: [], everyTenant: false };
    }
    const owners = await ownersByNamespace(this.tenants);
    return {
      namespaces: namespaces.filter(namespace =>
        this.isTenantAllowed(decision, {
          namespace,
          owners: owners.get(namespace) ?? [],
        }),
      ),
      everyTenant: false,
    };
  }

  private async databaseFilter(
    permission: DatabasePermission,
    credentials: BackstageCredentials,
  ): Promise<'all' | ((ref: DatabaseRef) => boolean)> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) {
      return 'all';
    }
    if (decision.result === AuthorizeResult.DENY) {
      return () => false;
    }
    const owners = await ownersByNamespace(this.tenants);
    return ref =>
      this.isDatabaseAllowed(decision, {
        namespace: ref.namespace,
        name: ref.name,
        owners: owners.get(ref.namespace) ?? [],
      });
  }
}

async function ownersByNamespace(
  tenants: TenantDirectory,
): Promise<Map<string, string[]>> {
  return new Map(
    (await tenants.listTenants()).map(t => [t.namespace, t.owners]),
  );
}

function describe(permission: DatabasePermission): string {
  switch (permission.name) {
    case dbaasConnectionReadPermission.name:
      return 'see how to connect to';
    case dbaasRestoreRequestPermission.name:
      return 'request a restore of';
    case dbaasCredentialsRotatePermission.name:
      return 'rotate the credentials of';
    default:
      return 'see';
  }
}
