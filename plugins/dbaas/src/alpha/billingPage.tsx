import { SubPageBlueprint } from '@backstage/frontend-plugin-api';
import { billingPageRouteRef } from '../routes';

/**
 * The billing tab of the databases page, `sub-page:dbaas/billing`, at
 * `/dbaas/billing`: where `billingRouteRef` (a sub route of the databases
 * page, which links use) leads. It is a tab under the Databases header,
 * not an item of its own in the sidebar.
 *
 * @alpha
 */
export const billingPage = SubPageBlueprint.make({
  attachTo: { id: 'page:dbaas', input: 'pages' },
  name: 'billing',
  params: {
    path: 'billing',
    routeRef: billingPageRouteRef,
    title: 'Billing',
    loader: () =>
      Promise.all([
        import('../components/BillingPage'),
        import('../components/common/DbaasPageHeading'),
      ]).then(([billing, heading]) => (
        <>
          <heading.DbaasPageHeading
            title="Database billing"
            description="What each tenant's databases cost, per cluster, database and day, and how each figure is computed."
          />
          <billing.NfsBillingPage />
        </>
      )),
  },
});
