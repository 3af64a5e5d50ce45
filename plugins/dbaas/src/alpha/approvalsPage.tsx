import { SubPageBlueprint } from '@backstage/frontend-plugin-api';
import { approvalsPageRouteRef } from '../routes';

/**
 * The restore approvals tab of the databases page,
 * `sub-page:dbaas/approvals`, at `/dbaas/approvals`: where
 * `approvalsRouteRef` (a sub route of the databases page, which links use)
 * leads. It is a tab under the Databases header, not an item of its own
 * in the sidebar.
 *
 * @alpha
 */
export const approvalsPage = SubPageBlueprint.make({
  attachTo: { id: 'page:dbaas', input: 'pages' },
  name: 'approvals',
  params: {
    path: 'approvals',
    routeRef: approvalsPageRouteRef,
    title: 'Approvals',
    loader: () =>
      import('../components/ApprovalsPage').then(m => <m.NfsApprovalsPage />),
  },
});
