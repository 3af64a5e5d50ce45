import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  AppsRepository,
  ClusterSettings,
  PostgresProvisioner,
} from '@dbaas/plugin-dbaas-node';
import { InventoryStore } from './InventoryStore';
import { createClusterProviders } from '../providers/createClusterProviders';
import { createInventory } from './createInventory';
import { INVENTORY_SYNC_TASK_ID } from './scheduleInventorySync';
import { applyDatabaseMigrations } from '../database/migrations';

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

const connection = {
  host: 'localhost',
  port: 5432,
  user: 'postgres',
  database: 'postgres',
  ssl: false,
} as ClusterSettings['connection'];

function cluster(
  name: string,
  provider: ClusterSettings['provider'],
): ClusterSettings {
  return {
    name,
    environment: 'dev',
    provider,
    connection,
    publicEndpoint: { host: 'localhost', port: 5432 },
    aurora:
      provider === 'aurora'
        ? { region: 'eu-west-1', clusterIdentifier: name }
        : undefined,
    namespaces: [],
    capacity: 1,
  };
}

describe('createInventory', () => {
  it('schedules the sync from dbaas.inventory and gives the provisioners of the clusters the suite provisions', async () => {
    // The sync's request store registers its task row at creation.
    const knex = await databases.init('POSTGRES_15');
    await applyDatabaseMigrations(mockServices.database({ knex }));
    const scheduler = mockServices.scheduler.mock();
    const beforeDrop = jest.fn(() => async () => {});
    const inventory = await createInventory({
      config: new ConfigReader({
        dbaas: {
          inventory: {
            schedule: { frequency: { minutes: 5 }, timeout: { minutes: 3 } },
          },
        },
      }),
      logger: mockServices.logger.mock(),
      scheduler,
      auditor: mockServices.auditor.mock(),
      knex,
      inventory: {} as InventoryStore,
      providers: createClusterProviders([
        cluster('prod', 'aurora'),
        cluster('dev', 'local'),
      ]),
      appsRepo: {} as AppsRepository,
      basePath: '',
      tenants: { listTenants: async () => [] },
      beforeDrop,
    });

    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: INVENTORY_SYNC_TASK_ID,
        frequency: { minutes: 5 },
        timeout: { minutes: 3 },
        scope: 'global',
      }),
    );
    expect(inventory.task.taskId).toBe(INVENTORY_SYNC_TASK_ID);
    expect([...inventory.provisioners.keys()]).toEqual(['dev']);
    expect(inventory.provisioners.get('dev')).toBeInstanceOf(
      PostgresProvisioner,
    );
    // Restores create new databases on both: with the same provisioner on
    // the self-hosted cluster, with the Aurora provider's own on Aurora.
    expect([...inventory.newDatabaseProvisioners.keys()]).toEqual([
      'prod',
      'dev',
    ]);
    expect(inventory.newDatabaseProvisioners.get('dev')).toBe(
      inventory.provisioners.get('dev'),
    );
    expect(inventory.newDatabaseProvisioners.get('prod')).toBeInstanceOf(
      PostgresProvisioner,
    );
  });
});
