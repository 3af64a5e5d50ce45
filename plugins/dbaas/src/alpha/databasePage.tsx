import { PageBlueprint } from '@backstage/frontend-plugin-api';
import { databasePageRouteRef } from '../routes';

/**
 * One database's page, `page:dbaas/database`, at
 * `/dbaas/databases/:namespace/:name`: where `databaseRouteRef` (a sub
 * route of the databases page) leads, and where the request template's
 * links go. It shows the database's lifecycle from the moment it is
 * requested, before its catalog entity exists. No title or icon: the
 * sidebar does not list it. An app that moves `page:dbaas` should move this
 * page along (config `path`).
 *
 * @alpha
 */
export const databasePage = PageBlueprint.make({
  name: 'database',
  params: {
    path: '/dbaas/databases/:namespace/:name',
    routeRef: databasePageRouteRef,
    loader: () =>
      import('../components/DatabasePage').then(m => <m.DatabasePage />),
  },
});
