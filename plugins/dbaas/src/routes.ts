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
 * Where the cost per tenant will be shown, below the databases page. No page
 * is mounted there yet.
 */
export const billingRouteRef = createSubRouteRef({
  id: 'dbaas/billing',
  parent: rootRouteRef,
  path: '/billing',
});
