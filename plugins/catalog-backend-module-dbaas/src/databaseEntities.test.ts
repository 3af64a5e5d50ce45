import {
  DatabaseSummary,
  isDbaasGeneratedEntity,
} from '@dbaas/plugin-dbaas-common';
import { clusterEntity, databaseEntity } from './databaseEntities';

const ledger: DatabaseSummary = {
  namespace: 'payments',
  name: 'ledger',
  databaseName: 'payments-ledger',
  mode: 'protected',
  status: 'ready',
  statusSince: '2026-11-21T10:00:00.000Z',
  cluster: 'local',
  entityRef: 'resource:default/payments-ledger',
  owners: ['group:default/payments'],
};

describe('database entities', () => {
  it('makes a database Resource owned by the tenant, depending on its cluster', () => {
    expect(databaseEntity(ledger, 'group:default/platform')).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'payments-ledger',
        title: 'payments/ledger',
        description:
          'PostgreSQL database ledger of tenant payments (protected)',
        annotations: {
          'backstage.io/managed-by-location': 'dbaas:inventory',
          'backstage.io/managed-by-origin-location': 'dbaas:inventory',
          'dbaas.io/database': 'payments/ledger',
        },
        labels: {
          'dbaas.io/namespace': 'payments',
          'dbaas.io/mode': 'protected',
        },
        tags: ['postgresql'],
      },
      spec: {
        type: 'database',
        owner: 'group:default/payments',
        dependsOn: ['resource:default/dbaas-cluster-local'],
      },
    });
  });

  it('describes a restored copy as one', () => {
    const entity = databaseEntity(
      {
        ...ledger,
        name: 'ledger-copy',
        databaseName: 'payments-ledger-copy',
        mode: 'standard',
        status: 'restored',
        restoredFrom: {
          restoreId: 'r1',
          source: {
            namespace: 'payments',
            name: 'ledger',
            databaseName: 'payments-ledger',
          },
          snapshotCreatedAt: '2026-11-26T02:00:00.000Z',
          state: 'expiring',
          expiresAt: '2026-12-03T10:00:00.000Z',
        },
      },
      'group:default/platform',
    );
    expect(entity?.metadata.description).toBe(
      'Restored copy of payments-ledger at 2026-11-26T02:00:00.000Z, tenant payments; not in the apps repository',
    );
  });

  it('falls back to the platform owner and drops gone databases', () => {
    expect(
      databaseEntity(
        { ...ledger, owners: [], cluster: undefined },
        'group:default/platform',
      )?.spec,
    ).toEqual({ type: 'database', owner: 'group:default/platform' });
    expect(
      databaseEntity({ ...ledger, status: 'deleted' }, 'x'),
    ).toBeUndefined();
    expect(
      databaseEntity({ ...ledger, status: 'abandoned' }, 'x'),
    ).toBeUndefined();
    expect(
      databaseEntity({ ...ledger, status: 'orphaned' }, 'x'),
    ).toBeDefined();
  });

  it('makes a cluster Resource', () => {
    expect(
      clusterEntity(
        { name: 'local', environment: 'dev' },
        'group:default/platform',
      ),
    ).toMatchObject({
      metadata: { name: 'dbaas-cluster-local', title: 'local' },
      spec: { type: 'database-cluster', owner: 'group:default/platform' },
    });
  });

  // The frontend hides "Unregister entity" for exactly these.
  it('marks databases and clusters as generated', () => {
    expect(
      isDbaasGeneratedEntity(databaseEntity(ledger, 'group:default/platform')!),
    ).toBe(true);
    expect(
      isDbaasGeneratedEntity(
        clusterEntity({ name: 'local' }, 'group:default/platform'),
      ),
    ).toBe(true);
  });
});
