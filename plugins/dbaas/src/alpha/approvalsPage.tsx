import { PageBlueprint } from '@backstage/frontend-plugin-api';
import HowToReg from '@material-ui/icons/HowToReg';
import { approvalsPageRouteRef } from '../routes';

/**
 * The restore approvals page, `page:dbaas/approvals`, at
 * `/dbaas/approvals`: where `approvalsRouteRef` (a sub route of the
 * databases page, which links use) leads. An app that moves `page:dbaas`
 * should move this page along (config `path`). With a route ref, a title
 * and an icon, the sidebar lists it (nav id `page:dbaas/approvals`).
 *
 * @alpha
 */
export const approvalsPage = PageBlueprint.make({
  name: 'approvals',
  params: {
    path: '/dbaas/approvals',
    routeRef: approvalsPageRouteRef,
    title: 'Restore approvals',
    icon: <HowToReg fontSize="inherit" />,
    loader: () =>
      import('../components/ApprovalsPage').then(m => <m.NfsApprovalsPage />),
  },
});
