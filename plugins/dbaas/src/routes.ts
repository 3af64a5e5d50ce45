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
 * Where restore requests will wait for approval, below the databases page.
 * No page is mounted there yet.
 */
export const approvalsRouteRef = createSubRouteRef({
  id: 'dbaas/approvals',
  parent: rootRouteRef,
  path: '/approvals',
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
