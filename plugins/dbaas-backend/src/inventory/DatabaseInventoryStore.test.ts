import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { DatabaseInventoryStore } from './DatabaseInventoryStore';
import { DatabaseStateUpdate } from './InventoryStore';
import {
  applyDatabaseMigrations,
  DBAAS_MIGRATIONS_DIRECTORY,
} from '../database/migrations';

jest.setTimeout(60_000);

// Only PostgreSQL, as in production (SQLite does not run under Node 24 here).
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

function update(
  overrides: Partial<DatabaseStateUpdate> &
    Pick<DatabaseStateUpdate, 'namespace' | 'name' | 'status'>,
): DatabaseStateUpdate {
  return {
    databaseName: `${overrides.namespace}-${overrides.name}`,
    mode: 'standard',
    pullRequests: [],
    ...overrides,
  };
}

describe('DatabaseInventoryStore', () => {
  let knex: Knex;
  let store: DatabaseInventoryStore;

  beforeAll(async () => {
    knex = await databases.init('POSTGRES_15');
    await applyDatabaseMigrations(mockServices.database({ knex }));
  });

  beforeEach(async () => {
    await knex('dbaas_database_status_history').delete();
    await knex('dbaas_databases').delete();
    store = await DatabaseInventoryStore.create(
      mockServices.database({ knex }),
    );
  });

  it('inserts new databases with every field and records their first status', async () => {
    const at = new Date('2026-11-01T10:00:00.000Z');
    const changes = await store.applyUpdates([
      update({
        namespace: 'payments',
        name: 'ledger',
        mode: 'protected',
        status: 'ready',
        statusReason: 'database, roles and secrets exist',
        cluster: 'prod-eu',
        folderPath: 'apps/payments/ledger',
        managedSince: at,
        lastError: 'previous attempt: connection reset',
        sizeBytes: 12_345_678_901,
        pullRequests: [
          {
            number: 7,
            url: 'https://github.com/acme/apps/pull/7',
            kind: 'create',
            state: 'merged',
            updatedAt: '2026-10-31T09:00:00.000Z',
          },
        ],
        at,
      }),
    ]);

    expect(changes).toEqual([
      {
        namespace: 'payments',
        name: 'ledger',
        status: 'ready',
        at: at.toISOString(),
        reason: 'database, roles and secrets exist',
      },
    ]);
    const record = await store.getDatabase({
      namespace: 'payments',
      name: 'ledger',
    });
    expect(record).toEqual({
      namespace: 'payments',
      name: 'ledger',
      databaseName: 'payments-ledger',
      mode: 'protected',
      status: 'ready',
      statusSince: at,
      statusReason: 'database, roles and secrets exist',
      cluster: 'prod-eu',
      folderPath: 'apps/payments/ledger',
      managedSince: at,
      lastError: 'previous attempt: connection reset',
      sizeBytes: 12_345_678_901,
      pullRequests: [
        {
          number: 7,
          url: 'https://github.com/acme/apps/pull/7',
          kind: 'create',
          state: 'merged',
          updatedAt: '2026-10-31T09:00:00.000Z',
        },
      ],
      updatedAt: expect.any(Date),
    });
    expect(
      await store.getHistory({ namespace: 'payments', name: 'ledger' }),
    ).toEqual([
      {
        status: 'ready',
        at: at.toISOString(),
        reason: 'database, roles and secrets exist',
      },
    ]);
    expect(
      await store.getDatabase({ namespace: 'payments', name: 'nope' }),
    ).toBeUndefined();
  });

  it('writes nothing and records no history when nothing changed', async () => {
    const first = update({
      namespace: 'team',
      name: 'app',
      status: 'merged',
      statusReason: 'merged in #1',
    });
    await store.applyUpdates([first]);
    const before = await store.getDatabase({ namespace: 'team', name: 'app' });

    await new Promise(resolve => setTimeout(resolve, 20));
    expect(await store.applyUpdates([{ ...first }])).toEqual([]);

    const after = await store.getDatabase({ namespace: 'team', name: 'app' });
    expect(after?.updatedAt).toEqual(before?.updatedAt);
    expect(
      await store.getHistory({ namespace: 'team', name: 'app' }),
    ).toHaveLength(1);
  });

  it('records a history row with from, to and reason for each status change, newest first', async () => {
    const ref = { namespace: 'team', name: 'app' };
    await store.applyUpdates([
      update({
        ...ref,
        status: 'requested',
        statusReason: 'pull request #3 open',
        at: new Date('2026-11-01T10:00:00Z'),
      }),
    ]);
    const changes = await store.applyUpdates([
      update({
        ...ref,
        status: 'merged',
        statusReason: 'pull request #3 merged',
        at: new Date('2026-11-01T11:00:00Z'),
      }),
    ]);
    expect(changes).toEqual([
      {
        ...ref,
        from: 'requested',
        status: 'merged',
        at: '2026-11-01T11:00:00.000Z',
        reason: 'pull request #3 merged',
      },
    ]);
    // The same status with another reason: the reason is current, no history row.
    expect(
      await store.applyUpdates([
        update({
          ...ref,
          status: 'merged',
          statusReason: 'waiting for ArgoCD',
        }),
      ]),
    ).toEqual([]);
    const record = await store.getDatabase(ref);
    expect(record?.statusReason).toBe('waiting for ArgoCD');
    expect(record?.statusSince).toEqual(new Date('2026-11-01T11:00:00Z'));

    expect(await store.getHistory(ref)).toEqual([
      {
        from: 'requested',
        status: 'merged',
        at: '2026-11-01T11:00:00.000Z',
        reason: 'pull request #3 merged',
      },
      {
        status: 'requested',
        at: '2026-11-01T10:00:00.000Z',
        reason: 'pull request #3 open',
      },
    ]);
    expect(await store.getHistory(ref, 1)).toHaveLength(1);
  });

  it('writes a sync in one transaction: a failing row leaves no status change and no history behind', async () => {
    await store.applyUpdates([
      update({ namespace: 'a', name: 'b-c', status: 'ready' }),
    ]);
    await expect(
      store.applyUpdates([
        update({ namespace: 'team', name: 'app', status: 'requested' }),
        update({ namespace: 'a', name: 'b-c', status: 'failed' }),
        // Same '<namespace>-<name>' as a/b-c while that one may exist.
        update({ namespace: 'a-b', name: 'c', status: 'requested' }),
      ]),
    ).rejects.toThrow(/unique|duplicate/i);

    expect(await store.getDatabase({ namespace: 'team', name: 'app' })).toBe(
      undefined,
    );
    expect(
      (await store.getDatabase({ namespace: 'a', name: 'b-c' }))?.status,
    ).toBe('ready');
    expect(
      await store.getHistory({ namespace: 'a', name: 'b-c' }),
    ).toHaveLength(1);
  });

  it('lets a new database reuse the name of a deleted or abandoned one', async () => {
    await store.applyUpdates([
      update({ namespace: 'a-b', name: 'c', status: 'abandoned' }),
      update({ namespace: 'x-y', name: 'z', status: 'deleted' }),
    ]);
    await store.applyUpdates([
      update({ namespace: 'a', name: 'b-c', status: 'requested' }),
      update({ namespace: 'x', name: 'y-z', status: 'requested' }),
    ]);
    expect(
      (await store.listDatabases()).map(d => `${d.namespace}/${d.name}`),
    ).toEqual(['a/b-c', 'a-b/c', 'x/y-z', 'x-y/z']);
  });

  it('finds the database that owns a <namespace>-<name>, never a deleted or abandoned one', async () => {
    await store.applyUpdates([
      update({ namespace: 'a-b', name: 'c', status: 'abandoned' }),
      update({ namespace: 'a', name: 'b-c', status: 'requested' }),
      update({ namespace: 'x', name: 'y', status: 'deleted' }),
      update({ namespace: 'p', name: 'q', status: 'unmanaged' }),
    ]);
    const owners = async (databaseName: string) =>
      (await store.listActiveByDatabaseName(databaseName)).map(
        d => `${d.namespace}/${d.name} ${d.status}`,
      );
    expect(await owners('a-b-c')).toEqual(['a/b-c requested']);
    expect(await owners('x-y')).toEqual([]);
    expect(await owners('p-q')).toEqual(['p/q unmanaged']);
    expect(await owners('nothing')).toEqual([]);
  });

  it('lists databases sorted, filtered by namespace and status', async () => {
    await store.applyUpdates([
      update({ namespace: 'payments', name: 'ledger', status: 'ready' }),
      update({ namespace: 'payments', name: 'audit', status: 'failed' }),
      update({ namespace: 'search', name: 'index', status: 'ready' }),
    ]);
    const names = (records: Array<{ namespace: string; name: string }>) =>
      records.map(r => `${r.namespace}/${r.name}`);

    expect(names(await store.listDatabases())).toEqual([
      'payments/audit',
      'payments/ledger',
      'search/index',
    ]);
    expect(
      names(await store.listDatabases({ namespaces: ['payments'] })),
    ).toEqual(['payments/audit', 'payments/ledger']);
    expect(names(await store.listDatabases({ statuses: ['ready'] }))).toEqual([
      'payments/ledger',
      'search/index',
    ]);
    expect(
      names(
        await store.listDatabases({
          namespaces: ['search'],
          statuses: ['failed'],
        }),
      ),
    ).toEqual([]);
  });

  it('marks a cluster unknown keeping statuses, keeps the first time, and clears it on recovery', async () => {
    await store.applyUpdates([
      update({
        namespace: 'payments',
        name: 'ledger',
        status: 'ready',
        cluster: 'prod',
      }),
      update({
        namespace: 'search',
        name: 'index',
        status: 'provisioning',
        cluster: 'prod',
      }),
      update({
        namespace: 'team',
        name: 'app',
        status: 'ready',
        cluster: 'dev',
      }),
    ]);
    const first = new Date('2026-11-01T10:00:00Z');
    await store.markClusterUnknown('prod', first, 'connect ECONNREFUSED');
    await store.markClusterUnknown(
      'prod',
      new Date('2026-11-01T10:01:00Z'),
      'connect ETIMEDOUT',
    );

    const ledger = await store.getDatabase({
      namespace: 'payments',
      name: 'ledger',
    });
    expect(ledger).toMatchObject({
      status: 'ready',
      unknownSince: first,
      unknownReason: 'connect ETIMEDOUT',
    });
    expect(
      (await store.getDatabase({ namespace: 'search', name: 'index' }))?.status,
    ).toBe('provisioning');
    expect(
      (await store.getDatabase({ namespace: 'team', name: 'app' }))
        ?.unknownSince,
    ).toBeUndefined();
    // No status change was recorded.
    expect(
      await store.getHistory({ namespace: 'payments', name: 'ledger' }),
    ).toHaveLength(1);

    // A sync that keeps the status does not clear the flag by itself.
    await store.applyUpdates([
      update({
        namespace: 'payments',
        name: 'ledger',
        status: 'ready',
        cluster: 'prod',
        lastError: 'cluster prod unreachable',
      }),
    ]);
    expect(
      (await store.getDatabase({ namespace: 'payments', name: 'ledger' }))
        ?.unknownSince,
    ).toEqual(first);

    await store.clearClusterUnknown('prod');
    const recovered = await store.getDatabase({
      namespace: 'payments',
      name: 'ledger',
    });
    expect(recovered?.unknownSince).toBeUndefined();
    expect(recovered?.unknownReason).toBeUndefined();
    expect(recovered?.status).toBe('ready');
  });

  it('has the local secret store table, and the migration rolls back', async () => {
    const other = await databases.init('POSTGRES_15');
    await applyDatabaseMigrations(mockServices.database({ knex: other }));
    await other('dbaas_local_secrets').insert({
      path: 'customer/payments/payments-ledger-read',
      username: 'payments-ledger-read',
      password: 'secret',
      endpoint: 'localhost',
      port: 5432,
    });
    await expect(
      other('dbaas_local_secrets').insert({
        path: 'customer/payments/payments-ledger-read',
        username: 'x',
        password: 'y',
        endpoint: 'z',
        port: 1,
      }),
    ).rejects.toThrow(/duplicate|unique/i);

    await other.migrate.down({
      directory: DBAAS_MIGRATIONS_DIRECTORY,
      name: '20261122_inventory.js',
    });
    expect(await other.schema.hasTable('dbaas_local_secrets')).toBe(false);
    expect(await other.schema.hasColumn('dbaas_databases', 'folder')).toBe(
      true,
    );
    expect(
      await other.schema.hasColumn('dbaas_databases', 'unknown_since'),
    ).toBe(false);
    await applyDatabaseMigrations(mockServices.database({ knex: other }));
    expect(
      await other.schema.hasColumn('dbaas_databases', 'unknown_since'),
    ).toBe(true);
  });
});
