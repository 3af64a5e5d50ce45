import { PageBlueprint } from '@backstage/frontend-plugin-api';
import StorageIcon from '@material-ui/icons/Storage';
import { rootRouteRef } from '../routes';

/**
 * The databases page, `page:dbaas`, at `/dbaas`. With a title and an icon,
 * the app's sidebar lists it on its own (nav id `page:dbaas`).
 *
 * Approvals and billing will become tabs of this page: give it no loader,
 * and attach a `SubPageBlueprint` extension per tab (the inventory first, at
 * `databases`, then `approvals` and `billing`); the page then draws the tabs
 * under its header. `approvalsRouteRef` and `billingRouteRef` in
 * `../routes` already point there.
 *
 * @alpha
 */
export const databasesPage = PageBlueprint.make({
  params: {
    path: '/dbaas',
    routeRef: rootRouteRef,
    title: 'Databases',
    icon: <StorageIcon fontSize="inherit" />,
    loader: () =>
      import('../components/DatabasesPage').then(m => <m.NfsDatabasesPage />),
  },
});
