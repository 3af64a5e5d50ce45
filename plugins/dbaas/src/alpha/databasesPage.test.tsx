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
import { databasesPage, databasesSubPage } from './databasesPage';

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

    // Its first tab, where /dbaas leads: the inventory.
    expect(dbaasPlugin.getExtension('sub-page:dbaas/databases')).toMatchObject({
      attachTo: { id: 'page:dbaas', input: 'pages' },
    });
    expect(
      createExtensionTester(databasesSubPage).get(coreExtensionData.routePath),
    ).toBe('databases');
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
    // The page extension draws the plugin header (h1), its tabs and the
    // sidebar item; the tab has its own heading and the request button.
    expect(
      screen.getByRole('heading', { level: 1, name: 'Databases' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { level: 2, name: 'Databases' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Request a database' }),
    ).toHaveAttribute('href', '/create/templates/default/postgres-database');
    for (const tab of ['Databases', 'Approvals', 'Billing']) {
      expect(screen.getByRole('tab', { name: tab })).toBeInTheDocument();
    }
    expect(
      within(screen.getByRole('navigation', { name: 'sidebar nav' })).getByRole(
        'link',
        { name: 'Databases' },
      ),
    ).toHaveAttribute('href', '/dbaas');
  });
});
