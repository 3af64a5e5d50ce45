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
  it('is the sub-page:dbaas/approvals extension of the plugin, the Approvals tab of page:dbaas', () => {
    expect(dbaasPlugin.getExtension('sub-page:dbaas/approvals')).toMatchObject({
      kind: 'sub-page',
      attachTo: { id: 'page:dbaas', input: 'pages' },
    });

    const tester = createExtensionTester(approvalsPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('approvals');
    expect(tester.get(coreExtensionData.routeRef)).toBe(approvalsPageRouteRef);
    expect(tester.get(coreExtensionData.title)).toBe('Approvals');
  });

  it('shows the inbox at /dbaas/approvals under its heading, as a tab of Databases, the one sidebar item', async () => {
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
      screen.getByRole('heading', { level: 2, name: 'Approvals' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Approvals' })).toBeInTheDocument();
    const nav = within(screen.getByRole('navigation', { name: 'sidebar nav' }));
    // One item for the suite: no second highlighted item for approvals.
    expect(
      nav.queryByRole('link', { name: /approvals/i }),
    ).not.toBeInTheDocument();
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
