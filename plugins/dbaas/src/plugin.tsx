import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';

import { rootRouteRef } from './routes';

export const page = PageBlueprint.make({
  params: {
    path: '/dbaas',
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/TodoPage').then(m => (
        <m.TodoPage />
      )),
  },
});

export const dbaasPlugin = createFrontendPlugin({
  pluginId: 'dbaas',
  extensions: [page],
  routes: {
    root: rootRouteRef,
  }
});
