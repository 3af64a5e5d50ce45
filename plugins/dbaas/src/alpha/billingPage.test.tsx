import { screen, within } from '@testing-library/react';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  PageBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import dbaasPlugin from '../alpha';
import { dbaasApiRef } from '../api/DbaasApi';
import { billingPageRouteRef, billingRouteRef } from '../routes';
import { billingMonth } from '../components/BillingPage/billingFixtures';
import { billingPage } from './billingPage';

class NoopResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}

/** Shows where billingRouteRef leads in the app, as the billing card links. */
const BillingLinkProbe = () => (
  <div data-testid="billing-link">{useRouteRef(billingRouteRef)()}</div>
);

const probePage = PageBlueprint.make({
  name: 'billing-link-probe',
  params: { path: '/probe', loader: async () => <BillingLinkProbe /> },
});

describe('billing page (new frontend system)', () => {
  const original = global.ResizeObserver;
  beforeAll(() => {
    global.ResizeObserver = NoopResizeObserver as typeof ResizeObserver;
  });
  afterAll(() => {
    global.ResizeObserver = original;
  });

  it('is the sub-page:dbaas/billing extension of the plugin, the Billing tab of page:dbaas', () => {
    expect(dbaasPlugin.getExtension('sub-page:dbaas/billing')).toMatchObject({
      kind: 'sub-page',
      attachTo: { id: 'page:dbaas', input: 'pages' },
    });

    const tester = createExtensionTester(billingPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('billing');
    expect(tester.get(coreExtensionData.routeRef)).toBe(billingPageRouteRef);
    expect(tester.get(coreExtensionData.title)).toBe('Billing');
  });

  it('shows the billing at /dbaas/billing under its heading, as a tab of Databases, the one sidebar item', async () => {
    const dbaasApi = {
      getBillingMonth: jest.fn().mockResolvedValue(billingMonth()),
    };

    renderTestApp({
      features: [dbaasPlugin],
      apis: [[dbaasApiRef, dbaasApi]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      initialRouteEntries: ['/dbaas/billing?month=2025-03'],
    });

    // The first lazy import compiles the page's modules: give it time.
    expect(
      await screen.findByRole(
        'table',
        { name: 'Cost per tenant' },
        { timeout: 15_000 },
      ),
    ).toBeInTheDocument();
    expect(dbaasApi.getBillingMonth).toHaveBeenCalledWith({
      month: '2025-03',
      signal: expect.any(AbortSignal),
    });
    expect(
      screen.getByRole('heading', { level: 2, name: 'Database billing' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Billing' })).toBeInTheDocument();
    const nav = within(screen.getByRole('navigation', { name: 'sidebar nav' }));
    expect(
      nav.queryByRole('link', { name: /billing/i }),
    ).not.toBeInTheDocument();
    expect(nav.getByRole('link', { name: 'Databases' })).toHaveAttribute(
      'href',
      '/dbaas',
    );
  });

  it('is where billingRouteRef leads, so links from the billing card arrive', async () => {
    renderTestApp({
      features: [dbaasPlugin],
      extensions: [probePage],
      initialRouteEntries: ['/probe'],
    });

    expect(await screen.findByTestId('billing-link')).toHaveTextContent(
      /^\/dbaas\/billing$/,
    );
  });
});
