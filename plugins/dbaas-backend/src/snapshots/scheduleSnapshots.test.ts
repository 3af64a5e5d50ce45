import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { DatabaseInventoryStore } from '../inventory/DatabaseInventoryStore';
import {
  createDatabaseWithData,
  dropDatabase,
  migrated,
  testLocalCluster,
  uniqueNamespace,
} from './__testUtils__/testCluster';
import { LocalSnapshotCatalog } from './local/LocalSnapshotCatalog';
import { LocalSnapshotMaintenance } from './local/LocalSnapshotMaintenance';
import { PgToolLocator } from '../pgTools';
import { createClusterProviders } from '../providers/createClusterProviders';
import { DirectoryArchiveStore } from './local/archives/DirectoryArchiveStore';
import {
  SNAPSHOT_TASK_ID,
  runSnapshotCycle,
  scheduleSnapshots,
} from './scheduleSnapshots';
import { DatabaseSnapshotStore } from './DatabaseSnapshotStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const DAY = 24 * 3_600_000;

describe('the snapshot cycle (real PostgreSQL and pg_dump)', () => {
  let knex: Knex;
  let directory: string;
  let namespace: string;
  const created: string[] = [];

  beforeAll(async () => {
    knex = await migrated(await databases.init('POSTGRES_15'));
    namespace = uniqueNamespace();
    for (const name of ['ledger', 'orders']) {
      created.push(await createDatabaseWithData(namespace, name, 100));
    }
  });

  afterAll(async () => {
    for (const name of created) {
      await dropDatabase(name);
    }
  });

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'dbaas-cycle-'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  function setUp() {
    const logger = mockServices.logger.mock();
    const store = new DatabaseSnapshotStore(knex);
    const archives = new DirectoryArchiveStore(directory);
    const catalog = new LocalSnapshotCatalog({
      store,
      archives,
      tools: new PgToolLocator({
        setting: 'dbaas.snapshots.local.binDirectory',
      }),
      retentionDays: { production: 35, staging: 35, test: 7, dev: 7 },
      schedule: { cron: '0 2 * * *' },
      logger,
    });
    const maintenance = new LocalSnapshotMaintenance({
      store,
      archives,
      catalog,
      logger,
    });
    const inventory = new DatabaseInventoryStore(knex);
    const providers = createClusterProviders([
      testLocalCluster(),
      {
        ...testLocalCluster({ name: 'eu' }),
        provider: 'aurora' as const,
        aurora: { region: 'eu-west-1', clusterIdentifier: 'eu' },
      },
    ]);
    return { logger, store, catalog, maintenance, inventory, providers };
  }

  it('snapshots every ready database of the local clusters, skips a running one, and prunes', async () => {
    const { logger, store, catalog, maintenance, inventory, providers } =
      setUp();
    const record = (name: string, status: any, cluster: string) => ({
      namespace,
      name,
      databaseName: `${namespace}-${name}`,
      mode: 'standard' as const,
      status,
      cluster,
      pullRequests: [],
    });
    await inventory.applyUpdates([
      record('ledger', 'ready', 'local'),
      record('orders', 'ready', 'local'),
      record('pending', 'provisioning', 'local'),
      record('remote', 'ready', 'eu'),
    ]);
    // An on-demand snapshot of orders is running on another replica.
    const now = new Date();
    await store.begin({
      id: '99999999-9999-4999-8999-999999999999',
      cluster: 'local',
      databaseName: `${namespace}-orders`,
      namespace,
      name: 'orders',
      type: 'on-demand',
      createdAt: now,
      expiresAt: new Date(now.getTime() + 7 * DAY),
    });
    // An expired snapshot of ledger.
    const old = new Date(now.getTime() - 10 * DAY);
    await knex('dbaas_snapshots').insert({
      id: '88888888-8888-4888-8888-888888888888',
      cluster: 'local',
      database_name: `${namespace}-ledger`,
      namespace,
      name: 'ledger',
      type: 'scheduled',
      status: 'available',
      created_at: old,
      completed_at: old,
      heartbeat_at: old,
      expires_at: new Date(old.getTime() + 7 * DAY),
      size_bytes: 4,
      checksum: 'sha256:00',
    });

    const result = await runSnapshotCycle({
      inventory,
      providers,
      catalog,
      maintenance,
      logger,
    });

    expect(result.taken).toHaveLength(1);
    expect(result.failed).toEqual({});
    expect(Object.keys(result.skipped)).toEqual([`local/${namespace}-orders`]);
    const ledger = await store.listForDatabase('local', `${namespace}-ledger`);
    expect(ledger.map(s => [s.id, s.type, s.status])).toEqual([
      [result.taken[0], 'scheduled', 'available'],
    ]);
    // The expired one went now that a newer snapshot exists.
    expect(result.prune.pruned).toEqual([
      '88888888-8888-4888-8888-888888888888',
    ]);
    expect(
      await store.listForDatabase('local', `${namespace}-pending`),
    ).toEqual([]);
  });

  it('registers one global task on the configured schedule', async () => {
    const { logger, catalog, maintenance, inventory, providers } = setUp();
    const scheduler = mockServices.scheduler.mock();
    await scheduleSnapshots({
      scheduler,
      settings: {
        schedule: {
          frequency: { cron: '30 3 * * *' },
          timeout: { hours: 2 },
          scope: 'global',
        },
      },
      inventory,
      providers,
      catalog,
      maintenance,
      logger,
    });
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: SNAPSHOT_TASK_ID,
        scope: 'global',
        frequency: { cron: '30 3 * * *' },
        timeout: { hours: 2 },
      }),
    );
  });
});
