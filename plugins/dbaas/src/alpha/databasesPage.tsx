import {
  PageBlueprint,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';
import StorageIcon from '@material-ui/icons/Storage';
import { rootRouteRef } from '../routes';

/**
 * The databases page, `page:dbaas`, at `/dbaas`: one item in the sidebar
 * (nav id `page:dbaas`), and a header with one tab per sub-page attached
 * to its `pages` input: the inventory (`sub-page:dbaas/databases`, at
 * `/dbaas/databases`, where `/dbaas` leads), restore approvals
 * (`sub-page:dbaas/approvals`, `/dbaas/approvals`) and billing
 * (`sub-page:dbaas/billing`, `/dbaas/billing`). `approvalsRouteRef` and
 * `billingRouteRef` in `../routes` lead to those.
 *
 * @alpha
 */
export const databasesPage = PageBlueprint.make({
  params: {
    path: '/dbaas',
    routeRef: rootRouteRef,
    title: 'Databases',
    icon: <StorageIcon fontSize="inherit" />,
  },
});

/**
 * The inventory, first tab of the databases page: `sub-page:dbaas/databases`
 * at `/dbaas/databases`.
 *
 * @alpha
 */
export const databasesSubPage = SubPageBlueprint.make({
  attachTo: { id: 'page:dbaas', input: 'pages' },
  name: 'databases',
  params: {
    path: 'databases',
    title: 'Databases',
    loader: () =>
      import('../components/DatabasesPage').then(m => <m.NfsDatabasesPage />),
  },
});
