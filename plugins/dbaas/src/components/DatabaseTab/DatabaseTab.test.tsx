import { useLocation } from 'react-router-dom';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  catalogApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { dbaasApiRef } from '../../api/DbaasApi';
import { DatabaseTab } from './DatabaseTab';
import {
  componentEntity,
  connectionInfo,
  dependsOn,
  mockDbaasApi,
  pending,
  readyDatabase,
  resourceEntity,
  responseError,
} from './testFixtures';

const LocationDisplay = () => (
  <div data-testid="location">{useLocation().search}</div>
);

function readyApi() {
  const dbaasApi = mockDbaasApi();
  dbaasApi.getDatabase.mockImplementation(async ref =>
    readyDatabase({
      namespace: ref.namespace,
      name: ref.name,
      databaseName: `${ref.namespace}-${ref.name}`,
    }),
  );
  dbaasApi.getConnectionInfo.mockResolvedValue(connectionInfo());
  return dbaasApi;
}

function renderTab(
  entity: Entity,
  options: {
    dbaasApi?: ReturnType<typeof mockDbaasApi>;
    catalogApi?: ReturnType<typeof catalogApiMock.mock>;
    url?: string;
  } = {},
) {
  const dbaasApi = options.dbaasApi ?? readyApi();
  const catalogApi = options.catalogApi ?? catalogApiMock.mock();
  renderInTestApp(
    <EntityProvider entity={entity}>
      <DatabaseTab />
      <LocationDisplay />
    </EntityProvider>,
    {
      apis: [
        mockApis.permission(),
        [dbaasApiRef, dbaasApi],
        [catalogApiRef, catalogApi],
      ],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      initialRouteEntries: [options.url ?? '/'],
    },
  );
  return { dbaasApi, catalogApi };
}

describe('DatabaseTab', () => {
  it('shows the Status, About and Connection cards of a database Resource', async () => {
    const { dbaasApi, catalogApi } = renderTab(
      resourceEntity('payments-ledger', 'payments/ledger'),
    );

    expect(await screen.findByTestId('dbaas-status')).toHaveTextContent(
      /^ready$/,
    );
    expect(screen.getByText('About')).toBeInTheDocument();
    expect(
      await screen.findByRole('tablist', { name: 'Snippet format' }),
    ).toBeInTheDocument();
    expect(dbaasApi.getDatabase).toHaveBeenCalledWith(
      { namespace: 'payments', name: 'ledger' },
      { signal: expect.any(AbortSignal) },
    );
    expect(catalogApi.getEntitiesByRefs).not.toHaveBeenCalled();
    expect(
      screen.queryByRole('button', { name: /Database/ }),
    ).not.toBeInTheDocument();
  });

  it('puts the Connection card first and repeats no database name under the card titles', async () => {
    renderTab(resourceEntity('payments-ledger', 'payments/ledger'));

    await screen.findByRole(
      'tablist',
      { name: 'Snippet format' },
      { timeout: 5000 },
    );
    // The titles of the cards (InfoCard headers), in the order of the page.
    const titles = Array.from(
      document.querySelectorAll('.MuiCardHeader-title'),
    ).map(title => title.textContent);
    expect(titles.indexOf('Connection')).toBeGreaterThanOrEqual(0);
    expect(titles.indexOf('Connection')).toBeLessThan(titles.indexOf('Status'));
    expect(titles.indexOf('Status')).toBeLessThan(titles.indexOf('Metrics'));
    // The entity page says which database this is; no card repeats it.
    const subheaders = Array.from(
      document.querySelectorAll('.MuiCardHeader-subheader'),
    ).map(subheader => subheader.textContent);
    expect(subheaders.join(' ')).not.toMatch(/payments.ledger/);
  });

  it('shows that it is loading the database', async () => {
    const dbaasApi = mockDbaasApi();
    dbaasApi.getDatabase.mockReturnValue(pending());
    renderTab(resourceEntity('payments-ledger', 'payments/ledger'), {
      dbaasApi,
    });

    expect(
      await screen.findByRole('progressbar', { name: 'Loading the database' }),
    ).toBeInTheDocument();
  });

  it('explains a database Resource dbaas does not manage', async () => {
    renderTab(resourceEntity('legacy-db'));

    expect(
      await screen.findByText('This database is not managed by dbaas'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'The Resource has no dbaas.io/database annotation. Databases requested through the portal carry dbaas.io/database: <namespace>/<name>.',
      ),
    ).toBeInTheDocument();
  });

  it('explains how to link a database to a component that has none', async () => {
    const catalogApi = catalogApiMock.mock({
      getEntitiesByRefs: jest.fn().mockResolvedValue({
        items: [resourceEntity('bucket', undefined, 's3-bucket')],
      }),
    });
    renderTab(
      componentEntity({ relations: dependsOn('resource:default/bucket') }),
      { catalogApi },
    );

    expect(
      await screen.findByText('No database linked to this entity'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Neither this entity nor a Resource it depends on carries the dbaas.io/database annotation. Link a database in catalog-info.yaml:',
      ),
    ).toBeInTheDocument();
  });

  it('shows why an annotation cannot be read', async () => {
    renderTab(
      componentEntity({
        metadata: {
          name: 'ledger-api',
          namespace: 'default',
          annotations: { 'dbaas.io/database': 'ledger' },
        },
      }),
    );

    expect(
      await screen.findByText(
        'component:default/ledger-api: Invalid dbaas.io/database annotation `ledger`: expected `<namespace>/<name>`',
      ),
    ).toBeInTheDocument();
  });

  it('lets a component with several databases pick one, and keeps the pick in the URL', async () => {
    const catalogApi = catalogApiMock.mock({
      getEntitiesByRefs: jest.fn().mockResolvedValue({
        items: [
          resourceEntity('payments-ledger', 'payments/ledger'),
          resourceEntity('bucket', undefined, 's3-bucket'),
          resourceEntity('payments-audit', 'payments/audit'),
        ],
      }),
    });
    const { dbaasApi } = renderTab(
      componentEntity({
        relations: dependsOn(
          'resource:default/payments-ledger',
          'resource:default/bucket',
          'resource:default/payments-audit',
        ),
      }),
      { catalogApi },
    );

    const selector = await screen.findByRole('button', {
      name: /payments\/ledger/,
    });
    expect(await screen.findByTestId('dbaas-status')).toBeInTheDocument();
    expect(catalogApi.getEntitiesByRefs).toHaveBeenCalledWith({
      entityRefs: [
        'resource:default/payments-ledger',
        'resource:default/bucket',
        'resource:default/payments-audit',
      ],
      fields: [
        'kind',
        'metadata.namespace',
        'metadata.name',
        'metadata.annotations',
      ],
    });
    expect(dbaasApi.getDatabase).toHaveBeenLastCalledWith(
      { namespace: 'payments', name: 'ledger' },
      expect.anything(),
    );

    fireEvent.mouseDown(selector);
    const options = within(await screen.findByRole('listbox')).getAllByRole(
      'option',
    );
    expect(options.map(option => option.textContent)).toEqual([
      'payments/ledger',
      'payments/audit',
    ]);
    fireEvent.click(options[1]);

    await waitFor(() =>
      expect(dbaasApi.getDatabase).toHaveBeenLastCalledWith(
        { namespace: 'payments', name: 'audit' },
        expect.anything(),
      ),
    );
    expect(
      new URLSearchParams(screen.getByTestId('location').textContent!).get(
        'database',
      ),
    ).toBe('payments/audit');
    expect(
      await screen.findByRole('button', { name: /payments\/audit/ }),
    ).toBeInTheDocument();
  });

  it('opens on the database the URL names', async () => {
    const catalogApi = catalogApiMock.mock({
      getEntitiesByRefs: jest.fn().mockResolvedValue({
        items: [
          resourceEntity('payments-ledger', 'payments/ledger'),
          resourceEntity('payments-audit', 'payments/audit'),
        ],
      }),
    });
    const { dbaasApi } = renderTab(
      componentEntity({
        metadata: {
          name: 'ledger-api',
          namespace: 'default',
          annotations: { 'dbaas.io/database': 'payments/ledger' },
        },
        relations: dependsOn(
          'resource:default/payments-ledger',
          'resource:default/payments-audit',
        ),
      }),
      { catalogApi, url: '/?database=payments%2Faudit&format=psql' },
    );

    expect(
      await screen.findByRole('button', { name: /payments\/audit/ }),
    ).toBeInTheDocument();
    expect(dbaasApi.getDatabase).toHaveBeenCalledTimes(1);
    expect(dbaasApi.getDatabase).toHaveBeenCalledWith(
      { namespace: 'payments', name: 'audit' },
      expect.anything(),
    );
    expect(await screen.findByTestId('dbaas-snippet-psql')).toBeInTheDocument();
  });

  it('shows why the Resources a component depends on could not be loaded', async () => {
    const catalogApi = catalogApiMock.mock({
      getEntitiesByRefs: jest
        .fn()
        .mockRejectedValue(new Error('catalog is down')),
    });
    renderTab(
      componentEntity({
        relations: dependsOn('resource:default/payments-ledger'),
      }),
      { catalogApi },
    );

    expect(
      await screen.findByText(
        'Error: Could not load the Resources this entity depends on: catalog is down',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('says when the database is not in the inventory (404)', async () => {
    const dbaasApi = mockDbaasApi();
    dbaasApi.getDatabase.mockRejectedValue(
      await responseError(404, 'Not Found', 'No database payments/ledger'),
    );
    renderTab(resourceEntity('payments-ledger', 'payments/ledger'), {
      dbaasApi,
    });

    expect(
      await screen.findByText('Database not in the inventory'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'The dbaas backend knows no database payments/ledger. It may not have been requested yet, or the dbaas.io/database annotation names the wrong one.',
      ),
    ).toBeInTheDocument();
  });

  it('says when the user may not see the database (403)', async () => {
    const dbaasApi = mockDbaasApi();
    dbaasApi.getDatabase.mockRejectedValue(
      await responseError(403, 'Forbidden', 'Not allowed'),
    );
    renderTab(resourceEntity('payments-ledger', 'payments/ledger'), {
      dbaasApi,
    });

    expect(
      await screen.findByText('You may not see this database'),
    ).toBeInTheDocument();
  });

  it('shows another failure, and loads again on retry', async () => {
    const dbaasApi = readyApi();
    dbaasApi.getDatabase.mockRejectedValueOnce(
      await responseError(500, 'Internal Server Error', 'inventory broken'),
    );
    renderTab(resourceEntity('payments-ledger', 'payments/ledger'), {
      dbaasApi,
    });

    expect(
      await screen.findByText(
        'Error: Could not load payments/ledger: inventory broken',
      ),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));

    expect(await screen.findByTestId('dbaas-status')).toHaveTextContent(
      'ready',
    );
  });

  it('still shows status and facts when connection details are forbidden', async () => {
    const dbaasApi = readyApi();
    dbaasApi.getConnectionInfo.mockRejectedValue(
      await responseError(403, 'Forbidden', 'Not allowed'),
    );
    renderTab(resourceEntity('payments-ledger', 'payments/ledger'), {
      dbaasApi,
    });

    expect(
      await screen.findByText(
        'You may not see connection details of this database.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('dbaas-status')).toHaveTextContent('ready');
    expect(screen.getByText('About')).toBeInTheDocument();
  });
});
