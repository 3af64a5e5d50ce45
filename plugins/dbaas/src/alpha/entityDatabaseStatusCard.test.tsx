import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import dbaasPlugin from '../alpha';
import { dbaasApiRef } from '../api/DbaasApi';
import {
  componentEntity,
  mockDbaasApi,
  readyDatabase,
  resourceEntity,
} from '../components/DatabaseTab/testFixtures';
import { entityDatabaseStatusCard } from './entityDatabaseStatusCard';

describe('entityDatabaseStatusCard', () => {
  it('applies to entities with the dbaas.io/database annotation only', () => {
    const filter = createExtensionTester(entityDatabaseStatusCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    );

    expect(
      dbaasPlugin.getExtension('entity-card:dbaas/database-status'),
    ).toBeDefined();
    expect(filter?.(resourceEntity('payments-ledger', 'payments/ledger'))).toBe(
      true,
    );
    expect(filter?.(resourceEntity('legacy-db'))).toBe(false);
    expect(filter?.(componentEntity())).toBe(false);
  });

  it('renders the status on the overview', async () => {
    const dbaasApi = mockDbaasApi();
    dbaasApi.getDatabase.mockResolvedValue(
      readyDatabase({ status: 'provisioning' }),
    );

    renderTestApp({
      extensions: [
        createTestEntityPage({
          entity: resourceEntity('payments-ledger', 'payments/ledger'),
        }),
        entityDatabaseStatusCard,
      ],
      apis: [[dbaasApiRef, dbaasApi]],
    });

    // The card is a lazy chunk: on a busy machine it takes longer than
    // findBy's default second to load.
    expect(
      await screen.findByTestId('dbaas-status', {}, { timeout: 10_000 }),
    ).toHaveTextContent('provisioning');
  });
});
