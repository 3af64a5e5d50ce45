import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  dbaasRestoreApprovePermission,
  dbaasRestoreRequestPermission,
} from '@dbaas/plugin-dbaas-common';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from '../../database/migrations';
import { DatabaseInventoryStore } from '../../inventory/DatabaseInventoryStore';
import { PgToolLocator } from '../../pgTools';
import { DatabaseSnapshotStore } from '../../snapshots/DatabaseSnapshotStore';
import { DirectoryArchiveStore } from '../../snapshots/local/archives/DirectoryArchiveStore';
import { LocalSnapshotCatalog } from '../../snapshots/local/LocalSnapshotCatalog';
import { DatabaseRestorePreviewStore } from '../preview/DatabaseRestorePreviewStore';
import { RestorePreviewer } from '../preview/RestorePreviewer';
import { RestoreDeciders } from '../RestoreDeciders';
import { RestoreEvents } from '../RestoreEvents';
import { FinalizeSettings } from '../RestoreSettings';
import { RestoresService } from '../RestoresService';
import {
  observingClusterDatabaseLookup,
  RestoreTargetPlanner,
} from '../RestoreTargetPlanner';
import { DatabaseRestoreStore } from '../store/DatabaseRestoreStore';
import { LocalRestoreEngine } from '../workflow/engines/LocalRestoreEngine';
import {
  BIN_DIRECTORY,
  dropNamespace,
  MemorySecretStore,
  query,
  testCluster,
  testProvisioner,
  uniqueNamespace,
} from '../workflow/engines/testFixtures';
import { RestoreExecutor } from '../workflow/RestoreExecutor';
import {
  as,
  recordingAuditor,
  recordingNotifications,
  testAccess,
  users,
} from './restoreTestbed';

const HOUR = 3_600_000;

/**
 * alice requests (the tenant's owner), bob and carol approve (members of
 * the approvers group), dave holds the approve permission but is not in
 * the group, mallory holds nothing.
 */
function decide(permission: string, user: string): AuthorizeResult {
  if (permission === dbaasRestoreRequestPermission.name) {
    return user === users.alice ? AuthorizeResult.ALLOW : AuthorizeResult.DENY;
  }
  if (permission === dbaasRestoreApprovePermission.name) {
    return [users.bob, users.carol, users.dave].includes(user)
      ? AuthorizeResult.ALLOW
      : AuthorizeResult.DENY;
  }
  return user === users.mallory ? AuthorizeResult.DENY : AuthorizeResult.ALLOW;
}

/**
 * The whole in-place restore flow on a real PostgreSQL server: two
 * databases of a fresh tenant made by the real provisioner (`orders`
 * standard, `vault` protected) with a snapshot each (pg_dump), the
 * request service with the approval and finalize rules, and executors
 * with the real self-hosted engine and previewer. The clock starts now
 * and moves only when the test says.
 */
export async function createFinalizeTestbed(
  knex: Knex,
  options: { finalize?: FinalizeSettings } = {},
) {
  await applyDatabaseMigrations(mockServices.database({ knex }));
  const namespace = uniqueNamespace();
  const cluster = testCluster('local');
  const directory = await mkdtemp(join(tmpdir(), 'dbaas-finalize-'));
  let now = new Date();
  const clock = {
    now: () => now,
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
  };

  const secrets = new MemorySecretStore();
  const provisioner = testProvisioner(secrets);
  const databases = {
    orders: `${namespace}-orders`,
    vault: `${namespace}-vault`,
  };
  await provisioner.ensure({ namespace, name: 'orders', mode: 'standard' });
  await provisioner.ensure({ namespace, name: 'vault', mode: 'protected' });
  // As the tenant's admin role would: the tables belong to -admin.
  const asAdmin = async (database: string, statements: string[]) => {
    const role = `${database}-admin`;
    await query(
      database,
      ['BEGIN', `SET LOCAL ROLE "${role}"`, ...statements, 'COMMIT'].join(
        ';\n',
      ),
    );
  };
  await asAdmin(databases.orders, [
    `CREATE TABLE items (id serial PRIMARY KEY, label text NOT NULL, note text)`,
    `INSERT INTO items (label, note) SELECT 'item ' || i, 'n' FROM generate_series(1, 10) i`,
    `CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL)`,
    `INSERT INTO customers VALUES (1, 'ann'), (2, 'ben'), (3, 'cid')`,
    `CREATE TABLE legacy (id int)`,
    `INSERT INTO legacy VALUES (1), (2)`,
  ]);
  await asAdmin(databases.vault, [
    `CREATE TABLE secrets (id int PRIMARY KEY)`,
    `INSERT INTO secrets SELECT generate_series(1, 5)`,
  ]);

  const inventory = new DatabaseInventoryStore(knex);
  await inventory.applyUpdates(
    (['orders', 'vault'] as const).map(name => ({
      namespace,
      name,
      databaseName: databases[name],
      mode: name === 'vault' ? ('protected' as const) : ('standard' as const),
      status: 'ready' as const,
      cluster: cluster.name,
      pullRequests: [],
    })),
  );

  const snapshots = new LocalSnapshotCatalog({
    store: new DatabaseSnapshotStore(knex),
    archives: new DirectoryArchiveStore(join(directory, 'snapshots')),
    tools: new PgToolLocator({
      binDirectory: BIN_DIRECTORY,
      setting: 'dbaas.snapshots.local.binDirectory',
    }),
    retentionDays: { production: 35, staging: 35, test: 7, dev: 7 },
    schedule: { cron: '0 2 * * *' },
    logger: mockServices.logger.mock(),
  });
  const snapshotOf = {
    orders: (
      await snapshots.take(
        { namespace, name: 'orders', databaseName: databases.orders, cluster },
        'on-demand',
      )
    ).id,
    vault: (
      await snapshots.take(
        { namespace, name: 'vault', databaseName: databases.vault, cluster },
        'on-demand',
      )
    ).id,
  };

  const { auditor, events: audits } = recordingAuditor();
  const { notifications, sent, payloads } = recordingNotifications();
  const approvers = ['group:default/sre'];
  const events = new RestoreEvents({
    auditor,
    notifications,
    logger: mockServices.logger.mock(),
    approverGroups: approvers,
  });
  const { access, userInfo } = testAccess(decide, [
    { namespace, owner: 'group:default/payments' },
  ]);
  const store = new DatabaseRestoreStore(knex);
  const previews = new DatabaseRestorePreviewStore(knex);
  const previewer = new RestorePreviewer({
    store: previews,
    clusters: [cluster],
    now: clock.now,
    // Every read counts again, so a test sees each change at once.
    recountAfterMs: 0,
  });
  const requests = new RestoresService({
    store,
    inventory,
    clusters: [cluster],
    snapshots,
    access,
    deciders: new RestoreDeciders(access, userInfo, approvers),
    planner: new RestoreTargetPlanner(
      inventory,
      observingClusterDatabaseLookup,
    ),
    events,
    requestTtlMs: 24 * HOUR,
    logger: mockServices.logger.mock(),
    finalize: options.finalize ?? {
      standard: { required: true, timeLimitMs: 2 * HOUR },
      protected: { required: true, timeLimitMs: 4 * HOUR },
    },
    previews: previewer,
    now: clock.now,
  });
  const engine = new LocalRestoreEngine({
    settings: {
      parallelJobs: 2,
      binDirectory: BIN_DIRECTORY,
      workDirectory: join(directory, 'work'),
    },
    provisionerFor: () => provisioner,
    openDump: (subject, id) => snapshots.openDump(subject, id),
  });
  /** A new executor, as a (re)started backend replica makes one. */
  const executor = (owner: string) =>
    new RestoreExecutor({
      store,
      engines: { logical: engine },
      clusters: [cluster],
      events,
      logger: mockServices.logger.mock(),
      leaseMs: 120_000,
      keepSafetyCopyForMs: 7 * 24 * HOUR,
      previewer,
      owner,
      now: clock.now,
    });

  /** An in-place request by alice, approved by bob (and carol for vault). */
  async function approvedInPlace(name: 'orders' | 'vault') {
    const created = await requests.create(
      { namespace, name },
      {
        snapshotId: snapshotOf[name],
        target: 'in-place',
        reason: 'a bad migration',
      },
      { credentials: as(users.alice) },
    );
    for (const approver of name === 'vault'
      ? [users.bob, users.carol]
      : [users.bob]) {
      await requests.approve(created.id, {}, { credentials: as(approver) });
    }
    return created.id;
  }

  return {
    knex,
    namespace,
    cluster,
    clock,
    databases,
    snapshotOf,
    store,
    previews,
    requests,
    executor,
    audits,
    sent,
    payloads,
    asAdmin,
    approvedInPlace,
    /** Rows of a query as the superuser. */
    sql: <T extends Record<string, unknown>>(database: string, text: string) =>
      query<T>(database, text),
    async cleanup() {
      await dropNamespace(namespace);
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export type FinalizeTestbed = Awaited<ReturnType<typeof createFinalizeTestbed>>;
