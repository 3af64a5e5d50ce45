import { screen } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderTestApp,
  mockApis,
} from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  catalogApiMock,
  createTestEntityPage,
} from '@backstage/plugin-catalog-react/testUtils';
import dbaasPlugin from '../alpha';
import { dbaasApiRef } from '../api/DbaasApi';
import { isDbaasDatabaseAvailable } from '../components/DatabaseTab';
import {
  componentEntity,
  connectionInfo,
  dependsOn,
  mockDbaasApi,
  readyDatabase,
  resourceEntity,
} from '../components/DatabaseTab/testFixtures';
import { entityDatabaseContent } from './entityDatabaseContent';

const ENTITIES: Array<[string, Entity, boolean]> = [
  [
    'an annotated database Resource',
    resourceEntity('payments-ledger', 'payments/ledger'),
    true,
  ],
  [
    'a database Resource without the annotation',
    resourceEntity('legacy-db'),
    true,
  ],
  [
    'a Resource of another type',
    resourceEntity('bucket', undefined, 's3-bucket'),
    false,
  ],
  [
    'an annotated Component',
    componentEntity({
      metadata: {
        name: 'ledger-api',
        annotations: { 'dbaas.io/database': 'payments/ledger' },
      },
    }),
    true,
  ],
  [
    'a Component depending on a Resource',
    componentEntity({ relations: dependsOn('resource:default/x') }),
    true,
  ],
  [
    'a Component depending on Components only',
    componentEntity({ relations: dependsOn('component:default/auth') }),
    false,
  ],
  ['a plain Component', componentEntity(), false],
  [
    'a System depending on a Resource',
    {
      ...componentEntity({ relations: dependsOn('resource:default/x') }),
      kind: 'System',
    },
    false,
  ],
];

describe('entityDatabaseContent', () => {
  const tester = createExtensionTester(entityDatabaseContent);

  it('is the Database tab at database', () => {
    expect(
      dbaasPlugin.getExtension('entity-content:dbaas/database'),
    ).toBeDefined();
    expect(tester.get(coreExtensionData.routePath)).toBe('database');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Database');
  });

  it.each(ENTITIES)(
    'shows on %s as the legacy isDbaasDatabaseAvailable does',
    (_, entity, expected) => {
      const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
      expect(filter?.(entity)).toBe(expected);
      expect(isDbaasDatabaseAvailable(entity)).toBe(expected);
    },
  );

  it('renders the tab on an entity page, loading its code lazily', async () => {
    const dbaasApi = mockDbaasApi();
    dbaasApi.getDatabase.mockResolvedValue(readyDatabase());
    dbaasApi.getConnectionInfo.mockResolvedValue(connectionInfo());

    renderTestApp({
      extensions: [
        createTestEntityPage({
          entity: resourceEntity('payments-ledger', 'payments/ledger'),
        }),
        entityDatabaseContent,
      ],
      apis: [
        mockApis.permission(),
        [dbaasApiRef, dbaasApi],
        [catalogApiRef, catalogApiMock.mock()],
      ],
    });

    expect(await screen.findByTestId('dbaas-status')).toHaveTextContent(
      'ready',
    );
  });

  it('is left out of the page of an entity it does not apply to', async () => {
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: componentEntity() }),
        entityDatabaseContent,
      ],
    });

    expect(await screen.findByTestId('empty-entity-page')).toBeInTheDocument();
  });
});
