import { screen } from '@testing-library/react';
import { getComponentData } from '@backstage/core-plugin-api';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import * as legacyExports from '../../index';
import { dbaasApiRef } from '../../api/DbaasApi';
import {
  DbaasBillingPage,
  EntityDatabaseBillingCard,
  dbaasPlugin,
} from '../../plugin';
import { billingPageRouteRef } from '../../routes';
import { billingMonth } from './billingFixtures';
import { BillingPage, NfsBillingPage } from './BillingPage';

function renderPage(element: JSX.Element) {
  const dbaasApi = {
    getBillingMonth: jest
      .fn()
      .mockResolvedValue(billingMonth({ tenants: [], days: [] })),
  };
  renderInTestApp(element, {
    apis: [[dbaasApiRef, dbaasApi]],
    initialRouteEntries: ['/dbaas/billing?month=2025-03'],
  });
}

describe('BillingPage', () => {
  it('has its own header in legacy apps', async () => {
    renderPage(<BillingPage />);

    expect(
      screen.getByRole('heading', { level: 1, name: 'Database billing' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No costs for March 2025'),
    ).toBeInTheDocument();
  });

  it('leaves the header to the page extension in apps on the new frontend system', async () => {
    renderPage(<NfsBillingPage />);

    expect(
      await screen.findByText('No costs for March 2025'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/No costs were recorded for this month/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('heading', { level: 1 })).not.toBeInTheDocument();
  });

  it('is a routable extension of the legacy plugin, with the billing card, both exported', () => {
    expect(getComponentData(<DbaasBillingPage />, 'core.plugin')).toBe(
      dbaasPlugin,
    );
    expect(getComponentData(<DbaasBillingPage />, 'core.mountPoint')).toBe(
      billingPageRouteRef,
    );
    expect(getComponentData(<EntityDatabaseBillingCard />, 'core.plugin')).toBe(
      dbaasPlugin,
    );
    expect(legacyExports.DbaasBillingPage).toBe(DbaasBillingPage);
    expect(legacyExports.EntityDatabaseBillingCard).toBe(
      EntityDatabaseBillingCard,
    );
  });
});
