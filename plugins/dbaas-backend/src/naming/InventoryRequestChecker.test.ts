import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  DatabaseRequestChecker,
  initLocalAppsRepository,
  LocalGitAppsRepository,
} from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyDatabaseMigrations } from '../database/migrations';
import { DatabaseAppsRepoViewStore } from '../inventory/AppsRepoViewStore';
import { DatabaseInventoryStore } from '../inventory/DatabaseInventoryStore';
import { DatabaseStateUpdate } from '../inventory/InventoryStore';
import { InventoryRequestChecker } from './InventoryRequestChecker';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

function record(
  ref: string,
  status: DatabaseStateUpdate['status'],
  extra: Partial<DatabaseStateUpdate> = {},
): DatabaseStateUpdate {
  const [namespace, name] = ref.split('/');
  return {
    namespace,
    name,
    databaseName: `${namespace}-${name}`,
    mode: 'standard',
    status,
    pullRequests: [],
    ...extra,
  };
}

describe('InventoryRequestChecker', () => {
  let knex: Knex;
  let repoPath: string;
  let checker: InventoryRequestChecker;
  let inventory: DatabaseInventoryStore;
  let views: DatabaseAppsRepoViewStore;
  const syncedAt = new Date('2026-12-08T09:00:00.000Z');

  beforeAll(async () => {
    knex = await databases.init('POSTGRES_15');
    await applyDatabaseMigrations(mockServices.database({ knex }));
    repoPath = await mkdtemp(join(tmpdir(), 'dbaas-request-checker-'));
    await initLocalAppsRepository({
      path: repoPath,
      files: [
        {
          path: 'payments/ledger/values.yaml',
          content: 'postgresqlDatabases:\n  - name: ledger\n',
        },
      ],
    });
  });

  afterAll(() => rm(repoPath, { recursive: true, force: true }));

  beforeEach(async () => {
    await knex('dbaas_apps_repo_views').delete();
    await knex('dbaas_database_status_history').delete();
    await knex('dbaas_databases').delete();
    inventory = new DatabaseInventoryStore(knex);
    views = new DatabaseAppsRepoViewStore(knex);
    checker = new InventoryRequestChecker({
      inventory,
      views,
      fallback: new DatabaseRequestChecker({
        appsRepo: new LocalGitAppsRepository({ path: repoPath }),
        basePath: '',
        reservedNamespaces: ['kube-system'],
      }),
      reservedNamespaces: ['kube-system'],
      secretPathTemplate: 'dbaas/{database}/{access}',
    });
  });

  const ledgerNames = {
    databaseName: 'payments-ledger',
    roles: {
      read: 'payments-ledger-read',
      write: 'payments-ledger-write',
      admin: 'payments-ledger-admin',
    },
    kubernetesSecrets: {
      read: 'payments-ledger-read',
      write: 'payments-ledger-write',
      admin: 'payments-ledger-admin',
    },
    secretManagerPaths: {
      read: 'dbaas/payments-ledger/read',
      write: 'dbaas/payments-ledger/write',
      admin: 'dbaas/payments-ledger/admin',
    },
    entityRef: 'resource:default/payments-ledger',
  };

  const synced = () =>
    views.record({ syncedAt, baseBranch: 'main', baseSha: 'b'.repeat(40) });

  it('asks the apps repository until the inventory has synced once', async () => {
    expect(
      await checker.check({ namespace: 'payments', name: 'ledger' }),
    ).toEqual({
      problems: [
        expect.objectContaining({
          rule: 'exists',
          message: expect.stringContaining(
            'defined in payments/ledger/values.yaml on main',
          ),
        }),
      ],
      names: ledgerNames,
    });
  });

  it('answers from the inventory once synced, with when and the base head', async () => {
    await synced();
    // The inventory does not know payments/ledger: it answers, not the repository.
    expect(
      await checker.check({ namespace: 'payments', name: 'ledger' }),
    ).toEqual({
      problems: [],
      inventory: { syncedAt, baseSha: 'b'.repeat(40) },
      names: ledgerNames,
    });
  });

  it('refuses a database defined or requested, saying where', async () => {
    await synced();
    await inventory.applyUpdates([
      record('payments/ledger', 'ready', {
        folderPath: 'apps/payments/ledger',
      }),
      record('payments/orders', 'requested', {
        pullRequests: [
          {
            number: 12,
            url: 'https://github.com/acme/apps/pull/12',
            kind: 'create',
            state: 'open',
            updatedAt: syncedAt.toISOString(),
          },
        ],
      }),
    ]);
    const ledger = await checker.check({
      namespace: 'payments',
      name: 'ledger',
    });
    expect(ledger.problems).toEqual([
      {
        field: 'name',
        rule: 'exists',
        message:
          '`payments`/`ledger` already exists: `defined in apps/payments/ledger/values.yaml on main`',
      },
    ]);
    const orders = await checker.check({
      namespace: 'payments',
      name: 'orders',
    });
    expect(orders.problems[0].message).toContain(
      'requested in pull request #12 (https://github.com/acme/apps/pull/12)',
    );
  });

  it('lets deleted, abandoned, orphaned and unmanaged databases be requested again', async () => {
    await synced();
    await inventory.applyUpdates([
      record('a/deleted', 'deleted'),
      record('a/abandoned', 'abandoned'),
      record('a/orphaned', 'orphaned', { mode: 'protected' }),
      record('a/unmanaged', 'unmanaged'),
    ]);
    for (const name of ['deleted', 'abandoned', 'orphaned', 'unmanaged']) {
      expect((await checker.check({ namespace: 'a', name })).problems).toEqual(
        [],
      );
    }
  });

  it('refuses a collision with any database that may exist, naming both', async () => {
    await synced();
    await inventory.applyUpdates([record('a-b/c', 'unmanaged')]);
    expect(
      (await checker.check({ namespace: 'a', name: 'b-c' })).problems,
    ).toEqual([
      {
        field: 'name',
        rule: 'collision',
        message:
          '`a`/`b-c` would create database `a-b-c`, which `a-b`/`c` already uses',
      },
    ]);
  });

  it('checks the naming rules first, without reading anything', async () => {
    const check = await checker.check({
      namespace: 'kube-system',
      name: 'x\nadmin: true',
    });
    expect(check.inventory).toBeUndefined();
    expect(check.names).toBeUndefined();
    expect(check.problems.map(p => p.rule).sort()).toEqual([
      'charset',
      'reserved',
    ]);
  });
});
