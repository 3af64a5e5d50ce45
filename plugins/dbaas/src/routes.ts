import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/**
 * The databases page (`/dbaas` in the apps this plugin ships with). Other
 * pages of the plugin hang below it.
 *
 * These are `core-plugin-api` route refs, which the new frontend system
 * accepts too, so that one set of refs serves both systems.
 */
export const rootRouteRef = createRouteRef({ id: 'dbaas' });

/**
 * The restore approvals page (inbox for approvers, and history), below the
 * databases page: `page:dbaas/approvals` in the new frontend system, the
 * `DbaasApprovalsPage` routable extension in legacy apps (mounted at
 * `/dbaas/approvals`).
 */
export const approvalsRouteRef = createSubRouteRef({
  id: 'dbaas/approvals',
  parent: rootRouteRef,
  path: '/approvals',
});

/**
 * The approvals page's own mount point: pages and routable extensions take
 * a plain route ref (the sidebar lists only pages that have one). Mount the
 * page at the path `approvalsRouteRef` leads to; link with
 * `approvalsRouteRef`.
 */
export const approvalsPageRouteRef = createRouteRef({
  id: 'dbaas-approvals',
});

/**
 * The billing page (cost per tenant, database and day), below the databases
 * page: `page:dbaas/billing` in the new frontend system, the
 * `DbaasBillingPage` routable extension in legacy apps (mounted at
 * `/dbaas/billing`).
 */
export const billingRouteRef = createSubRouteRef({
  id: 'dbaas/billing',
  parent: rootRouteRef,
  path: '/billing',
});

/**
 * The billing page's own mount point. Pages and routable extensions take
 * a plain route ref (the sidebar lists only pages that have one), so the
 * page mounts on this one, at the path `billingRouteRef` leads to. Link to
 * the page with `billingRouteRef`.
 */
export const billingPageRouteRef = createRouteRef({ id: 'dbaas-billing' });

/**
 * One database's page, below the databases page: where it stands from the
 * moment it is requested (before its catalog entity exists), with a link to
 * the entity once the catalog has it. `page:dbaas/database` in the new
 * frontend system, the `DbaasDatabasePage` routable extension in legacy apps
 * (mounted at `/dbaas/databases/:namespace/:name`). The request template's
 * links lead here.
 */
export const databaseRouteRef = createSubRouteRef({
  id: 'dbaas/database',
  parent: rootRouteRef,
  path: '/databases/:namespace/:name',
});

/**
 * The database page's own mount point; link to the page with
 * `databaseRouteRef`.
 */
export const databasePageRouteRef = createRouteRef({
  id: 'dbaas-database',
  params: ['namespace', 'name'],
});
