import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useLocation } from 'react-router-dom';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { ResponseError } from '@backstage/errors';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type {
  DatabaseSummary,
  ListDatabasesResponse,
} from '@dbaas/plugin-dbaas-common';
import { DbaasApi, dbaasApiRef } from '../../api/DbaasApi';
import { DatabaseInventory } from './DatabaseInventory';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

function ago(milliseconds: number) {
  return new Date(Date.now() - milliseconds).toISOString();
}

function database(
  namespace: string,
  name: string,
  rest: Partial<DatabaseSummary> = {},
): DatabaseSummary {
  return {
    namespace,
    name,
    databaseName: `${namespace}-${name}`,
    mode: 'standard',
    status: 'ready',
    statusSince: ago(2 * HOUR),
    cluster: 'prod-eu',
    entityRef: `resource:default/${namespace}-${name}`,
    owners: [`group:default/${namespace}-team`],
    ...rest,
  };
}

const inventory: DatabaseSummary[] = [
  database('payments', 'orders', {
    mode: 'protected',
    recovery: {
      rpo: 'met',
      rto: 'met',
      rpoAgeSeconds: 1200,
      rtoEstimateSeconds: 42,
      lastDrill: 'passed',
    },
  }),
  database('payments', 'ledger', {
    status: 'provisioning',
    statusSince: ago(3 * MINUTE),
  }),
  database('search', 'index', {
    status: 'failed',
    cluster: 'dev-eu',
    owners: ['group:default/search-team', 'group:default/platform'],
  }),
  database('search', 'cache', { status: 'requested', cluster: undefined }),
  database('analytics', 'events', {
    cluster: 'dev-eu',
    statusSince: ago(3 * 24 * HOUR),
    unknownSince: ago(5 * MINUTE),
    unknownReason: 'connect ECONNREFUSED 10.0.0.5:5432',
    recovery: {
      rpo: 'missed',
      rto: 'unknown',
      rpoAgeSeconds: 30 * 3600,
    },
  }),
];

function mockDbaasApi(items?: DatabaseSummary[]) {
  const api = {
    listDatabases: jest.fn<
      ReturnType<DbaasApi['listDatabases']>,
      Parameters<DbaasApi['listDatabases']>
    >(),
  };
  if (items) {
    api.listDatabases.mockResolvedValue({ items });
  }
  return api;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Shows the query string, to check what a link to the view would hold. */
function CurrentSearch() {
  return <output data-testid="search">{useLocation().search}</output>;
}

function currentSearch() {
  return new URLSearchParams(screen.getByTestId('search').textContent ?? '');
}

async function renderInventory(
  dbaasApi: ReturnType<typeof mockDbaasApi>,
  options: { url?: string; refreshIntervalMs?: number } = {},
) {
  renderInTestApp(
    <>
      <DatabaseInventory refreshIntervalMs={options.refreshIntervalMs} />
      <CurrentSearch />
    </>,
    {
      apis: [[dbaasApiRef, dbaasApi]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      initialRouteEntries: [options.url ?? '/dbaas'],
    },
  );
}

/** The data rows of the table, by the database each one shows. */
function rows() {
  return screen
    .getAllByRole('row')
    .filter(row => within(row).queryAllByRole('cell').length > 1);
}

function shownDatabases() {
  return rows().map(
    row => within(row).getAllByRole('link')[0].textContent ?? '',
  );
}

function rowOf(qualifiedName: string) {
  const found = rows().find(
    candidate =>
      within(candidate).queryByRole('link', { name: qualifiedName }) !== null,
  );
  if (!found) {
    throw new Error(`No row for ${qualifiedName}`);
  }
  return found;
}

/** A select of the filter bar; its name is its label and its value. */
function filter(label: string) {
  return within(screen.getByRole('search')).getByRole('button', {
    name: new RegExp(`^${label} `),
  });
}

async function choose(filterLabel: string, optionLabel: string) {
  // The select opens on mouse down, like a native one.
  fireEvent.mouseDown(filter(filterLabel));
  const listbox = await screen.findByRole('listbox');
  fireEvent.click(within(listbox).getByRole('option', { name: optionLabel }));
  await waitFor(() =>
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument(),
  );
}

const ALL = [
  'payments/orders',
  'payments/ledger',
  'search/index',
  'search/cache',
  'analytics/events',
];

describe('DatabaseInventory', () => {
  it('gives the table a unique id per row (material-table warns in development without)', async () => {
    const environment = process.env.NODE_ENV;
    const warn = jest.spyOn(console, 'warn');
    // The check only runs in development builds, as in `yarn start`.
    process.env.NODE_ENV = 'development';
    try {
      await renderInventory(mockDbaasApi(inventory));
      expect(await screen.findByText('5 databases')).toBeInTheDocument();
    } finally {
      process.env.NODE_ENV = environment;
    }
    expect(warn).not.toHaveBeenCalledWith(expect.stringContaining('unique id'));
    warn.mockRestore();
  });

  it('lists every database with links to its catalog entity and its owners', async () => {
    const dbaasApi = mockDbaasApi(inventory);
    await renderInventory(dbaasApi);

    expect(await screen.findByText('5 databases')).toBeInTheDocument();
    expect(shownDatabases()).toEqual(ALL);
    expect(dbaasApi.listDatabases).toHaveBeenCalledWith({
      signal: expect.any(AbortSignal),
    });

    const orders = rowOf('payments/orders');
    expect(
      within(orders).getByRole('link', { name: 'payments/orders' }),
    ).toHaveAttribute('href', '/catalog/default/resource/payments-orders');
    expect(
      within(orders).getByRole('link', { name: /payments-team/ }),
    ).toHaveAttribute('href', '/catalog/default/group/payments-team');
    const cells = within(orders)
      .getAllByRole('cell')
      .map(cell => cell.textContent);
    expect(cells).toEqual([
      'payments/orderspayments-orders',
      'payments',
      'Readysince 2 hours ago',
      'met',
      'protected',
      'prod-eu',
      expect.stringContaining('payments-team'),
    ]);

    const index = rowOf('search/index');
    expect(within(index).getByText('Failed')).toBeInTheDocument();
    expect(
      within(index).getByRole('link', { name: /platform/ }),
    ).toHaveAttribute('href', '/catalog/default/group/platform');
    expect(
      within(rowOf('payments/ledger')).getByText('Provisioning'),
    ).toBeInTheDocument();
    expect(
      within(rowOf('payments/ledger')).getByText('since 3 minutes ago'),
    ).toBeInTheDocument();
    expect(
      within(rowOf('search/cache')).getByText('not placed yet'),
    ).toBeInTheDocument();
  });

  it('shows a restored copy as one, with where and when it was restored from, never as unmanaged', async () => {
    await renderInventory(
      mockDbaasApi([
        database('payments', 'ledger-copy', {
          status: 'restored',
          restoredFrom: {
            restoreId: 'r1',
            source: {
              namespace: 'payments',
              name: 'ledger',
              databaseName: 'payments-ledger',
            },
            snapshotCreatedAt: '2026-03-04T02:00:00.000Z',
            state: 'expiring',
            expiresAt: '2026-03-11T12:00:00.000Z',
          },
        }),
      ]),
    );
    await screen.findByText('1 database');
    const copy = rowOf('payments/ledger-copy');
    expect(copy).toHaveTextContent('Restored copy');
    expect(copy).toHaveTextContent(
      /restored from payments\/ledger at 4 Mar 2026, \d\d:\d\d/,
    );
    expect(copy).not.toHaveTextContent(/Unmanaged/);
  });

  it('shows a database whose cluster cannot be reached as unknown since when, with its last known status, not as failed', async () => {
    await renderInventory(mockDbaasApi(inventory));

    await screen.findByText('5 databases');
    const events = rowOf('analytics/events');

    expect(
      within(events).getByText('since 5 minutes ago', { exact: false })
        .parentElement,
    ).toHaveTextContent('Unknown since 5 minutes ago');
    expect(within(events).getByText(/Last known: Ready/)).toHaveTextContent(
      'Last known: Ready since 3 days ago',
    );
    expect(
      within(events).getByText('connect ECONNREFUSED 10.0.0.5:5432'),
    ).toBeInTheDocument();
    expect(within(events).getByTestId('status-unknown')).toBeInTheDocument();
    expect(
      within(events).queryByTestId('status-error'),
    ).not.toBeInTheDocument();
    expect(within(events).queryByTestId('status-ok')).not.toBeInTheDocument();
    // A failed database is flagged as such.
    expect(
      within(rowOf('search/index')).getByTestId('status-error'),
    ).toBeInTheDocument();
  });

  it.each([
    ['Tenant', 'search', 'tenant', 'search', ['search/index', 'search/cache']],
    ['Status', 'Failed', 'status', 'failed', ['search/index']],
    [
      'Status',
      'Unknown (cluster unreachable)',
      'status',
      'unknown',
      ['analytics/events'],
    ],
    [
      'Cluster',
      'dev-eu',
      'cluster',
      'dev-eu',
      ['search/index', 'analytics/events'],
    ],
    ['Mode', 'protected', 'mode', 'protected', ['payments/orders']],
  ])(
    'narrows the rows with the %s filter (%s) and puts it in the URL',
    async (label, option, param, value, expected) => {
      await renderInventory(mockDbaasApi(inventory));
      await screen.findByText('5 databases');

      await choose(label, option);

      await waitFor(() => expect(shownDatabases()).toEqual(expected));
      expect(currentSearch().get(param)).toBe(value);
      expect(
        screen.getByText(`${expected.length} of 5 databases`),
      ).toBeInTheDocument();

      await choose(
        label,
        `All ${label.toLowerCase()}${label === 'Status' ? 'es' : 's'}`,
      );

      await waitFor(() => expect(shownDatabases()).toEqual(ALL));
      expect(currentSearch().has(param)).toBe(false);
    },
  );

  it('shows the recovery objectives: missed naming which, the numbers on hover, a dash without any', async () => {
    await renderInventory(mockDbaasApi(inventory));
    await screen.findByText('5 databases');

    const events = within(rowOf('analytics/events'));
    expect(events.getByTestId('dbaas-objective-status')).toHaveTextContent(
      'missed',
    );
    expect(events.getByText('RPO', { exact: false })).toBeInTheDocument();
    expect(
      events.getByTitle(
        'RPO missed: newest recovery point 1 d 6 h old; RTO unknown',
      ),
    ).toBeInTheDocument();
    expect(
      within(rowOf('payments/orders')).getByTitle(
        'RPO met: newest recovery point 20 min old; RTO met: restores in 42 s; last drill passed',
      ),
    ).toBeInTheDocument();
    expect(
      within(rowOf('search/index')).getByTitle(
        'Recovery objectives apply to ready databases',
      ),
    ).toHaveTextContent('—');
  });

  it.each([
    ['Objective missed', 'missed', ['analytics/events']],
    ['Objectives met', 'met', ['payments/orders']],
    [
      'Not known (or not ready)',
      'unknown',
      ['payments/ledger', 'search/index', 'search/cache'],
    ],
  ])(
    'narrows the rows with the objectives filter (%s) and puts it in the URL',
    async (option, value, expected) => {
      await renderInventory(mockDbaasApi(inventory));
      await screen.findByText('5 databases');

      await choose('Objectives', option);

      await waitFor(() => expect(shownDatabases()).toEqual(expected));
      expect(currentSearch().get('objectives')).toBe(value);

      await choose('Objectives', 'Any objectives');
      await waitFor(() => expect(shownDatabases()).toEqual(ALL));
      expect(currentSearch().has('objectives')).toBe(false);
    },
  );

  it('opens with the objectives filter of a link', async () => {
    await renderInventory(mockDbaasApi(inventory), {
      url: '/dbaas?objectives=missed',
    });
    expect(await screen.findByText('1 of 5 databases')).toBeInTheDocument();
    expect(shownDatabases()).toEqual(['analytics/events']);
    expect(filter('Objectives')).toHaveTextContent('Objective missed');
  });

  it('offers the tenants and clusters the inventory holds', async () => {
    await renderInventory(mockDbaasApi(inventory));
    await screen.findByText('5 databases');

    fireEvent.mouseDown(filter('Cluster'));
    const listbox = await screen.findByRole('listbox');

    expect(
      within(listbox)
        .getAllByRole('option')
        .map(option => option.textContent),
    ).toEqual(['All clusters', 'dev-eu', 'prod-eu']);
  });

  it('combines filters and the free-text search, and keeps the search in the URL', async () => {
    await renderInventory(mockDbaasApi(inventory));
    await screen.findByText('5 databases');

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search' }), {
      target: { value: 'platform' },
    });

    await waitFor(() => expect(shownDatabases()).toEqual(['search/index']));
    expect(currentSearch().get('q')).toBe('platform');

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search' }), {
      target: { value: 'payments LEDGER' },
    });
    await waitFor(() => expect(shownDatabases()).toEqual(['payments/ledger']));

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search' }), {
      target: { value: 'payments' },
    });
    await choose('Mode', 'standard');

    await waitFor(() => expect(shownDatabases()).toEqual(['payments/ledger']));
    expect(currentSearch().toString()).toBe('q=payments&mode=standard');
  });

  it('opens with the filters of the link it was given', async () => {
    await renderInventory(mockDbaasApi(inventory), {
      url: '/dbaas?tenant=payments&status=ready&q=ord',
    });

    expect(await screen.findByText('1 of 5 databases')).toBeInTheDocument();
    expect(shownDatabases()).toEqual(['payments/orders']);
    expect(filter('Tenant')).toHaveTextContent('payments');
    expect(filter('Status')).toHaveTextContent('Ready');
    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveValue(
      'ord',
    );
  });

  it('says when no database matches, and clears the filters on request', async () => {
    await renderInventory(mockDbaasApi(inventory), {
      url: '/dbaas?tenant=billing&other=kept',
    });

    expect(
      await screen.findByText('No databases match these filters.'),
    ).toBeInTheDocument();
    // The tenant from the link stays visible although no database has it.
    expect(filter('Tenant')).toHaveTextContent('billing');

    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }));

    await waitFor(() => expect(shownDatabases()).toEqual(ALL));
    expect(currentSearch().toString()).toBe('other=kept');
  });

  it('shows that it is loading', async () => {
    const dbaasApi = mockDbaasApi();
    dbaasApi.listDatabases.mockReturnValue(
      new Promise<ListDatabasesResponse>(() => {}),
    );
    await renderInventory(dbaasApi);

    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('invites to request a database when there is none', async () => {
    await renderInventory(mockDbaasApi([]));

    expect(
      await screen.findByText('No databases yet — request one'),
    ).toBeInTheDocument();
    expect(
      // A link in the style of the header (@backstage/ui ButtonLink).
      screen.getByRole('link', { name: 'Request a database' }),
    ).toHaveAttribute('href', '/create/templates/default/postgres-database');
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('shows why the databases could not be loaded, and loads them again on retry', async () => {
    const dbaasApi = mockDbaasApi();
    const response = new Response(
      JSON.stringify({
        error: { name: 'NotAllowedError', message: 'Not allowed to read' },
        response: { statusCode: 403 },
      }),
      {
        status: 403,
        statusText: 'Forbidden',
        headers: { 'Content-Type': 'application/json' },
      },
    );
    dbaasApi.listDatabases.mockRejectedValueOnce(
      await ResponseError.fromResponse(response),
    );
    dbaasApi.listDatabases.mockResolvedValueOnce({ items: inventory });
    await renderInventory(dbaasApi);

    expect(
      await screen.findByText(
        'Could not load the databases: Not allowed to read',
        { exact: false },
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));

    expect(await screen.findByText('5 databases')).toBeInTheDocument();
    expect(dbaasApi.listDatabases).toHaveBeenCalledTimes(2);
  });

  it('refreshes, so that a database can be watched becoming ready, and keeps the rows when a refresh fails', async () => {
    const provisioning = database('payments', 'ledger', {
      status: 'provisioning',
    });
    const failedRefresh = deferred<ListDatabasesResponse>();
    const laterRefresh = deferred<ListDatabasesResponse>();
    const dbaasApi = mockDbaasApi();
    dbaasApi.listDatabases
      .mockResolvedValueOnce({ items: [provisioning] })
      .mockReturnValueOnce(failedRefresh.promise)
      .mockReturnValueOnce(laterRefresh.promise);
    await renderInventory(dbaasApi, { refreshIntervalMs: 10 });

    expect(await screen.findByText('Provisioning')).toBeInTheDocument();
    await waitFor(() =>
      expect(dbaasApi.listDatabases).toHaveBeenCalledTimes(2),
    );

    failedRefresh.reject(new Error('Network down'));

    expect(
      await screen.findByText(
        /Could not refresh the databases \(Network down\)/,
      ),
    ).toBeInTheDocument();
    expect(shownDatabases()).toEqual(['payments/ledger']);
    expect(screen.getByText('Provisioning')).toBeInTheDocument();
    await waitFor(() =>
      expect(dbaasApi.listDatabases).toHaveBeenCalledTimes(3),
    );

    laterRefresh.resolve({
      items: [{ ...provisioning, status: 'ready', statusSince: ago(0) }],
    });

    expect(await screen.findByText('Ready')).toBeInTheDocument();
    expect(screen.queryByText('Provisioning')).not.toBeInTheDocument();
    expect(screen.queryByText(/Could not refresh/)).not.toBeInTheDocument();
  });
});
