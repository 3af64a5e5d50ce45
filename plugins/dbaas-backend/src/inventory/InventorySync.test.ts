import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type {
  AppsRepository,
  ClusterObservation,
  ClusterObserver,
  DatabaseProvisioner,
  MergedDatabaseDefinition,
  ObservedDatabase,
  ProvisionResult,
  RepoFile,
  SuiteChange,
  Tenant,
} from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import { DatabaseInventoryStore } from './DatabaseInventoryStore';
import { applyDatabaseMigrations } from '../database/migrations';
import { AURORA_PROVISIONING } from '../providers/auroraClusterProvider';
import { LOCAL_PROVISIONING } from '../providers/localClusterProvider';
import { clusterForNamespace, InventoryCluster } from './InventoryCluster';
import { InventorySync, InventorySyncOptions } from './InventorySync';
import type { RestoredCopyOrigin } from '@dbaas/plugin-dbaas-common';

jest.setTimeout(60_000);

// Only PostgreSQL, as in production (SQLite does not run under Node 24 here).
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

/**
 * Test doubles of the dbaas-node interfaces (their real implementations are
 * tested in dbaas-node): an apps repository, a cluster and a provisioner
 * held in memory.
 */
class FakeClock {
  time = new Date('2026-11-22T10:00:00.000Z');
  now = () => new Date(this.time);
  advance(minutes: number) {
    this.time = new Date(this.time.getTime() + minutes * 60_000);
  }
}

class FakeAppsRepository implements AppsRepository {
  readonly baseBranch = 'main';
  listedBaseSha?: string = 'c'.repeat(40);
  readonly files = new Map<string, string>();
  readonly changes: SuiteChange[] = [];
  readonly listChangesCalls: Array<{ updatedSince?: Date } | undefined> = [];
  private nextNumber = 1;

  constructor(private readonly clock: FakeClock) {}

  /** Writes `<namespace>/<folder>/values.yaml` on the base branch. */
  define(
    namespace: string,
    folder: string,
    dbs: Array<{ name: string; mode?: 'standard' | 'protected' }>,
  ) {
    const path = `${namespace}/${folder}/values.yaml`;
    if (dbs.length === 0) {
      this.files.delete(path);
      return;
    }
    this.files.set(
      path,
      `postgresqlDatabases:\n${dbs
        .map(db => `  - name: ${db.name}\n    mode: ${db.mode ?? 'standard'}\n`)
        .join('')}`,
    );
  }

  /**
   * Opens a pull request on the per-task branch of earlier versions, or
   * on the database's own branch (`perDatabase`), which requests share.
   */
  openPullRequest(
    kind: 'create' | 'update' | 'delete',
    namespace: string,
    name: string,
    options: { perDatabase?: boolean } = {},
  ): number {
    const number = this.nextNumber++;
    const at = this.clock.now().toISOString();
    const branch = `dbaas/${kind}/${namespace}/${name}`;
    this.changes.unshift({
      number,
      url: `https://github.com/acme/apps/pull/${number}`,
      branchName: options.perDatabase ? branch : `${branch}/task${number}`,
      title: `${kind} ${namespace}/${name}`,
      state: 'open',
      createdAt: at,
      updatedAt: at,
    });
    return number;
  }

  merge(number: number, edit: () => void) {
    const change = this.changes.find(c => c.number === number)!;
    const at = this.clock.now().toISOString();
    Object.assign(change, {
      state: 'merged',
      updatedAt: at,
      mergedAt: at,
      closedAt: at,
    });
    edit();
  }

  close(number: number) {
    const change = this.changes.find(c => c.number === number)!;
    const at = this.clock.now().toISOString();
    Object.assign(change, { state: 'closed', updatedAt: at, closedAt: at });
  }

  async listDefinitionFiles(): Promise<RepoFile[]> {
    return [...this.files].map(([path, content]) => ({ path, content }));
  }

  async listChanges(options?: { updatedSince?: Date }): Promise<SuiteChange[]> {
    this.listChangesCalls.push(options);
    return this.changes
      .filter(
        c =>
          !options?.updatedSince ||
          Date.parse(c.updatedAt) >= options.updatedSince.getTime(),
      )
      .map(c => ({ ...c }));
  }

  async readFile(path: string) {
    return this.files.get(path);
  }
  async listOpenChanges(): Promise<never[]> {
    throw new Error('not used by the inventory');
  }
  async previewChange(): Promise<never> {
    throw new Error('not used by the inventory');
  }
  async proposeChange(): Promise<never> {
    throw new Error('not used by the inventory');
  }
}

class FakeCluster implements ClusterObserver {
  readonly databases = new Map<string, ObservedDatabase>();
  reachable = true;
  error = 'connect ECONNREFUSED 10.0.0.7:5432';
  observeCalls = 0;

  constructor(readonly cluster: string, private readonly clock: FakeClock) {}

  /** What ArgoCD, the chart or a person would create. */
  put(
    databaseName: string,
    parts: { roles?: boolean; owns?: boolean; sizeBytes?: number } = {},
  ) {
    const roles = parts.roles ?? true;
    this.databases.set(databaseName, {
      databaseName,
      sizeBytes: parts.sizeBytes ?? 8_000_000,
      roles: { read: roles, write: roles, admin: roles },
      adminOwnsPublicSchema: parts.owns ?? roles,
      connections: 0,
    });
  }

  async observe(): Promise<ClusterObservation> {
    this.observeCalls++;
    if (!this.reachable) {
      return {
        cluster: this.cluster,
        reachable: false,
        observedAt: this.clock.now(),
        error: this.error,
      };
    }
    return {
      cluster: this.cluster,
      reachable: true,
      observedAt: this.clock.now(),
      serverVersion: '16.4',
      databases: new Map(
        [...this.databases].map(([k, v]) => [
          k,
          { ...v, roles: { ...v.roles } },
        ]),
      ),
    };
  }
}

class FakeProvisioner implements DatabaseProvisioner {
  readonly ensured: MergedDatabaseDefinition[] = [];
  readonly dropped: MergedDatabaseDefinition[] = [];
  readonly failures = new Map<string, Error>();

  constructor(private readonly target: FakeCluster) {}

  get cluster() {
    return this.target.cluster;
  }

  async ensure(definition: MergedDatabaseDefinition): Promise<ProvisionResult> {
    this.ensured.push(definition);
    const databaseName = `${definition.namespace}-${definition.name}`;
    const failure = this.failures.get(databaseName);
    if (failure) {
      throw failure;
    }
    const existing = this.target.databases.get(databaseName);
    // Idempotent and never drops: an existing database keeps its data.
    this.target.put(databaseName, { sizeBytes: existing?.sizeBytes });
    return { changes: existing ? ['granted roles'] : ['created database'] };
  }

  async drop(definition: MergedDatabaseDefinition): Promise<ProvisionResult> {
    this.dropped.push(definition);
    if (definition.mode === 'protected') {
      throw new Error('refusing to drop a protected database');
    }
    this.target.databases.delete(`${definition.namespace}-${definition.name}`);
    return { changes: ['dropped database'] };
  }
}

const tenants = (namespaces: string[]) => ({
  listTenants: async (): Promise<Tenant[]> =>
    namespaces.map(namespace => ({ namespace, owners: [] })),
});

describe('clusterForNamespace', () => {
  const clusters = [
    { name: 'payments-only', namespaces: ['payments'] },
    { name: 'shared', namespaces: [] },
    { name: 'never', namespaces: ['search'] },
  ];
  it.each([
    ['payments', 'payments-only'],
    ['search', 'shared'],
    ['anything', 'shared'],
  ])('%s -> %s (first match wins, empty list = any)', (namespace, cluster) => {
    expect(clusterForNamespace(clusters, namespace)?.name).toBe(cluster);
  });
  it('no cluster when none takes the namespace', () => {
    expect(
      clusterForNamespace([{ name: 'a', namespaces: ['x'] }], 'y'),
    ).toBeUndefined();
  });
});

describe('InventorySync', () => {
  let knex: Knex;
  let store: DatabaseInventoryStore;
  let clock: FakeClock;
  let repo: FakeAppsRepository;
  let local: FakeCluster;
  let aurora: FakeCluster;
  let provisioner: FakeProvisioner;
  let sync: InventorySync;
  const logger = mockServices.logger.mock();

  beforeAll(async () => {
    knex = await databases.init('POSTGRES_15');
    await applyDatabaseMigrations(mockServices.database({ knex }));
  });

  function createSync(
    tenantNamespaces = ['payments', 'search', 'team'],
    restoredCopies?: InventorySyncOptions['restoredCopies'],
  ) {
    const clusters: InventoryCluster[] = [
      {
        name: 'prod',
        provisioning: AURORA_PROVISIONING,
        namespaces: ['payments'],
        observer: aurora,
      },
      {
        name: 'dev',
        provisioning: LOCAL_PROVISIONING,
        namespaces: [],
        observer: local,
        provisioner,
      },
    ];
    return new InventorySync({
      store,
      appsRepo: repo,
      basePath: '',
      clusters,
      tenants: tenants(tenantNamespaces),
      logger,
      now: clock.now,
      restoredCopies,
    });
  }

  beforeEach(async () => {
    await knex('dbaas_database_status_history').delete();
    await knex('dbaas_databases').delete();
    store = new DatabaseInventoryStore(knex);
    clock = new FakeClock();
    repo = new FakeAppsRepository(clock);
    aurora = new FakeCluster('prod', clock);
    local = new FakeCluster('dev', clock);
    provisioner = new FakeProvisioner(local);
    sync = createSync();
  });

  async function cycle() {
    clock.advance(1);
    return sync.runOnce();
  }

  const ledger = { namespace: 'payments', name: 'ledger' };
  const app = { namespace: 'team', name: 'app' };

  it('follows an Aurora database through requested -> merged -> provisioning -> ready, with each change and its reason in the history', async () => {
    const pr = repo.openPullRequest('create', 'payments', 'ledger');
    let result = await cycle();
    expect(result.changes).toEqual([
      expect.objectContaining({ ...ledger, status: 'requested' }),
    ]);
    expect(await store.getDatabase(ledger)).toMatchObject({
      status: 'requested',
      cluster: 'prod',
      pullRequests: [
        { number: pr, kind: 'create', state: 'open', url: expect.any(String) },
      ],
    });

    repo.merge(pr, () =>
      repo.define('payments', 'ledger', [{ name: 'ledger' }]),
    );
    result = await cycle();
    expect(result.changes).toEqual([
      expect.objectContaining({ from: 'requested', status: 'merged' }),
    ]);

    // ArgoCD and the chart create the database, then the roles.
    aurora.put('payments-ledger', { roles: false });
    result = await cycle();
    expect(result.changes).toEqual([
      expect.objectContaining({ from: 'merged', status: 'provisioning' }),
    ]);

    aurora.put('payments-ledger', { sizeBytes: 42_000 });
    result = await cycle();
    expect(result.changes).toEqual([
      expect.objectContaining({ from: 'provisioning', status: 'ready' }),
    ]);
    // Nothing changes: nothing recorded.
    expect((await cycle()).changes).toEqual([]);

    expect(await store.getDatabase(ledger)).toMatchObject({
      status: 'ready',
      mode: 'standard',
      folderPath: 'payments/ledger',
      sizeBytes: 42_000,
      managedSince: expect.any(Date),
      pullRequests: [{ number: pr, state: 'merged' }],
    });
    const history = await store.getHistory(ledger);
    expect(history.map(h => [h.from, h.status])).toEqual([
      ['provisioning', 'ready'],
      ['merged', 'provisioning'],
      ['requested', 'merged'],
      [undefined, 'requested'],
    ]);
    expect(history.map(h => h.reason)).toEqual([
      expect.stringMatching(/exist in cluster prod/),
      expect.stringMatching(/waiting for role payments-ledger-read/),
      expect.stringMatching(/merged in pull request #1 .*waiting for ArgoCD/),
      expect.stringMatching(/pull request #1 .* is open/),
    ]);
    // The aurora cluster is never provisioned by the suite.
    expect(provisioner.ensured).toEqual([]);
  });

  it('fails an Aurora database not ready 15 minutes after its merge, with the reason', async () => {
    const pr = repo.openPullRequest('create', 'payments', 'ledger');
    await cycle();
    repo.merge(pr, () =>
      repo.define('payments', 'ledger', [{ name: 'ledger' }]),
    );
    await cycle();
    clock.advance(12);
    expect((await cycle()).changes).toEqual([]); // 14 minutes after the merge
    const { changes } = await cycle(); // 15 minutes
    expect(changes).toEqual([
      expect.objectContaining({
        from: 'merged',
        status: 'failed',
        reason: expect.stringMatching(
          /no database in cluster prod 15 minutes after it was merged in pull request #1/,
        ),
      }),
    ]);
    // The chart catches up: ready.
    aurora.put('payments-ledger');
    expect((await cycle()).changes).toEqual([
      expect.objectContaining({ from: 'failed', status: 'ready' }),
    ]);
  });

  it('provisions a merged definition on a local cluster in the same cycle, leaves a ready one alone, and reconciles everything hourly', async () => {
    const pr = repo.openPullRequest('create', 'team', 'app');
    await cycle();
    expect(provisioner.ensured).toEqual([]); // not merged yet

    repo.merge(pr, () => repo.define('team', 'app', [{ name: 'app' }]));
    const { changes } = await cycle();
    expect(provisioner.ensured).toEqual([
      { namespace: 'team', name: 'app', mode: 'standard' },
    ]);
    expect(changes).toEqual([
      expect.objectContaining({ ...app, from: 'requested', status: 'ready' }),
    ]);

    await cycle();
    await cycle();
    expect(provisioner.ensured).toHaveLength(1);

    // Roles dropped by hand: reconciled again.
    local.put('team-app', { roles: false });
    await cycle();
    expect(provisioner.ensured).toHaveLength(2);
    expect((await store.getDatabase(app))?.status).toBe('ready');

    // Once an hour everything defined is reconciled (grants and secrets
    // drift where the observer cannot see them).
    clock.advance(60);
    await cycle();
    expect(provisioner.ensured).toHaveLength(3);
    await cycle();
    expect(provisioner.ensured).toHaveLength(3);
  });

  it('records a provisioning error as failed with its reason without stopping the other databases, and recovers', async () => {
    repo.define('team', 'app', [{ name: 'app' }, { name: 'broken' }]);
    provisioner.failures.set(
      'team-broken',
      new Error('permission denied to create role\n"team-broken-read"'),
    );
    const result = await cycle();

    expect(
      await store.getDatabase({ namespace: 'team', name: 'broken' }),
    ).toMatchObject({
      status: 'failed',
      statusReason:
        'provisioning failed: permission denied to create role "team-broken-read"',
      lastError:
        'provisioning failed: permission denied to create role "team-broken-read"',
    });
    expect((await store.getDatabase(app))?.status).toBe('ready');
    expect(result.problems).toEqual([
      expect.stringMatching(/team-broken on dev: provisioning failed/),
    ]);

    // Retried every cycle; fixed: ready, error cleared.
    provisioner.failures.clear();
    const { changes } = await cycle();
    expect(changes).toEqual([
      expect.objectContaining({
        namespace: 'team',
        name: 'broken',
        from: 'failed',
        status: 'ready',
      }),
    ]);
    const fixed = await store.getDatabase({
      namespace: 'team',
      name: 'broken',
    });
    expect(fixed?.lastError).toBeUndefined();
    expect(
      (await store.getHistory({ namespace: 'team', name: 'broken' })).map(
        h => h.status,
      ),
    ).toEqual(['ready', 'failed']);
  });

  it('keeps statuses of an unreachable cluster, flags them unknown since the first failure, does not provision it, and clears the flag on recovery', async () => {
    repo.define('team', 'app', [{ name: 'app' }]);
    repo.define('team', 'old', [{ name: 'old' }]);
    repo.define('payments', 'ledger', [{ name: 'ledger' }]);
    aurora.put('payments-ledger');
    await cycle();
    expect(provisioner.ensured).toHaveLength(2);

    local.reachable = false;
    // While it is down: one database removed, another added.
    repo.define('team', 'old', []);
    repo.define('team', 'new', [{ name: 'new' }]);
    const down = await cycle();
    const downSince = clock.now();
    await cycle();

    expect(down.clusters).toEqual(
      expect.arrayContaining([
        {
          name: 'dev',
          reachable: false,
          error: 'connect ECONNREFUSED 10.0.0.7:5432',
        },
        { name: 'prod', reachable: true },
      ]),
    );
    expect(provisioner.ensured).toHaveLength(2);
    expect(provisioner.dropped).toEqual([]);
    for (const name of ['app', 'old']) {
      expect(
        await store.getDatabase({ namespace: 'team', name }),
      ).toMatchObject({
        status: 'ready',
        unknownSince: downSince,
        unknownReason: 'connect ECONNREFUSED 10.0.0.7:5432',
      });
    }
    expect(
      await store.getDatabase({ namespace: 'team', name: 'new' }),
    ).toMatchObject({
      status: 'merged',
      unknownSince: downSince,
    });
    // Other clusters are not affected.
    expect((await store.getDatabase(ledger))?.unknownSince).toBeUndefined();
    expect(
      (await store.getHistory({ namespace: 'team', name: 'app' })).map(
        h => h.status,
      ),
    ).toEqual(['ready']);

    local.reachable = true;
    const { changes } = await cycle();
    expect(provisioner.dropped).toEqual([
      { namespace: 'team', name: 'old', mode: 'standard' },
    ]);
    expect(changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'old',
          from: 'ready',
          status: 'deleted',
        }),
        expect.objectContaining({
          name: 'new',
          from: 'merged',
          status: 'ready',
        }),
      ]),
    );
    for (const name of ['app', 'old', 'new']) {
      const record = await store.getDatabase({ namespace: 'team', name });
      expect(record?.unknownSince).toBeUndefined();
      expect(record?.unknownReason).toBeUndefined();
    }
  });

  it('treats a cluster whose observer throws as unreachable', async () => {
    repo.define('team', 'app', [{ name: 'app' }]);
    await cycle();
    jest
      .spyOn(local, 'observe')
      .mockRejectedValueOnce(new Error('socket hang up'));
    const { clusters } = await cycle();
    expect(clusters).toContainEqual({
      name: 'dev',
      reachable: false,
      error: 'socket hang up',
    });
    expect(await store.getDatabase(app)).toMatchObject({
      status: 'ready',
      unknownReason: 'socket hang up',
    });
  });

  it('keeps a protected database removed from the repo as orphaned, and brings it back to ready without data loss when defined again', async () => {
    repo.define('team', 'app', [{ name: 'app', mode: 'protected' }]);
    await cycle();
    local.put('team-app', { sizeBytes: 987_654_321 }); // data written by the app

    const del = repo.openPullRequest('delete', 'team', 'app');
    expect((await cycle()).changes).toEqual([
      expect.objectContaining({ from: 'ready', status: 'deletion-requested' }),
    ]);
    repo.merge(del, () => repo.define('team', 'app', []));
    const removed = await cycle();
    expect(removed.changes).toEqual([
      expect.objectContaining({
        from: 'deletion-requested',
        status: 'orphaned',
        reason: expect.stringMatching(
          /protected database removed .*#1.*data stays/,
        ),
      }),
    ]);
    await cycle();
    expect(await store.getDatabase(app)).toMatchObject({
      status: 'orphaned',
      mode: 'protected',
      folderPath: 'team/app',
    });

    // Restoring management: the definition comes back (merged at once, as
    // the local apps repository does).
    const add = repo.openPullRequest('create', 'team', 'app');
    repo.merge(add, () =>
      repo.define('team', 'app', [{ name: 'app', mode: 'protected' }]),
    );
    const readded = await cycle();
    expect(readded.changes).toEqual([
      expect.objectContaining({
        status: 'ready',
        reason: expect.stringMatching(/back under management, data kept/),
      }),
    ]);
    expect(provisioner.dropped).toEqual([]);
    expect(local.databases.get('team-app')?.sizeBytes).toBe(987_654_321);
    expect((await store.getDatabase(app))?.sizeBytes).toBe(987_654_321);
    expect((await store.getHistory(app)).map(h => h.status)).toEqual([
      'ready',
      'orphaned',
      'deletion-requested',
      'ready',
    ]);
  });

  it('drops a standard database removed from the repo once, then records it deleted', async () => {
    repo.define('team', 'app', [{ name: 'app' }]);
    await cycle();
    const del = repo.openPullRequest('delete', 'team', 'app');
    await cycle();
    expect(provisioner.dropped).toEqual([]); // only requested so far
    expect((await store.getDatabase(app))?.status).toBe('deletion-requested');

    repo.merge(del, () => repo.define('team', 'app', []));
    const { changes } = await cycle();
    expect(provisioner.dropped).toEqual([
      { namespace: 'team', name: 'app', mode: 'standard' },
    ]);
    expect(changes).toEqual([
      expect.objectContaining({
        from: 'deletion-requested',
        status: 'deleted',
        reason: expect.stringMatching(
          /removed from the apps repository in pull request #1 .*gone from cluster dev/,
        ),
      }),
    ]);
    await cycle();
    await cycle();
    expect(provisioner.dropped).toHaveLength(1);
    expect((await store.getDatabase(app))?.status).toBe('deleted');

    // Re-created by hand later: unmanaged, never dropped again.
    local.put('team-app');
    await cycle();
    expect((await store.getDatabase(app))?.status).toBe('unmanaged');
    expect(provisioner.dropped).toHaveLength(1);
  });

  it('keeps a removed standard database that is being dropped as deletion-requested, and retries a failed drop', async () => {
    repo.define('team', 'app', [{ name: 'app' }]);
    await cycle();
    repo.define('team', 'app', []);
    const dropError = new Error(
      'database "team-app" is being accessed by other users',
    );
    jest.spyOn(provisioner, 'drop').mockRejectedValueOnce(dropError);
    const { changes } = await cycle();
    expect(changes).toEqual([
      expect.objectContaining({
        status: 'failed',
        reason:
          'drop failed: database "team-app" is being accessed by other users',
      }),
    ]);
    const retried = await cycle();
    expect(retried.changes).toEqual([
      expect.objectContaining({ from: 'failed', status: 'deleted' }),
    ]);
  });

  it('lists as unmanaged only databases named after a known tenant on its cluster', async () => {
    local.put('team-legacy');
    local.put('backstage_plugin_catalog');
    local.put('stranger-db'); // not a tenant
    local.put('payments-wrong-cluster'); // payments lives on prod
    local.put('team-Bad_Name');
    aurora.put('payments-reports');
    await cycle();
    expect(
      (await store.listDatabases()).map(d => [
        `${d.namespace}/${d.name}`,
        d.status,
        d.cluster,
      ]),
    ).toEqual([
      ['payments/reports', 'unmanaged', 'prod'],
      ['team/legacy', 'unmanaged', 'dev'],
    ]);
    expect(provisioner.ensured).toEqual([]);
    expect(provisioner.dropped).toEqual([]);

    local.databases.delete('team-legacy');
    expect((await cycle()).changes).toEqual([
      expect.objectContaining({
        name: 'legacy',
        from: 'unmanaged',
        status: 'deleted',
      }),
    ]);
  });

  it("shows a restore's copy as restored (never unmanaged), never drops it, and as an ordinary database once defined", async () => {
    const copies = new Map<string, RestoredCopyOrigin>();
    sync = createSync(undefined, async () => copies);
    copies.set('team-app-copy', {
      restoreId: 'r1',
      source: { namespace: 'team', name: 'app', databaseName: 'team-app' },
      snapshotCreatedAt: '2026-11-22T02:00:00.000Z',
      state: 'expiring',
      expiresAt: '2026-11-29T10:00:00.000Z',
    });
    local.put('team-app-copy');
    const { changes } = await cycle();
    expect(changes).toEqual([
      expect.objectContaining({
        name: 'app-copy',
        status: 'restored',
        reason:
          'restored from team/app at 2026-11-22T02:00:00.000Z; dropped at 2026-11-29T10:00:00.000Z unless kept',
      }),
    ]);
    await cycle();
    expect(provisioner.dropped).toEqual([]);

    // Kept: its create pull request merged, it is defined.
    repo.define('team', 'app-copy', [{ name: 'app-copy' }]);
    expect((await cycle()).changes).toEqual([
      expect.objectContaining({
        from: 'restored',
        status: 'ready',
        reason: expect.stringContaining('restored copy now defined'),
      }),
    ]);
  });

  it('picks the longest tenant namespace for an unmanaged database', async () => {
    sync = createSync(['team', 'team-a']);
    local.put('team-a-db');
    await cycle();
    expect(
      (await store.listDatabases()).map(d => `${d.namespace}/${d.name}`),
    ).toEqual(['team-a/db']);
  });

  it('never treats a database as removed when its values.yaml cannot be read', async () => {
    repo.define('team', 'app', [{ name: 'app' }, { name: 'other' }]);
    await cycle();
    repo.files.set('team/app/values.yaml', 'postgresqlDatabases: [\n  oops');
    const { problems, changes } = await cycle();
    expect(problems).toEqual([
      expect.stringMatching(/team\/app\/values\.yaml/),
    ]);
    expect(changes).toEqual([]);
    expect(provisioner.dropped).toEqual([]);
    expect(await store.getDatabase(app)).toMatchObject({
      status: 'ready',
      lastError: 'team/app cannot be read this cycle',
    });
  });

  it('never treats every database as removed when the base branch has no definitions at all', async () => {
    repo.define('team', 'app', [{ name: 'app' }]);
    repo.define('team', 'other', [{ name: 'other' }]);
    await cycle();
    repo.files.clear();
    const { problems } = await cycle();
    expect(problems).toEqual([
      expect.stringMatching(
        /no database definitions .* treating none as removed/,
      ),
    ]);
    expect(provisioner.dropped).toEqual([]);
    expect((await store.listDatabases()).map(d => d.status)).toEqual([
      'ready',
      'ready',
    ]);
  });

  it('fails the cycle, writing nothing, when the apps repository cannot be read', async () => {
    repo.define('team', 'app', [{ name: 'app' }]);
    await cycle();
    jest
      .spyOn(repo, 'listDefinitionFiles')
      .mockRejectedValueOnce(new Error('GitHub 502'));
    await expect(cycle()).rejects.toThrow('GitHub 502');
    expect(provisioner.dropped).toEqual([]);
    expect((await store.getDatabase(app))?.status).toBe('ready');
  });

  it('refuses the second of two pairs that make the same database name', async () => {
    repo.define('team', 'a-b', [{ name: 'a-b' }]);
    await cycle();
    repo.define('team-a', 'b', [{ name: 'b' }]);
    const { problems } = await cycle();
    expect(problems).toEqual([
      expect.stringMatching(
        /team-a\/b and team\/a-b both make database team-a-b; team\/a-b keeps it/,
      ),
    ]);
    expect(
      (await store.listDatabases()).map(d => `${d.namespace}/${d.name}`),
    ).toEqual(['team/a-b']);
  });

  it('abandons a request whose pull request is closed unmerged', async () => {
    const pr = repo.openPullRequest('create', 'team', 'app');
    await cycle();
    repo.close(pr);
    const { changes } = await cycle();
    expect(changes).toEqual([
      expect.objectContaining({
        from: 'requested',
        status: 'abandoned',
        reason: expect.stringMatching(/closed without merging/),
      }),
    ]);
  });

  it('reads the pull requests of a per-database branch, which an abandoned request and the one that took it over share', async () => {
    const abandoned = repo.openPullRequest('create', 'team', 'app', {
      perDatabase: true,
    });
    await cycle();
    repo.close(abandoned);
    await cycle();
    const taken = repo.openPullRequest('create', 'team', 'app', {
      perDatabase: true,
    });
    const { changes } = await cycle();
    expect(changes).toEqual([
      expect.objectContaining({ from: 'abandoned', status: 'requested' }),
    ]);
    expect((await store.getDatabase(app))?.pullRequests).toEqual([
      expect.objectContaining({ number: taken, state: 'open' }),
      expect.objectContaining({ number: abandoned, state: 'closed' }),
    ]);
  });

  it('records when a cycle completed and the base head it read, for request checks', async () => {
    const recorded: unknown[] = [];
    sync = new InventorySync({
      store,
      appsRepo: repo,
      basePath: '',
      clusters: [],
      tenants: tenants([]),
      logger,
      now: clock.now,
      repoViews: {
        record: async view => {
          recorded.push(view);
        },
        last: async () => undefined,
      },
    });
    await cycle();
    expect(recorded).toEqual([
      { syncedAt: clock.now(), baseBranch: 'main', baseSha: 'c'.repeat(40) },
    ]);
  });

  it('reads pull requests in full once, then only those updated since the last read', async () => {
    const pr = repo.openPullRequest('create', 'team', 'app');
    await cycle();
    await cycle();
    repo.merge(pr, () => repo.define('team', 'app', [{ name: 'app' }]));
    await cycle();
    expect(repo.listChangesCalls[0]).toBeUndefined();
    expect(repo.listChangesCalls[1]?.updatedSince).toBeInstanceOf(Date);
    expect(repo.listChangesCalls[2]?.updatedSince).toBeInstanceOf(Date);
    expect((await store.getDatabase(app))?.pullRequests).toEqual([
      expect.objectContaining({ number: pr, state: 'merged' }),
    ]);
    clock.advance(61);
    await cycle();
    expect(repo.listChangesCalls[3]).toBeUndefined();
  });
});
