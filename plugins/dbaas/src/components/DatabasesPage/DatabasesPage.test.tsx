import { screen } from '@testing-library/react';
import { getComponentData } from '@backstage/core-plugin-api';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { dbaasApiRef } from '../../api/DbaasApi';
import { DbaasDatabasesPage, dbaasPlugin } from '../../plugin';
import { rootRouteRef } from '../../routes';
import { DatabasesPage, NfsDatabasesPage } from './DatabasesPage';

function renderPage(element: JSX.Element) {
  const dbaasApi = {
    listDatabases: jest.fn().mockResolvedValue({ items: [] }),
  };
  renderInTestApp(element, {
    apis: [[dbaasApiRef, dbaasApi]],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
}

describe('DatabasesPage', () => {
  it('has its own header in legacy apps', async () => {
    renderPage(<DatabasesPage />);

    expect(
      screen.getByRole('heading', { level: 1, name: 'Databases' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No databases yet — request one'),
    ).toBeInTheDocument();
  });

  it('leaves the header to the page extension in apps on the new frontend system', async () => {
    renderPage(<NfsDatabasesPage />);

    expect(
      await screen.findByText('No databases yet — request one'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('heading', { level: 1 })).not.toBeInTheDocument();
  });

  it('is a routable extension of the legacy plugin, mounted on the root route', () => {
    expect(getComponentData(<DbaasDatabasesPage />, 'core.plugin')).toBe(
      dbaasPlugin,
    );
    expect(getComponentData(<DbaasDatabasesPage />, 'core.mountPoint')).toBe(
      rootRouteRef,
    );
    expect(dbaasPlugin.routes).toEqual({ root: rootRouteRef });
  });
});
