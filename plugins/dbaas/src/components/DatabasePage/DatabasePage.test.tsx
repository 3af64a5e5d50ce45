import { screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { dbaasApiRef } from '../../api/DbaasApi';
import {
  ago,
  MINUTE,
  readyDatabase,
  responseError,
} from '../DatabaseTab/testFixtures';
import { DatabasePage } from './DatabasePage';
import { LIFECYCLE_POLL_MS } from './useDatabaseLifecycle';

jest.setTimeout(30_000);

const requested = readyDatabase({
  namespace: 'payments',
  name: 'orders',
  databaseName: 'payments-orders',
  entityRef: 'resource:default/payments-orders',
  status: 'requested',
  statusSince: ago(MINUTE),
  pullRequests: [
    {
      number: 7,
      url: `file:///srv/apps#${'c'.repeat(40)}`,
      kind: 'create',
      state: 'open',
      updatedAt: ago(MINUTE),
    },
  ],
  history: [{ status: 'requested', at: ago(MINUTE) }],
});

function renderPage(options: {
  getDatabase: jest.Mock;
  catalogApi?: ReturnType<typeof catalogApiMock.mock>;
}) {
  renderInTestApp(
    <Routes>
      <Route
        path="/dbaas/databases/:namespace/:name"
        element={<DatabasePage />}
      />
    </Routes>,
    {
      apis: [
        [dbaasApiRef, { getDatabase: options.getDatabase }],
        [catalogApiRef, options.catalogApi ?? catalogApiMock.mock()],
      ],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      initialRouteEntries: ['/dbaas/databases/payments/orders'],
    },
  );
}

function currentStep() {
  return within(screen.getByRole('list', { name: 'Lifecycle' }))
    .getAllByRole('listitem')
    .find(step => step.getAttribute('aria-current') === 'step');
}

describe('DatabasePage', () => {
  it('shows a database the inventory does not know yet as on its way, and its lifecycle once it does, without the catalog entity', async () => {
    const getDatabase = jest
      .fn()
      .mockRejectedValueOnce(
        await responseError(404, 'Not Found', 'not in the inventory'),
      )
      .mockResolvedValue(requested);
    renderPage({ getDatabase });

    expect(
      await screen.findByRole('heading', { name: 'payments-orders' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('Not in the inventory yet'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Entity not found/i)).not.toBeInTheDocument();
    expect(getDatabase).toHaveBeenCalledWith(
      { namespace: 'payments', name: 'orders' },
      { signal: expect.any(AbortSignal) },
    );

    expect(
      await screen.findByTestId('dbaas-status', undefined, {
        timeout: LIFECYCLE_POLL_MS + 2000,
      }),
    ).toHaveTextContent(/^requested$/);
    expect(currentStep()).toHaveTextContent('requested');
    // The local repository's change is named, not linked to a file:// URL.
    const pullRequests = screen.getByRole('list', { name: 'Pull requests' });
    expect(pullRequests).toHaveTextContent(
      '#7 create · open · local apps repository, commit cccccccccccc',
    );
    expect(within(pullRequests).queryByRole('link')).not.toBeInTheDocument();
    expect(
      await screen.findByText(
        /The catalog does not have resource:default\/payments-orders yet/,
      ),
    ).toBeInTheDocument();
  });

  it('links to the catalog entity once the catalog has it', async () => {
    const getDatabase = jest.fn().mockResolvedValue(
      readyDatabase({
        namespace: 'payments',
        name: 'orders',
        databaseName: 'payments-orders',
      }),
    );
    const catalogApi = catalogApiMock.mock({
      getEntityByRef: jest.fn().mockResolvedValue({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: { name: 'payments-orders', namespace: 'default' },
      }),
    });
    renderPage({ getDatabase, catalogApi });

    expect(await screen.findByTestId('dbaas-status')).toHaveTextContent(
      /^ready$/,
    );
    expect(
      await screen.findByRole('link', {
        name: 'Open resource:default/payments-orders in the catalog',
      }),
    ).toHaveAttribute('href', '/catalog/default/resource/payments-orders');
    expect(catalogApi.getEntityByRef).toHaveBeenCalledWith(
      'resource:default/payments-orders',
    );
  });

  it('says why it cannot show the database, and loads again on Retry', async () => {
    const getDatabase = jest
      .fn()
      .mockRejectedValueOnce(
        await responseError(500, 'Internal Server Error', 'database is down'),
      )
      .mockResolvedValue(requested);
    renderPage({ getDatabase });

    expect(
      await screen.findByText(
        /Could not load payments\/orders: database is down/,
      ),
    ).toBeInTheDocument();
    screen.getByRole('button', { name: 'Retry' }).click();
    expect(await screen.findByTestId('dbaas-status')).toHaveTextContent(
      /^requested$/,
    );
  });
});
