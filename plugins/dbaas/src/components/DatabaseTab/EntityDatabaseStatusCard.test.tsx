import { screen } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { dbaasApiRef } from '../../api/DbaasApi';
import { EntityDatabaseStatusCard } from './EntityDatabaseStatusCard';
import {
  componentEntity,
  mockDbaasApi,
  pending,
  readyDatabase,
  resourceEntity,
  responseError,
} from './testFixtures';

function renderCard(entity: Entity, dbaasApi = mockDbaasApi()) {
  renderInTestApp(
    <EntityProvider entity={entity}>
      <EntityDatabaseStatusCard />
    </EntityProvider>,
    { apis: [[dbaasApiRef, dbaasApi]] },
  );
  return dbaasApi;
}

describe('EntityDatabaseStatusCard', () => {
  it('summarizes the status of the annotated database', async () => {
    const dbaasApi = mockDbaasApi();
    dbaasApi.getDatabase.mockResolvedValue(
      readyDatabase({ status: 'failed', lastError: 'disk full' }),
    );
    renderCard(resourceEntity('payments-ledger', 'payments/ledger'), dbaasApi);

    expect(await screen.findByTestId('dbaas-status')).toHaveTextContent(
      'failed',
    );
    expect(screen.getByRole('alert', { name: 'Last error' })).toHaveTextContent(
      'disk full',
    );
    expect(
      screen.queryByRole('list', { name: 'History' }),
    ).not.toBeInTheDocument();
    expect(dbaasApi.getDatabase).toHaveBeenCalledWith(
      { namespace: 'payments', name: 'ledger' },
      { signal: expect.any(AbortSignal) },
    );
  });

  it('shows that it is loading', async () => {
    const dbaasApi = mockDbaasApi();
    dbaasApi.getDatabase.mockReturnValue(pending());
    renderCard(resourceEntity('payments-ledger', 'payments/ledger'), dbaasApi);

    expect(
      await screen.findByRole('progressbar', { name: 'Loading the database' }),
    ).toBeInTheDocument();
  });

  it('says when the user may not see the database', async () => {
    const dbaasApi = mockDbaasApi();
    dbaasApi.getDatabase.mockRejectedValue(
      await responseError(403, 'Forbidden', 'Not allowed'),
    );
    renderCard(resourceEntity('payments-ledger', 'payments/ledger'), dbaasApi);

    expect(
      await screen.findByText('You may not see this database'),
    ).toBeInTheDocument();
  });

  it('explains an entity without the annotation, and asks nothing', async () => {
    const dbaasApi = renderCard(componentEntity());

    expect(
      await screen.findByText(
        'This entity has no dbaas.io/database annotation.',
      ),
    ).toBeInTheDocument();
    expect(dbaasApi.getDatabase).not.toHaveBeenCalled();
  });

  it('shows why the annotation cannot be read', async () => {
    renderCard(resourceEntity('odd', 'a/b/c'));

    expect(
      await screen.findByText(
        'Invalid dbaas.io/database annotation `a/b/c`: expected `<namespace>/<name>`',
      ),
    ).toBeInTheDocument();
  });
});
