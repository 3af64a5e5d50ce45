import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { DbaasApi } from '../../../api/DbaasApi';
import { dbaasApiRef } from '../../../api/DbaasApi';
import { rootRouteRef } from '../../../routes';
import {
  cents,
  databaseCost,
  tenantBilling,
} from '../../BillingPage/billingFixtures';
import { pending, resourceEntity, responseError } from '../testFixtures';
import { BillingCard } from './BillingCard';
import { EntityBillingCard } from './EntityBillingCard';

function billingApi() {
  return {
    getTenantBilling: jest.fn<
      ReturnType<DbaasApi['getTenantBilling']>,
      Parameters<DbaasApi['getTenantBilling']>
    >(),
  };
}

function renderCard(
  dbaasApi: ReturnType<typeof billingApi>,
  options: {
    mountDbaas?: boolean;
    namespace?: string;
    permissionApi?: ReturnType<typeof mockApis.permission.mock>;
  } = {},
) {
  return renderInTestApp(
    <BillingCard
      databaseRef={{
        namespace: options.namespace ?? 'payments',
        name: 'ledger',
      }}
    />,
    {
      apis: [
        [dbaasApiRef, dbaasApi],
        options.permissionApi ?? mockApis.permission(),
      ],
      mountedRoutes:
        options.mountDbaas === false ? {} : { '/dbaas': rootRouteRef },
    },
  );
}

describe('BillingCard', () => {
  it("shows the database's cost by component next to its tenant's month, forecast and budget", async () => {
    const dbaasApi = billingApi();
    dbaasApi.getTenantBilling.mockResolvedValue(tenantBilling());
    renderCard(dbaasApi);

    expect(
      await screen.findByLabelText("This database's cost"),
    ).toHaveTextContent('$99.00');
    // The current month: the backend's clock decides which that is.
    expect(dbaasApi.getTenantBilling).toHaveBeenCalledWith('payments', {
      month: undefined,
      signal: expect.any(AbortSignal),
    });
    const parts = within(screen.getByLabelText('Cost by component'));
    for (const [label, amount] of [
      ['Compute used', '$70.00'],
      ['Idle compute', '$6.00'],
      ['Storage', '$15.00'],
      ['Snapshots', '$3.00'],
      ['Base fee', '$5.00'],
    ]) {
      expect(parts.getByText(label).nextElementSibling).toHaveTextContent(
        amount,
      );
    }
    expect(
      screen.getByText(
        'Behind it: avg 1.50 GB stored, 2.1 h active · 120,000 transactions.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Tenant payments')).toBeInTheDocument();
    expect(screen.getByLabelText("Tenant's month to date")).toHaveTextContent(
      '$133.45',
    );
    expect(
      screen.getByText('Month to date over 2 databases.'),
    ).toBeInTheDocument();
    expect(screen.getByText('Budget: $150.00 a month')).toBeInTheDocument();
    expect(screen.getByText('89.0 % · near budget')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /Billing of payments/ }),
    ).toHaveAttribute('href', '/dbaas/billing?namespace=payments');
  });

  it('shows the forecast of the current month with the hours behind it', async () => {
    const dbaasApi = billingApi();
    dbaasApi.getTenantBilling.mockResolvedValue(
      tenantBilling({
        status: 'current',
        elapsedHours: 240,
        forecastCents: 41370,
        budgetCents: undefined,
        budgetUsedPercent: undefined,
      }),
    );
    renderCard(dbaasApi);

    expect(await screen.findByText('$413.70')).toBeInTheDocument();
    expect(
      screen.getByText(
        'Month-to-date ÷ elapsed hours × hours in the month = $133.45 ÷ 240 h × 744 h.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No monthly budget set for payments.'),
    ).toBeInTheDocument();
  });

  it('says when the database has no cost yet: numbers appear after the first billing run', async () => {
    const dbaasApi = billingApi();
    dbaasApi.getTenantBilling.mockResolvedValue(
      tenantBilling({
        databases: [
          databaseCost({ name: 'orders', cents: cents({ storage: 12 }) }),
        ],
      }),
    );
    renderCard(dbaasApi);

    expect(
      await screen.findByText(
        /No cost recorded in March 2025 yet: numbers appear after the first billing run/,
      ),
    ).toBeInTheDocument();
    // The tenant's month is still shown.
    expect(screen.getByLabelText("Tenant's month to date")).toHaveTextContent(
      '$0.12',
    );
  });

  it('says when the tenant has no billing yet (404)', async () => {
    const dbaasApi = billingApi();
    dbaasApi.getTenantBilling.mockRejectedValue(
      await responseError(404, 'Not Found', 'no billing for payments'),
    );
    renderCard(dbaasApi);

    expect(
      await screen.findByText(
        /No costs for the tenant payments this month yet: numbers appear after the first billing run/,
      ),
    ).toBeInTheDocument();
  });

  it("says clearly when the user may not see the tenant's billing (403)", async () => {
    const dbaasApi = billingApi();
    dbaasApi.getTenantBilling.mockRejectedValue(
      await responseError(403, 'Forbidden', 'Unauthorized'),
    );
    renderCard(dbaasApi);

    expect(
      await screen.findByText(/You may not see the billing of payments/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Retry' }),
    ).not.toBeInTheDocument();
  });

  it('shows other failures and retries', async () => {
    const dbaasApi = billingApi();
    dbaasApi.getTenantBilling
      .mockRejectedValueOnce(
        await responseError(
          500,
          'Internal Server Error',
          'rollups unavailable',
        ),
      )
      .mockReturnValue(pending());
    renderCard(dbaasApi);

    expect(
      await screen.findByText('Could not load the cost: rollups unavailable'),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));

    expect(
      await screen.findByRole('progressbar', { name: 'Loading the cost' }),
    ).toBeInTheDocument();
    expect(dbaasApi.getTenantBilling).toHaveBeenCalledTimes(2);
  });

  it('has no link in an app without the dbaas pages', async () => {
    const dbaasApi = billingApi();
    dbaasApi.getTenantBilling.mockResolvedValue(tenantBilling());
    renderCard(dbaasApi, { mountDbaas: false });

    expect(
      await screen.findByLabelText("This database's cost"),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: /Billing of/ }),
    ).not.toBeInTheDocument();
  });

  it('links to no billing page of a tenant whose billing the user may not read', async () => {
    const dbaasApi = billingApi();
    dbaasApi.getTenantBilling.mockResolvedValue(
      tenantBilling({ namespace: 'checkout' }),
    );
    const authorize = jest.fn(async () => ({
      result: AuthorizeResult.DENY,
    }));
    const permissionApi = mockApis.permission.mock({ authorize });
    // A tenant of its own: usePermission keeps answers across renders.
    renderCard(dbaasApi, { namespace: 'checkout', permissionApi });

    expect(
      await screen.findByLabelText("This database's cost"),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(authorize).toHaveBeenCalledWith(
        expect.objectContaining({
          permission: expect.objectContaining({ name: 'dbaas.billing.read' }),
          resourceRef: 'checkout',
        }),
      ),
    );
    // Let the answer render.
    await act(() => new Promise(resolve => setTimeout(resolve, 50)));
    expect(
      screen.queryByRole('link', { name: /Billing of/ }),
    ).not.toBeInTheDocument();
  });

  it('reads the database from the entity annotation on an overview', async () => {
    const dbaasApi = billingApi();
    dbaasApi.getTenantBilling.mockResolvedValue(tenantBilling());
    renderInTestApp(
      <EntityProvider
        entity={resourceEntity('payments-ledger', 'payments/ledger')}
      >
        <EntityBillingCard />
      </EntityProvider>,
      { apis: [[dbaasApiRef, dbaasApi], mockApis.permission()] },
    );

    expect(
      await screen.findByLabelText("This database's cost"),
    ).toHaveTextContent('$99.00');
  });

  it('explains an entity without the annotation', async () => {
    renderInTestApp(
      <EntityProvider entity={resourceEntity('legacy-db')}>
        <EntityBillingCard />
      </EntityProvider>,
      { apis: [[dbaasApiRef, billingApi()], mockApis.permission()] },
    );

    expect(
      await screen.findByText(
        'This entity has no dbaas.io/database annotation.',
      ),
    ).toBeInTheDocument();
  });
});
