import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { DatabaseSnapshotStore } from '../DatabaseSnapshotStore';
import { SnapshotUsage } from '../SnapshotUsage';
import { migrated, testLocalCluster } from '../__testUtils__/testCluster';
import { LocalSnapshotCatalog } from './LocalSnapshotCatalog';
import {
  LocalSnapshotMaintenance,
  PRUNED_ROW_RETENTION_DAYS,
} from './LocalSnapshotMaintenance';
import { PgToolLocator } from '../../pgTools';
import { DirectoryArchiveStore } from './archives/DirectoryArchiveStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const DAY = 24 * 3_600_000;
const NOW = new Date('2026-11-25T03:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);

/** Ids readable in failures: 0000000N-... */
const id = (n: number) =>
  `${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`;

describe('LocalSnapshotMaintenance', () => {
  let knex: Knex;
  let directory: string;
  let store: DatabaseSnapshotStore;
  let archives: DirectoryArchiveStore;
  let maintenance: LocalSnapshotMaintenance;

  beforeAll(async () => {
    knex = await migrated(await databases.init('POSTGRES_15'));
  });

  beforeEach(async () => {
    await knex('dbaas_snapshots').delete();
    directory = await mkdtemp(join(tmpdir(), 'dbaas-maintenance-'));
    store = new DatabaseSnapshotStore(knex);
    archives = new DirectoryArchiveStore(directory);
    const logger = mockServices.logger.mock();
    maintenance = new LocalSnapshotMaintenance({
      store,
      archives,
      logger,
      catalog: new LocalSnapshotCatalog({
        store,
        archives,
        tools: new PgToolLocator({
          setting: 'dbaas.snapshots.local.binDirectory',
        }),
        retentionDays: { production: 35, staging: 35, test: 7, dev: 7 },
        schedule: { cron: '0 2 * * *' },
        logger,
        now: () => NOW,
      }),
    });
  });

  afterEach(() => rm(directory, { recursive: true, force: true }));

  const fileOf = (n: number, database = 'payments-ledger') =>
    join(directory, 'local', database, `${id(n)}.dump`);
  const partialOf = (n: number, database = 'payments-ledger') =>
    `${fileOf(n, database)}.partial`;

  /** A snapshot row (taken `age` days ago, kept 7 days) and, unless failed, its file. */
  async function snapshot(
    n: number,
    options: {
      database?: string;
      age: number;
      status?: 'available' | 'failed' | 'creating';
      heartbeatAge?: number;
      size?: number;
    },
  ) {
    const database = options.database ?? 'payments-ledger';
    const createdAt = daysAgo(options.age);
    const status = options.status ?? 'available';
    await knex('dbaas_snapshots').insert({
      id: id(n),
      cluster: 'local',
      database_name: database,
      namespace: database.split('-')[0],
      name: database.split('-').slice(1).join('-'),
      type: 'scheduled',
      status,
      created_at: createdAt,
      completed_at: status === 'creating' ? null : createdAt,
      heartbeat_at: daysAgo(options.heartbeatAge ?? options.age),
      expires_at: new Date(createdAt.getTime() + 7 * DAY),
      size_bytes: status === 'available' ? options.size ?? 100 : null,
      checksum: status === 'available' ? 'sha256:00' : null,
      error: status === 'failed' ? 'pg_dump failed' : null,
    });
    if (status !== 'failed') {
      await mkdir(join(directory, 'local', database), { recursive: true });
      const path =
        status === 'creating' ? partialOf(n, database) : fileOf(n, database);
      await writeFile(path, 'dump');
    }
  }

  it('prunes expired snapshots but keeps the last good copy of a database that still exists', async () => {
    await snapshot(1, { age: 9 }); // expired
    await snapshot(2, { age: 8 }); // expired
    await snapshot(3, { age: 1 }); // within retention
    await snapshot(4, { age: 8, status: 'failed' });
    // checkout-orders: all expired; only its newest is kept.
    await snapshot(5, { database: 'checkout-orders', age: 12 });
    await snapshot(6, { database: 'checkout-orders', age: 10 });
    // billing-gone: deleted from the inventory; nothing is kept.
    await snapshot(7, { database: 'billing-gone', age: 10 });

    const result = await maintenance.prune(
      NOW,
      new Set(['local/payments-ledger', 'local/checkout-orders']),
    );

    expect(result.pruned.sort()).toEqual([id(1), id(2), id(5), id(7)]);
    expect(result.keptAsLastCopy).toEqual([id(6)]);
    expect(result.forgotten).toEqual([id(4)]);
    for (const [n, database] of [
      [1, 'payments-ledger'],
      [2, 'payments-ledger'],
      [5, 'checkout-orders'],
      [7, 'billing-gone'],
    ] as const) {
      expect(existsSync(fileOf(n, database))).toBe(false);
      expect((await store.get(id(n)))?.status).toBe('deleted');
    }
    expect(existsSync(fileOf(3))).toBe(true);
    expect(existsSync(fileOf(6, 'checkout-orders'))).toBe(true);
    expect(await store.get(id(4))).toBeUndefined();
    expect(
      (await store.listForDatabase('local', 'payments-ledger')).map(s => s.id),
    ).toEqual([id(3)]);

    // Pruned rows are forgotten once billing no longer needs them.
    await maintenance.prune(
      new Date(NOW.getTime() + (PRUNED_ROW_RETENTION_DAYS + 1) * DAY),
      new Set(),
    );
    expect(await store.get(id(1))).toBeUndefined();
  });

  it('keeps an expired snapshot while a restore request names it, then prunes it', async () => {
    await snapshot(1, { age: 9 }); // expired, wanted by a restore
    await snapshot(2, { age: 8 }); // expired
    await snapshot(3, { age: 1 }); // the newest

    const live = new Set(['local/payments-ledger']);
    const whileRequested = await maintenance.prune(NOW, live, new Set([id(1)]));

    expect(whileRequested.keptForRestore).toEqual([id(1)]);
    expect(whileRequested.pruned).toEqual([id(2)]);
    expect(existsSync(fileOf(1))).toBe(true);
    expect((await store.get(id(1)))?.status).toBe('available');

    const afterwards = await maintenance.prune(NOW, live, new Set());
    expect(afterwards.pruned).toEqual([id(1)]);
    expect(existsSync(fileOf(1))).toBe(false);
  });

  it('tells billing the snapshot bytes each database had at a moment', async () => {
    await snapshot(1, { age: 9, size: 1000 });
    await snapshot(2, { age: 2, size: 300 });
    await snapshot(3, { database: 'checkout-orders', age: 2, size: 50 });
    await snapshot(4, { age: 1, status: 'failed' });
    await maintenance.prune(NOW, new Set());
    const usage = new SnapshotUsage(store, [
      testLocalCluster(),
      { ...testLocalCluster({ name: 'eu' }), provider: 'aurora' },
    ]);

    expect(await usage.snapshotBytesByDatabase('local', daysAgo(3))).toEqual(
      new Map([['payments-ledger', 1000]]),
    );
    expect(await usage.snapshotBytesByDatabase('local', daysAgo(1))).toEqual(
      new Map([
        ['payments-ledger', 1300],
        ['checkout-orders', 50],
      ]),
    );
    // After pruning, the expired snapshot no longer counts.
    expect(await usage.snapshotBytesByDatabase('local', NOW)).toEqual(
      new Map([
        ['payments-ledger', 300],
        ['checkout-orders', 50],
      ]),
    );
    expect(await usage.snapshotBytesByDatabase('eu', NOW)).toEqual(new Map());
  });

  it('cleans up what a crashed backend left, and nothing that is still running', async () => {
    // Crashed an hour ago while dumping.
    await snapshot(1, { age: 0, status: 'creating', heartbeatAge: 1 / 24 });
    // Running now, heartbeat fresh.
    await snapshot(2, {
      database: 'checkout-orders',
      age: 0,
      status: 'creating',
      heartbeatAge: 0,
    });
    await snapshot(3, { age: 1 });
    // A dump file whose row is gone, a partial file of a finished snapshot.
    const orphan = fileOf(9);
    await writeFile(orphan, 'dump');
    const leftoverPartial = partialOf(3);
    await writeFile(leftoverPartial, 'dump');
    // Somebody else's file in the directory is left alone.
    await mkdir(join(directory, 'local', 'payments-ledger'), {
      recursive: true,
    });
    const foreign = join(directory, 'local', 'payments-ledger', 'README');
    await writeFile(foreign, 'notes');

    const result = await maintenance.cleanUp(NOW);

    expect(result.abandoned).toEqual([id(1)]);
    expect(await store.get(id(1))).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^abandoned: the backend taking it stopped/),
    });
    expect(existsSync(partialOf(1))).toBe(false);
    expect(result.removedFiles.sort()).toEqual(
      [leftoverPartial, orphan].sort(),
    );
    expect((await store.get(id(2)))?.status).toBe('creating');
    expect(existsSync(partialOf(2, 'checkout-orders'))).toBe(true);
    expect(existsSync(fileOf(3))).toBe(true);
    expect(existsSync(foreign)).toBe(true);
  });
});
