import { PageBlueprint } from '@backstage/frontend-plugin-api';
import ReceiptIcon from '@material-ui/icons/Receipt';
import { billingPageRouteRef } from '../routes';

/**
 * The billing page, `page:dbaas/billing`, at `/dbaas/billing`: where
 * `billingRouteRef` (a sub route of the databases page, which links use)
 * leads. An app that moves `page:dbaas` should move this page along (config
 * `path`). With a route ref, a title and an icon, the sidebar lists it (nav
 * id `page:dbaas/billing`).
 *
 * @alpha
 */
export const billingPage = PageBlueprint.make({
  name: 'billing',
  params: {
    path: '/dbaas/billing',
    routeRef: billingPageRouteRef,
    title: 'Database billing',
    icon: <ReceiptIcon fontSize="inherit" />,
    loader: () =>
      import('../components/BillingPage').then(m => <m.NfsBillingPage />),
  },
});
