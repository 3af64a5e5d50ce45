import type {
  ListTenantsResponse,
  TenantSummary,
} from '@dbaas/plugin-dbaas-common';

/**
 * A tenant: a Kubernetes namespace that may hold databases, and the groups
 * that own it (`GET /tenants`).
 *
 * @public
 */
export type Tenant = TenantSummary;

/**
 * Response of `GET /tenants`, sorted by namespace.
 *
 * @public
 */
export type TenantList = ListTenantsResponse;

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

/**
 * Columns of the billing CSV (`GET /billing/export.csv?format=`): `dbaas`,
 * one line per tenant, database and day; `focus`, FinOps FOCUS 1.3 columns
 * with one row per database, day and part of the cost.
 *
 * @public
 */
export type BillingCsvFormat = 'dbaas' | 'focus';
