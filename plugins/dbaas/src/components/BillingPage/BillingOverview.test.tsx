import { useLocation } from 'react-router-dom';
import {
  configure,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { dbaasApiRef } from '../../api/DbaasApi';
import { DbaasClient } from '../../api/DbaasClient';
import { BillingOverview } from './BillingOverview';
import { billingMonthOf } from './billingMonths';
import {
  billingMonth,
  billingSettings,
  errorBody,
  tenantBilling,
  tenantSummary,
  cents,
} from './billingFixtures';

const baseUrl = 'http://backstage.test/api/dbaas';
const TOKEN = 'the-users-backstage-token';

// recharts' ResponsiveContainer observes its size; jsdom has no ResizeObserver.
class NoopResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}

const LocationDisplay = () => (
  <div data-testid="location">{useLocation().search}</div>
);

/**
 * The page against the real client and a fetch API that adds the user's
 * token, as in the app; the backend is msw.
 */
function renderPage(url = '/dbaas/billing') {
  const fetchApi = mockApis.fetch({ injectIdentityAuth: { token: TOKEN } });
  const discoveryApi = mockApis.discovery({ baseUrl: 'http://backstage.test' });
  return renderInTestApp(
    <>
      <BillingOverview />
      <LocationDisplay />
    </>,
    {
      apis: [
        [dbaasApiRef, new DbaasClient({ discoveryApi, fetchApi })],
        fetchApi,
      ],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      initialRouteEntries: [url],
    },
  );
}

function tenantOrder(): string[] {
  return screen
    .getAllByTestId(/^tenant-row-/)
    .map(row => row.getAttribute('data-testid')!.replace('tenant-row-', ''));
}

function searchParams() {
  return new URLSearchParams(screen.getByTestId('location').textContent!);
}

describe('BillingOverview', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const original = global.ResizeObserver;
  beforeAll(() => {
    global.ResizeObserver = NoopResizeObserver as typeof ResizeObserver;
    // The page loads twice (month, then tenant): slow on busy CI machines.
    configure({ asyncUtilTimeout: 10_000 });
  });
  afterAll(() => {
    global.ResizeObserver = original;
  });

  /** Serves `GET /billing` and records the months asked for. */
  function serveMonth(response = billingMonth()) {
    const months: Array<string | null> = [];
    server.use(
      http.get(`${baseUrl}/billing`, ({ request }) => {
        months.push(new URL(request.url).searchParams.get('month'));
        return HttpResponse.json(response);
      }),
    );
    return months;
  }

  it('asks for the current month by default and lists tenants most expensive first', async () => {
    const months = serveMonth();
    renderPage();

    expect(
      await screen.findByRole('table', { name: 'Cost per tenant' }),
    ).toBeInTheDocument();
    expect(months).toEqual([billingMonthOf(new Date())]);
    expect(tenantOrder()).toEqual(['payments', 'search', 'analytics']);
    const cells = within(screen.getByTestId('tenant-row-payments'))
      .getAllByRole('cell')
      .map(cell => cell.textContent);
    // Tenant, databases, total, forecast (a past month's is its total), budget.
    expect(cells.slice(1, 4)).toEqual(['2', '$133.45', '$133.45']);
    expect(cells[4]).toBe('89.0 % · near budgetof $150.00');
    // The summary: the month's total and the tenants over or near budget.
    expect(
      within(screen.getByRole('group', { name: 'Month total' })).getByText(
        '$171.95',
      ),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('group', { name: 'Budgets' })).getByText(
        '1 over · 1 near',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('figure', {
        name: 'Cost per day, all tenants you may see',
      }),
    ).toBeInTheDocument();
  });

  it('re-sorts by the column selected, and back', async () => {
    serveMonth();
    renderPage();
    await screen.findByRole('table', { name: 'Cost per tenant' });

    // Column titles stay on one line in a narrow card ("Tenan t" before).
    for (const title of ['Tenant', 'Databases', 'Total', 'Forecast']) {
      expect(screen.getByRole('columnheader', { name: title })).toHaveStyle({
        whiteSpace: 'nowrap',
      });
    }
    fireEvent.click(screen.getByRole('button', { name: 'Tenant' }));
    expect(tenantOrder()).toEqual(['analytics', 'payments', 'search']);

    fireEvent.click(screen.getByRole('button', { name: 'Budget used' }));
    expect(tenantOrder()).toEqual(['search', 'payments', 'analytics']);

    fireEvent.click(screen.getByRole('button', { name: 'Total' }));
    expect(tenantOrder()).toEqual(['payments', 'search', 'analytics']);
    fireEvent.click(screen.getByRole('button', { name: 'Total' }));
    expect(tenantOrder()).toEqual(['analytics', 'search', 'payments']);
  });

  it('marks budgets used from 80 % amber and from 100 % red, in words too', async () => {
    serveMonth();
    renderPage();
    await screen.findByRole('table', { name: 'Cost per tenant' });

    const budgetOf = (namespace: string) =>
      within(screen.getByTestId(`tenant-row-${namespace}`));
    expect(
      budgetOf('payments').getByText('89.0 % · near budget'),
    ).toBeInTheDocument();
    expect(
      budgetOf('payments')
        .getByText('89.0 % · near budget')
        .closest('[data-budget-level]'),
    ).toHaveAttribute('data-budget-level', 'warning');
    expect(
      budgetOf('search').getByText('103.3 % · over budget'),
    ).toBeInTheDocument();
    expect(
      budgetOf('search')
        .getByText('103.3 % · over budget')
        .closest('[data-budget-level]'),
    ).toHaveAttribute('data-budget-level', 'exceeded');
    expect(budgetOf('analytics').getByText('no budget')).toBeInTheDocument();
  });

  it('drills down into a tenant: its databases with components and usage, and its days', async () => {
    serveMonth();
    const tenants: Array<{ namespace: string; month: string | null }> = [];
    server.use(
      http.get(`${baseUrl}/billing/:namespace`, ({ request, params }) => {
        tenants.push({
          namespace: params.namespace as string,
          month: new URL(request.url).searchParams.get('month'),
        });
        return HttpResponse.json(tenantBilling());
      }),
    );
    renderPage('/dbaas/billing?month=2025-03');
    await screen.findByRole('table', { name: 'Cost per tenant' });

    fireEvent.click(screen.getByRole('button', { name: 'payments' }));

    const table = await screen.findByRole('table', {
      name: 'Cost per database of payments',
    });
    const panel = within(
      screen.getByRole('region', { name: 'Billing of payments' }),
    );
    expect(tenants).toEqual([{ namespace: 'payments', month: '2025-03' }]);
    expect(searchParams().get('namespace')).toBe('payments');
    const ledger = within(within(table).getByTestId('database-row-ledger'));
    // The name opens the database's tab in the catalog.
    expect(
      ledger.getByRole('link', { name: 'payments/ledger' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/resource/payments-ledger/database',
    );
    for (const amount of [
      '$70.00',
      '$6.00',
      '$15.00',
      '$3.00',
      '$5.00',
      '$99.00',
    ]) {
      expect(ledger.getByText(amount)).toBeInTheDocument();
    }
    expect(
      ledger.getByText('avg 1.50 GB stored, 0.50 GB in snapshots'),
    ).toBeInTheDocument();
    expect(
      ledger.getByText('2.1 h active · 120,000 transactions over 744 h'),
    ).toBeInTheDocument();
    // Without active time, the transactions were the proxy.
    const orders = within(within(table).getByTestId('database-row-orders'));
    expect(
      orders.getByText('4,321 transactions over 744 h'),
    ).toBeInTheDocument();
    // The lines add up to the tenant's total.
    expect(within(table).getByText('Tenant total')).toBeInTheDocument();
    expect(within(table).getAllByText('$133.45')).toHaveLength(1);
    expect(
      panel.getByRole('figure', { name: 'Cost per day of payments' }),
    ).toBeInTheDocument();
    expect(
      panel.getByText('The month is over: the forecast is its total.'),
    ).toBeInTheDocument();
    expect(panel.getByText('$150.00')).toBeInTheDocument();
    expect(panel.getByText('89.0 % · near budget')).toBeInTheDocument();

    fireEvent.click(
      screen.getByRole('button', { name: 'Close the details of payments' }),
    );
    expect(
      screen.queryByRole('table', { name: 'Cost per database of payments' }),
    ).not.toBeInTheDocument();
    expect(searchParams().get('namespace')).toBeNull();
  });

  it('opens the tenant named in the URL', async () => {
    serveMonth();
    server.use(
      http.get(`${baseUrl}/billing/payments`, () =>
        HttpResponse.json(tenantBilling()),
      ),
    );
    renderPage('/dbaas/billing?namespace=payments');

    expect(
      await screen.findByRole('table', {
        name: 'Cost per database of payments',
      }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'payments' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
  });

  it("says clearly when the user may not see a tenant's billing (403)", async () => {
    serveMonth();
    server.use(
      http.get(`${baseUrl}/billing/payments`, () =>
        HttpResponse.json(errorBody(403, 'NotAllowedError', 'Unauthorized'), {
          status: 403,
          statusText: 'Forbidden',
        }),
      ),
    );
    renderPage('/dbaas/billing?namespace=payments');

    expect(
      await screen.findByText('You may not see the billing of payments'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /need the dbaas.billing.read permission for that tenant/,
      ),
    ).toBeInTheDocument();
    // The rest of the page stays.
    expect(
      screen.getByRole('table', { name: 'Cost per tenant' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Retry' }),
    ).not.toBeInTheDocument();
  });

  it('says clearly when the user may see no billing at all (403)', async () => {
    server.use(
      http.get(`${baseUrl}/billing`, () =>
        HttpResponse.json(errorBody(403, 'NotAllowedError', 'Unauthorized'), {
          status: 403,
          statusText: 'Forbidden',
        }),
      ),
    );
    renderPage();

    expect(
      await screen.findByText('You may not see billing'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Billing needs the dbaas.billing.read permission/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Retry' }),
    ).not.toBeInTheDocument();
  });

  it('shows other failures with a retry', async () => {
    let calls = 0;
    server.use(
      http.get(`${baseUrl}/billing`, () => {
        calls += 1;
        return calls === 1
          ? HttpResponse.json(errorBody(500, 'Error', 'rollups unavailable'), {
              status: 500,
              statusText: 'Internal Server Error',
            })
          : HttpResponse.json(billingMonth());
      }),
    );
    renderPage();

    expect(
      await screen.findByText(
        'Error: Could not load the billing: rollups unavailable',
      ),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));

    expect(
      await screen.findByRole('table', { name: 'Cost per tenant' }),
    ).toBeInTheDocument();
  });

  it('switches months with the picker and keeps the choice in the URL', async () => {
    const months = serveMonth();
    renderPage();
    await screen.findByRole('table', { name: 'Cost per tenant' });
    const now = new Date();
    const previous = billingMonthOf(
      new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)),
    );

    fireEvent.change(screen.getByLabelText('Month (UTC)'), {
      target: { value: previous },
    });

    await waitFor(() => expect(months).toHaveLength(2));
    expect(months[1]).toBe(previous);
    expect(searchParams().get('month')).toBe(previous);
  });

  it('explains the allocation from the prices and rules the backend used', async () => {
    serveMonth(
      billingMonth({
        settings: billingSettings({
          currency: 'EUR',
          prices: {
            acuHour: 0.14,
            storageGbMonth: 0.115,
            snapshotGbMonth: 0.023,
            baseMonthly: 40,
          },
          idleCapacity: 'storage',
          baseFee: 'even',
        }),
        clusters: [
          {
            cluster: 'prod-eu',
            totalCents: 17395,
            allocatedCents: 17295,
            unallocatedCents: 100,
            hours: 744,
            acuHours: 1000,
            usedAcuHours: 612.5,
          },
        ],
      }),
    );
    renderPage();

    // Collapsed until opened: the page is not a wall of text.
    const toggle = await screen.findByRole('button', {
      name: /How costs are allocated/,
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(
      screen.queryByText('Storage: €0.115 per GB-month'),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('table', { name: 'Cost per cluster' }),
    ).not.toBeInTheDocument();
    fireEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(
      await screen.findByText('Storage: €0.115 per GB-month'),
    ).toBeInTheDocument();
    expect(screen.getByText('Compute: €0.14 per ACU-hour')).toBeInTheDocument();
    expect(
      screen.getByText('Snapshots: €0.023 per GB-month'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Base fee: €40.00 per cluster and month'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /Idle capacity \(compute paid for but not used\) is split by each database’s share of the cluster’s storage/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /active time\) where the server reports it; else transactions \(commits \+ rollbacks\) as a proxy/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /€40.00 ÷ hours in the month each hour, split evenly between the databases/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/by largest remainder/)).toBeInTheDocument();
    expect(
      screen.getByText(
        /forecast = month-to-date ÷ elapsed hours × hours in the month/,
      ),
    ).toBeInTheDocument();
    const clusters = screen.getByRole('table', { name: 'Cost per cluster' });
    expect(within(clusters).getByText('€1.00')).toBeInTheDocument();
    expect(within(clusters).getByText('1,000 h (612.5 h)')).toBeInTheDocument();
  });

  it('shows the forecast of the current month with the hours it was computed from', async () => {
    const now = new Date();
    serveMonth(
      billingMonth({
        month: billingMonthOf(now),
        status: 'current',
        elapsedHours: 240,
        hoursInMonth: 744,
        asOf: now.toISOString(),
        forecastCents: 53614,
        tenants: [
          tenantSummary({
            namespace: 'payments',
            cents: cents({ computeUsed: 17295 }),
            forecastCents: 53614,
          }),
        ],
        totalCents: 17295,
      }),
    );
    renderPage();

    const forecast = await screen.findByRole('group', {
      name: 'Forecast to month end',
    });
    expect(within(forecast).getByText('$536.14')).toBeInTheDocument();
    expect(
      within(forecast).getByText(
        "The sum of each tenant's forecast: its month-to-date ÷ 240 h elapsed × 744 h in the month.",
      ),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('group', { name: 'Month to date' })).getByText(
        '$172.95',
      ),
    ).toBeInTheDocument();
  });

  it('explains an empty current month: numbers appear after the first billing run', async () => {
    const now = new Date();
    serveMonth(
      billingMonth({
        month: billingMonthOf(now),
        status: 'current',
        tenants: [],
        days: [],
        totalCents: 0,
        forecastCents: 0,
      }),
    );
    renderPage();

    expect(
      await screen.findByText(/^No costs for .* yet$/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Numbers appear after the first billing run/),
    ).toBeInTheDocument();
    expect(screen.getByText('How costs are allocated')).toBeInTheDocument();
    expect(
      screen.queryByRole('table', { name: 'Cost per tenant' }),
    ).not.toBeInTheDocument();
  });

  it('says a past month had no costs for a tenant, not that they appear "yet"', async () => {
    serveMonth();
    server.use(
      http.get(`${baseUrl}/billing/payments`, () =>
        HttpResponse.json(
          tenantBilling({
            databases: [],
            days: [],
            cents: cents(),
            forecastCents: 0,
            budgetUsedPercent: 0,
          }),
        ),
      ),
    );
    renderPage('/dbaas/billing?month=2025-03&namespace=payments');

    expect(
      await screen.findByText(
        'No database of payments had costs in March 2025.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/yet/)).not.toBeInTheDocument();
  });

  it('says the current hour is included in full, not "data up to in 55 minutes"', async () => {
    const now = new Date();
    const endOfHour = new Date(
      Math.floor(now.getTime() / 3_600_000) * 3_600_000 + 3_600_000,
    ).toISOString();
    serveMonth(
      billingMonth({
        month: billingMonthOf(now),
        status: 'current',
        elapsedHours: 240,
        asOf: endOfHour,
      }),
    );
    renderPage();

    const tile = await screen.findByRole('group', { name: 'Month to date' });
    expect(tile).toHaveTextContent(
      /Includes the hour in progress, counted in full until .* UTC and settled when it ends\./,
    );
    expect(tile).not.toHaveTextContent(/up to in /);
  });

  describe('CSV download', () => {
    const createObjectURL = jest.fn((_blob: Blob) => 'blob:dbaas-billing');
    const revokeObjectURL = jest.fn();
    let clicked: Array<{ href: string; download: string }>;
    let click: jest.SpyInstance;

    beforeEach(() => {
      clicked = [];
      Object.assign(URL, { createObjectURL, revokeObjectURL });
      click = jest
        .spyOn(HTMLAnchorElement.prototype, 'click')
        .mockImplementation(function record(this: HTMLAnchorElement) {
          clicked.push({ href: this.href, download: this.download });
        });
    });
    afterEach(() => {
      click.mockRestore();
      createObjectURL.mockClear();
    });

    function serveCsv() {
      const requests: Array<{
        month: string | null;
        namespace: string | null;
        format: string | null;
        authorization: string | null;
      }> = [];
      server.use(
        http.get(`${baseUrl}/billing/export.csv`, ({ request }) => {
          const query = new URL(request.url).searchParams;
          requests.push({
            month: query.get('month'),
            namespace: query.get('namespace'),
            format: query.get('format'),
            authorization: request.headers.get('authorization'),
          });
          if (query.get('namespace') === 'search') {
            return HttpResponse.json(
              errorBody(403, 'NotAllowedError', 'Unauthorized'),
              { status: 403, statusText: 'Forbidden' },
            );
          }
          return new HttpResponse(
            'tenant,database,day\r\npayments,ledger,2025-03-01\r\n',
            {
              headers: { 'Content-Type': 'text/csv' },
            },
          );
        }),
      );
      return requests;
    }

    it("fetches the month's CSV with the user's token and saves it as a file", async () => {
      serveMonth();
      const requests = serveCsv();
      renderPage('/dbaas/billing?month=2025-03');
      await screen.findByRole('table', { name: 'Cost per tenant' });

      // The user gets the three tenants listed, not "all tenants".
      fireEvent.click(
        screen.getByRole('button', { name: 'Download (3 tenants)' }),
      );
      fireEvent.click(
        await screen.findByRole('menuitem', {
          name: /CSV per database and day/,
        }),
      );

      await waitFor(() => expect(clicked).toHaveLength(1));
      expect(requests).toEqual([
        {
          month: '2025-03',
          namespace: null,
          format: 'dbaas',
          authorization: `Bearer ${TOKEN}`,
        },
      ]);
      expect(clicked[0]).toEqual({
        href: 'blob:dbaas-billing',
        download: 'dbaas-billing-2025-03.csv',
      });
      const blob = createObjectURL.mock.calls[0][0];
      await expect(blob.text()).resolves.toBe(
        'tenant,database,day\r\npayments,ledger,2025-03-01\r\n',
      );
    });

    it("fetches the selected tenant's CSV", async () => {
      serveMonth();
      server.use(
        http.get(`${baseUrl}/billing/payments`, () =>
          HttpResponse.json(tenantBilling()),
        ),
      );
      const requests = serveCsv();
      renderPage('/dbaas/billing?month=2025-03&namespace=payments');

      fireEvent.click(
        await screen.findByRole('button', { name: 'Download (payments)' }),
      );
      fireEvent.click(
        await screen.findByRole('menuitem', { name: /FinOps FOCUS 1.3 CSV/ }),
      );

      await waitFor(() => expect(clicked).toHaveLength(1));
      expect(requests).toEqual([
        {
          month: '2025-03',
          namespace: 'payments',
          format: 'focus',
          authorization: `Bearer ${TOKEN}`,
        },
      ]);
      expect(clicked[0].download).toBe(
        'dbaas-billing-2025-03-payments-focus.csv',
      );
    });

    it('says "all" only to who may read every tenant, and names a single tenant', async () => {
      serveMonth(
        billingMonth({
          clusters: [
            {
              cluster: 'prod-eu',
              totalCents: 17195,
              allocatedCents: 17195,
              unallocatedCents: 0,
              hours: 744,
              acuHours: 1000,
              usedAcuHours: 600,
            },
          ],
        }),
      );
      renderPage('/dbaas/billing?month=2025-03');
      expect(
        await screen.findByRole('button', { name: 'Download (all 3 tenants)' }),
      ).toBeInTheDocument();
    });

    it('labels the download by the one tenant the user gets', async () => {
      serveMonth(
        billingMonth({ tenants: [tenantSummary({ namespace: 'payments' })] }),
      );
      renderPage('/dbaas/billing?month=2025-03');
      expect(
        await screen.findByRole('button', { name: 'Download (payments)' }),
      ).toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: /all tenants/i }),
      ).not.toBeInTheDocument();
    });

    it('says so when the export is refused, and saves nothing', async () => {
      serveMonth();
      server.use(
        http.get(`${baseUrl}/billing/search`, () =>
          HttpResponse.json(tenantBilling({ namespace: 'search' })),
        ),
      );
      serveCsv();
      renderPage('/dbaas/billing?month=2025-03&namespace=search');

      fireEvent.click(
        await screen.findByRole('button', { name: 'Download (search)' }),
      );
      fireEvent.click(
        await screen.findByRole('menuitem', {
          name: /CSV per database and day/,
        }),
      );

      expect(await screen.findByRole('alert')).toHaveTextContent(
        'You may not export the billing of search.',
      );
      expect(clicked).toHaveLength(0);
      expect(createObjectURL).not.toHaveBeenCalled();
    });
  });
});
