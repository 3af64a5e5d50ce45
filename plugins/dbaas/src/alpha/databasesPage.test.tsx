import { screen, within } from '@testing-library/react';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import dbaasPlugin from '../alpha';
import { dbaasApiRef } from '../api/DbaasApi';
import { rootRouteRef } from '../routes';
import { databasesPage } from './databasesPage';

describe('databases page (new frontend system)', () => {
  it('is the page:dbaas extension of the plugin, at /dbaas, titled Databases, with an icon for the nav', () => {
    expect(dbaasPlugin.getExtension('page:dbaas')).toMatchObject({
      kind: 'page',
      attachTo: { id: 'app/routes', input: 'routes' },
    });

    const tester = createExtensionTester(databasesPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/dbaas');
    expect(tester.get(coreExtensionData.routeRef)).toBe(rootRouteRef);
    expect(tester.get(coreExtensionData.title)).toBe('Databases');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();
  });

  it('shows the inventory at /dbaas, under its header, and in the sidebar of an app with the plugin', async () => {
    const dbaasApi = {
      listDatabases: jest.fn().mockResolvedValue({
        items: [
          {
            namespace: 'payments',
            name: 'orders',
            databaseName: 'payments-orders',
            mode: 'standard',
            status: 'ready',
            statusSince: new Date().toISOString(),
            cluster: 'prod-eu',
            entityRef: 'resource:default/payments-orders',
            owners: ['group:default/payments'],
          },
        ],
      }),
    };

    renderTestApp({
      features: [dbaasPlugin],
      apis: [[dbaasApiRef, dbaasApi]],
      // The catalog's entity page, which the rows link to.
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      initialRouteEntries: ['/dbaas'],
    });

    expect(await screen.findByText('1 database')).toBeInTheDocument();
    expect(screen.getByText('payments/orders')).toBeInTheDocument();
    // The page extension draws the header and puts the page in the sidebar.
    expect(
      screen.getByRole('heading', { level: 1, name: 'Databases' }),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('navigation', { name: 'sidebar nav' })).getByRole(
        'link',
        { name: 'Databases' },
      ),
    ).toHaveAttribute('href', '/dbaas');
  });
});
