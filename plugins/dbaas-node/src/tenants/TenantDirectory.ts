/**
 * A tenant: a Kubernetes namespace, who owns it, and its monthly budget.
 *
 * @public
 */
export interface Tenant {
  namespace: string;
  /** Entity refs of the owners, e.g. `group:default/payments`. */
  owners: string[];
  budget?: number;
}

/**
 * Knows which namespaces exist as tenants and who owns them.
 *
 * @public
 */
export interface TenantDirectory {
  listTenants(): Promise<Tenant[]>;
}

/**
 * The tenants among `tenants` that one of `ownershipEntityRefs` owns.
 *
 * @public
 */
export function tenantsOwnedBy(
  tenants: Tenant[],
  ownershipEntityRefs: string[],
): Tenant[] {
  return tenants.filter(tenant =>
    tenant.owners.some(owner => ownershipEntityRefs.includes(owner)),
  );
}

/**
 * Joins the tenants of several directories: a namespace known to more than
 * one gets the owners of all, and the first budget given.
 *
 * @public
 */
export function mergeTenants(lists: Tenant[][]): Tenant[] {
  const byNamespace = new Map<string, Tenant>();
  for (const tenant of lists.flat()) {
    const known = byNamespace.get(tenant.namespace);
    if (!known) {
      byNamespace.set(tenant.namespace, {
        ...tenant,
        owners: [...new Set(tenant.owners)],
      });
      continue;
    }
    known.owners = [...new Set([...known.owners, ...tenant.owners])];
    known.budget ??= tenant.budget;
  }
  return [...byNamespace.values()].sort((a, b) =>
    a.namespace.localeCompare(b.namespace),
  );
}

/**
 * Several directories as one (e.g. the catalog and `dbaas.tenants`), merged
 * with {@link mergeTenants}.
 *
 * @public
 */
export class MergedTenantDirectory implements TenantDirectory {
  constructor(private readonly directories: TenantDirectory[]) {}

  async listTenants(): Promise<Tenant[]> {
    return mergeTenants(
      await Promise.all(this.directories.map(d => d.listTenants())),
    );
  }
}
