import { screen, within } from '@testing-library/react';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  PageBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  mockApis,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import dbaasPlugin from '../alpha';
import { dbaasApiRef } from '../api/DbaasApi';
import { restoreRequest } from '../components/DatabaseTab/RestoresCard/restoreTestFixtures';
import { approvalsPageRouteRef, approvalsRouteRef } from '../routes';
import { approvalsPage } from './approvalsPage';

/** Shows where approvalsRouteRef leads in the app, as links to it do. */
const ApprovalsLinkProbe = () => (
  <div data-testid="approvals-link">{useRouteRef(approvalsRouteRef)()}</div>
);

const probePage = PageBlueprint.make({
  name: 'approvals-link-probe',
  params: { path: '/probe', loader: async () => <ApprovalsLinkProbe /> },
});

describe('approvals page (new frontend system)', () => {
  it('is the page:dbaas/approvals extension of the plugin, at /dbaas/approvals, with a title and icon for the nav', () => {
    expect(dbaasPlugin.getExtension('page:dbaas/approvals')).toMatchObject({
      kind: 'page',
      attachTo: { id: 'app/routes', input: 'routes' },
    });

    const tester = createExtensionTester(approvalsPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/dbaas/approvals');
    expect(tester.get(coreExtensionData.routeRef)).toBe(approvalsPageRouteRef);
    expect(tester.get(coreExtensionData.title)).toBe('Restore approvals');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();
  });

  it('shows the inbox at /dbaas/approvals under its header, loading its code lazily, and in the sidebar', async () => {
    const dbaasApi = {
      listRestores: jest.fn().mockResolvedValue({
        items: [restoreRequest({ allowedActions: ['approve', 'reject'] })],
      }),
    };

    renderTestApp({
      features: [dbaasPlugin],
      apis: [
        [dbaasApiRef, dbaasApi],
        mockApis.identity({ userEntityRef: 'user:default/bob' }),
      ],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      initialRouteEntries: ['/dbaas/approvals'],
    });

    // The first lazy import compiles the page's modules: give it time.
    const row = within(
      await screen.findByTestId('dbaas-restore-r-1', undefined, {
        timeout: 15_000,
      }),
    );
    expect(row.getByRole('button', { name: 'Approve' })).toBeInTheDocument();
    expect(row.getByRole('button', { name: 'Reject' })).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { level: 1, name: 'Restore approvals' }),
    ).toBeInTheDocument();
    const nav = within(screen.getByRole('navigation', { name: 'sidebar nav' }));
    expect(
      nav.getByRole('link', { name: 'Restore approvals' }),
    ).toHaveAttribute('href', '/dbaas/approvals');
    expect(nav.getByRole('link', { name: 'Databases' })).toHaveAttribute(
      'href',
      '/dbaas',
    );
  });

  it('is where approvalsRouteRef leads', async () => {
    renderTestApp({
      features: [dbaasPlugin],
      extensions: [probePage],
      initialRouteEntries: ['/probe'],
    });

    expect(await screen.findByTestId('approvals-link')).toHaveTextContent(
      /^\/dbaas\/approvals$/,
    );
  });
});
