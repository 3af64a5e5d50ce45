// These mirror the `Tenant` and `TenantList` schemas of the backend's
// OpenAPI spec (`GET /tenants`). They belong in `@dbaas/plugin-dbaas-common`
// next to the other request and response types; they live here until that
// package exports them, and should then be re-exported from there.

/**
 * A tenant: a Kubernetes namespace that may hold databases, and the groups
 * that own it.
 *
 * @public
 */
export interface Tenant {
  namespace: string;
  /** Entity refs of the owners, e.g. `group:default/payments`. */
  owners: string[];
}

/**
 * Response of `GET /tenants`, sorted by namespace.
 *
 * @public
 */
export interface TenantList {
  items: Tenant[];
}

/**
 * Options of `DbaasApi.listTenants`.
 *
 * @public
 */
export interface ListTenantsOptions {
  /** Only the tenants owned by the signed-in user's groups. */
  owned?: boolean;
  signal?: AbortSignal;
}
