import { screen } from '@testing-library/react';
import { getComponentData } from '@backstage/core-plugin-api';
import { renderInTestApp, mockApis } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  catalogApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import * as legacyExports from '../../index';
import { dbaasApiRef } from '../../api/DbaasApi';
import {
  EntityDatabaseContent,
  EntityDatabaseStatusCard,
  dbaasPlugin,
} from '../../plugin';
import {
  connectionInfo,
  mockDbaasApi,
  readyDatabase,
  resourceEntity,
} from './testFixtures';

describe('legacy Database tab and card', () => {
  it('belong to dbaasPlugin, so that using them registers the API', () => {
    expect(getComponentData(<EntityDatabaseContent />, 'core.plugin')).toBe(
      dbaasPlugin,
    );
    expect(getComponentData(<EntityDatabaseStatusCard />, 'core.plugin')).toBe(
      dbaasPlugin,
    );
  });

  it('are exported with isDbaasDatabaseAvailable', () => {
    expect(legacyExports.EntityDatabaseContent).toBe(EntityDatabaseContent);
    expect(legacyExports.EntityDatabaseStatusCard).toBe(
      EntityDatabaseStatusCard,
    );
    expect(
      legacyExports.isDbaasDatabaseAvailable(
        resourceEntity('payments-ledger', 'payments/ledger'),
      ),
    ).toBe(true);
  });

  it('render the tab of the entity in context', async () => {
    const dbaasApi = mockDbaasApi();
    dbaasApi.getDatabase.mockResolvedValue(readyDatabase());
    dbaasApi.getConnectionInfo.mockResolvedValue(connectionInfo());

    renderInTestApp(
      <EntityProvider
        entity={resourceEntity('payments-ledger', 'payments/ledger')}
      >
        <EntityDatabaseContent />
      </EntityProvider>,
      {
        apis: [
          mockApis.permission(),
          [dbaasApiRef, dbaasApi],
          [catalogApiRef, catalogApiMock.mock()],
        ],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );

    expect(await screen.findByTestId('dbaas-status')).toHaveTextContent(
      'ready',
    );
    expect(
      await screen.findByRole('tablist', { name: 'Snippet format' }),
    ).toBeInTheDocument();
  });
});
