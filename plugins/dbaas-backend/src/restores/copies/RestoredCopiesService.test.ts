import { randomBytes } from 'node:crypto';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  dbaasRestoreApprovePermission,
  dbaasRestoreRequestPermission,
} from '@dbaas/plugin-dbaas-common';
import {
  ConfigTenantDirectory,
  GitHubAppsRepository,
} from '@dbaas/plugin-dbaas-node';
import { FakeGitHub } from '@dbaas/plugin-dbaas-node/testUtils';
import { Client } from 'pg';
import { DatabaseInventoryStore } from '../../inventory/DatabaseInventoryStore';
import { RestoreDeciders } from '../RestoreDeciders';
import { RestoreEvents } from '../RestoreEvents';
import { RestoresService } from '../RestoresService';
import { RestoreTargetPlanner } from '../RestoreTargetPlanner';
import {
  as,
  createRestoreTestbed,
  recordingAuditor,
  recordingNotifications,
  testAccess,
  testCluster,
  users,
} from '../__testUtils__/restoreTestbed';
import {
  dropNamespace,
  MemorySecretStore,
  testProvisioner,
} from '../workflow/engines/testFixtures';
import { startRestoreRoutes } from '../__testUtils__/restoreRoutesServer';
import { RestoredCopiesService } from './RestoredCopiesService';
import { RestoredCopyStore } from './RestoredCopyStore';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const clusterUrl =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Alice owns payments; bob approves; mallory may read only. */
function policy(permission: string, user: string): AuthorizeResult {
  if (permission === dbaasRestoreRequestPermission.name) {
    return user === users.alice ? AuthorizeResult.ALLOW : AuthorizeResult.DENY;
  }
  if (permission === dbaasRestoreApprovePermission.name) {
    return user === users.bob ? AuthorizeResult.ALLOW : AuthorizeResult.DENY;
  }
  return AuthorizeResult.ALLOW;
}

async function clusterHas(databaseName: string) {
  const client = new Client({ connectionString: clusterUrl });
  await client.connect();
  try {
    const db = await client.query(
      'SELECT 1 FROM pg_database WHERE datname = $1',
      [databaseName],
    );
    const roles = await client.query(
      'SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1) ORDER BY 1',
      [`${databaseName}-`],
    );
    return {
      database: db.rowCount === 1,
      roles: roles.rows.map(r => r.rolname),
    };
  } finally {
    await client.end();
  }
}

const describeWithCluster = clusterUrl ? describe : describe.skip;

describeWithCluster('RestoredCopiesService', () => {
  let fake: FakeGitHub;
  const prefixes: string[] = [];

  beforeEach(async () => {
    fake = await FakeGitHub.start();
    fake.seedRepo('acme', 'apps', {
      files: {
        'payments/ledger/values.yaml':
          'postgresqlDatabases:\n  - name: ledger\n    mode: standard\n',
      },
    });
  });
  afterEach(() => fake.stop());
  afterAll(async () => {
    for (const prefix of prefixes) {
      await dropNamespace(prefix);
    }
  });

  /**
   * A succeeded new-database restore of payments/ledger into a unique
   * name, its copy provisioned for real on the test server, and the
   * copies service (or several, as replicas) over it.
   */
  async function setup() {
    const knex = await databases.init('POSTGRES_15');
    const tb = await createRestoreTestbed(knex, { decide: policy });
    tb.engine.databases.set('payments-ledger', 'today');
    const targetName = `cp${randomBytes(4).toString('hex')}`;
    const copyName = `payments-${targetName}`;
    prefixes.push(copyName);

    const created = await tb.requests.create(
      { namespace: 'payments', name: 'ledger' },
      {
        snapshotId: 'ledger-1',
        target: 'new-database',
        targetName,
        reason: 'compare yesterday',
      },
      { credentials: as(users.alice) },
    );
    await tb.requests.approve(created.id, {}, { credentials: as(users.bob) });
    await tb.executor('a').runOnce();
    // What the restore's engine does on a real cluster: the database with
    // its three roles and their secrets.
    const secrets = new MemorySecretStore();
    const provisioner = testProvisioner(secrets);
    await provisioner.ensure({
      namespace: 'payments',
      name: targetName,
      mode: 'standard',
    });

    const { access, userInfo } = testAccess(policy, [
      { namespace: 'payments', owner: 'group:default/payments' },
    ]);
    const { auditor, events: audits } = recordingAuditor();
    const { notifications, sent } = recordingNotifications();
    const inventory = new DatabaseInventoryStore(knex);
    const store = new RestoredCopyStore(knex);
    const repo = GitHubAppsRepository.fromConfig(
      new ConfigReader({
        integrations: {
          github: [
            { host: 'github.com', apiBaseUrl: fake.apiBaseUrl, token: 'test' },
          ],
        },
      }),
      {
        repoUrl: 'https://github.com/acme/apps',
        logger: mockServices.logger.mock(),
        retry: { sleep: async () => {} },
      },
    );
    const syncs: string[] = [];
    const service = () =>
      new RestoredCopiesService({
        store,
        knex,
        inventory,
        access,
        deciders: new RestoreDeciders(access, userInfo, []),
        appsRepo: repo,
        gitops: { basePath: '', chartVersion: '1.0.1' },
        // The restore test bed's cluster is `eu`; the copy lives on the
        // test server, which this provisioner drops from.
        provisioners: new Map([['eu', provisioner]]),
        tenants: ConfigTenantDirectory.fromConfig(
          new ConfigReader({
            dbaas: {
              tenants: [
                { namespace: 'payments', owner: 'group:default/payments' },
              ],
            },
          }),
        ),
        auditor,
        notifications,
        logger: mockServices.logger.mock(),
        settings: {
          expireAfterMs: 3 * DAY,
          warnBeforeMs: DAY,
          dropClaimMs: 30 * 60_000,
        },
        requestSync: async () => {
          syncs.push('sync');
        },
        now: tb.clock.now,
      });
    return {
      tb,
      knex,
      access,
      deciders: new RestoreDeciders(access, userInfo, []),
      id: created.id,
      copyName,
      targetName,
      secrets,
      inventory,
      store,
      service,
      copies: service(),
      audits,
      sent,
      syncs,
    };
  }

  it('links a succeeded new-database restore to its copy, expiring unless kept', async () => {
    const s = await setup();
    const restore = await s.tb.requests.get(s.id, as(users.alice));
    expect(restore.state).toBe('succeeded');
    // RestoresService without copies links nothing; the copies service does.
    const copy = await s.copies.get(s.id, as(users.alice));
    expect(copy).toEqual({
      restoreId: s.id,
      namespace: 'payments',
      name: s.targetName,
      databaseName: s.copyName,
      cluster: 'eu',
      source: {
        namespace: 'payments',
        name: 'ledger',
        databaseName: 'payments-ledger',
      },
      snapshotId: 'ledger-1',
      snapshotCreatedAt: '2026-11-26T02:00:00.000Z',
      createdAt: '2026-11-26T10:00:00.000Z',
      expiresAt: '2026-11-29T10:00:00.000Z',
      state: 'expiring',
      allowedActions: ['keep', 'delete'],
    });
    // Readable by others, who may do nothing with it.
    expect(
      (await s.copies.get(s.id, as(users.mallory))).allowedActions,
    ).toEqual([]);
    expect(await s.copies.liveOrigins()).toEqual(
      new Map([
        [
          s.copyName,
          {
            restoreId: s.id,
            source: copy.source,
            snapshotCreatedAt: '2026-11-26T02:00:00.000Z',
            state: 'expiring',
            expiresAt: '2026-11-29T10:00:00.000Z',
          },
        ],
      ]),
    );
  });

  it('shows the copy on its restore (the API response), and no copy on other restores', async () => {
    const s = await setup();
    const restores = new RestoresService({
      store: s.tb.store,
      inventory: s.inventory,
      clusters: [testCluster],
      snapshots: s.tb.snapshots,
      access: s.access,
      deciders: s.deciders,
      planner: new RestoreTargetPlanner(s.inventory, {
        exists: async () => false,
      }),
      events: new RestoreEvents({
        auditor: recordingAuditor().auditor,
        logger: mockServices.logger.mock(),
        approverGroups: [],
      }),
      requestTtlMs: DAY,
      logger: mockServices.logger.mock(),
      copies: s.copies,
      now: s.tb.clock.now,
    });
    // Over HTTP: the restore links its copy; keep and delete are checked.
    const { call } = await startRestoreRoutes(restores);
    const overHttp = await call('get', `/restores/${s.id}`, users.alice);
    expect(overHttp.status).toBe(200);
    expect(overHttp.body.copy).toMatchObject({
      databaseName: s.copyName,
      state: 'expiring',
    });
    expect(
      (await call('get', `/restores/${s.id}/copy`, 'service')).body,
    ).toMatchObject({ databaseName: s.copyName, allowedActions: [] });
    const noConfirm = await call(
      'delete',
      `/restores/${s.id}/copy`,
      users.alice,
      {},
    );
    expect(noConfirm.status).toBe(400);
    expect(noConfirm.body.error.message).toContain('confirm');
    const byService = await call(
      'post',
      `/restores/${s.id}/copy/keep`,
      'service',
    );
    expect(byService.status).toBe(403);
    const byStranger = await call(
      'delete',
      `/restores/${s.id}/copy`,
      users.mallory,
      { confirm: s.copyName },
    );
    expect(byStranger.status).toBe(403);
    expect((await clusterHas(s.copyName)).database).toBe(true);

    const restore = await restores.get(s.id, as(users.alice));
    expect(restore.copy).toMatchObject({
      databaseName: s.copyName,
      state: 'expiring',
      allowedActions: ['keep', 'delete'],
    });
    const [listed] = await restores.list({}, as(users.alice));
    expect(listed.copy?.restoreId).toBe(s.id);
    expect(await restores.getCopy(s.id, as(users.alice))).toEqual(restore.copy);

    // A copy of a copy: refused until the copy is an ordinary database.
    await s.inventory.applyUpdates([
      {
        namespace: 'payments',
        name: s.targetName,
        databaseName: s.copyName,
        mode: 'standard',
        status: 'restored',
        cluster: 'eu',
        pullRequests: [],
      },
    ]);
    await expect(
      restores.create(
        { namespace: 'payments', name: s.targetName },
        { snapshotId: 'x', target: 'new-database', reason: 'copy again' },
        { credentials: as(users.alice) },
      ),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('is a restored copy'),
    });
  });

  it('is 404 for a restore that created no copy', async () => {
    const s = await setup();
    await expect(s.copies.get('nope', as(users.alice))).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('has no restored copy'),
    });
  });

  it('warns the owners once before expiry, then drops the copy with its roles and secrets', async () => {
    const s = await setup();
    expect((await clusterHas(s.copyName)).database).toBe(true);
    expect(s.secrets.secrets.size).toBe(3);

    expect(await s.copies.runOnce()).toEqual({ warned: 0, dropped: 0 });
    s.tb.clock.advance(2 * DAY + HOUR);
    expect(await s.copies.runOnce()).toEqual({ warned: 1, dropped: 0 });
    expect(await s.copies.runOnce()).toEqual({ warned: 0, dropped: 0 });
    expect(s.sent).toContainEqual({
      recipients: ['group:default/payments', users.alice],
      title: `Restored copy ${s.copyName} expires 2026-11-29T10:00:00.000Z`,
    });

    s.tb.clock.advance(DAY);
    expect(await s.copies.runOnce()).toEqual({ warned: 0, dropped: 1 });
    expect(await clusterHas(s.copyName)).toEqual({
      database: false,
      roles: [],
    });
    expect(s.secrets.secrets.size).toBe(0);
    expect(s.sent.map(n => n.title)).toContain(
      `Restored copy ${s.copyName} expired and was dropped`,
    );
    expect(s.audits).toContainEqual(
      expect.objectContaining({
        eventId: 'restored-copy-expire',
        outcome: 'success',
      }),
    );
    const dropped = await s.copies.get(s.id, as(users.alice));
    expect(dropped).toMatchObject({
      state: 'dropped',
      dropped: { at: '2026-11-29T11:00:00.000Z', reason: 'expired' },
      allowedActions: [],
    });
    expect(await s.copies.liveOrigins()).toEqual(new Map());
    await expect(
      s.copies.keep(s.id, { credentials: as(users.alice) }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('was dropped'),
    });
  });

  it('drops an expired copy once when two replicas run the task at once', async () => {
    const s = await setup();
    s.tb.clock.advance(4 * DAY);
    const results = await Promise.all([
      s.copies.runOnce(),
      s.service().runOnce(),
    ]);
    expect(results.reduce((n, r) => n + r.dropped, 0)).toBe(1);
    expect(
      s.audits.filter(a => a.eventId === 'restored-copy-expire'),
    ).toHaveLength(1);
  });

  it('keeps a copy with one pull request adding it to the apps repository, and never drops it', async () => {
    const s = await setup();
    const kept = await s.copies.keep(s.id, { credentials: as(users.alice) });
    const pulls = fake.listPulls('acme', 'apps', { state: 'all' });
    expect(pulls).toHaveLength(1);
    expect(pulls[0].head.ref).toBe(`dbaas/create/payments/${s.targetName}`);
    expect(kept).toMatchObject({
      state: 'kept',
      keep: {
        by: users.alice,
        branchName: `dbaas/create/payments/${s.targetName}`,
        pullRequestNumber: pulls[0].number,
        pullRequestUrl: pulls[0].html_url,
        merged: false,
      },
      allowedActions: [],
    });
    expect(kept.expiresAt).toBeUndefined();
    expect(
      fake.readFile(
        'acme',
        'apps',
        `dbaas/create/payments/${s.targetName}`,
        `payments/${s.targetName}/values.yaml`,
      ),
    ).toContain(`name: ${s.targetName}`);
    expect(s.syncs).toEqual(['sync']);
    expect(s.audits).toContainEqual(
      expect.objectContaining({
        eventId: 'restored-copy-keep',
        outcome: 'success',
      }),
    );

    // A second keep is the same pull request.
    const again = await s.copies.keep(s.id, { credentials: as(users.alice) });
    expect(again.keep?.pullRequestUrl).toBe(pulls[0].html_url);
    expect(fake.listPulls('acme', 'apps', { state: 'all' })).toHaveLength(1);

    s.tb.clock.advance(10 * DAY);
    expect(await s.copies.runOnce()).toEqual({ warned: 0, dropped: 0 });
    expect((await clusterHas(s.copyName)).database).toBe(true);
    await expect(
      s.copies.deleteNow(
        s.id,
        { confirm: s.copyName },
        { credentials: as(users.alice) },
      ),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('is kept by'),
    });
  });

  it('gives exactly one pull request for two keeps at once (two replicas)', async () => {
    const s = await setup();
    const [a, b] = await Promise.all([
      s.copies.keep(s.id, { credentials: as(users.alice) }),
      s.service().keep(s.id, { credentials: as(users.alice) }),
    ]);
    const pulls = fake.listPulls('acme', 'apps', { state: 'all' });
    expect(pulls).toHaveLength(1);
    expect(a.keep?.pullRequestUrl).toBe(pulls[0].html_url);
    expect(b.keep?.pullRequestUrl).toBe(pulls[0].html_url);
    expect(s.sent.filter(n => n.title.includes('kept'))).toHaveLength(1);
  });

  it('refuses keep and delete to whoever may not request restores of the copy', async () => {
    const s = await setup();
    await expect(
      s.copies.keep(s.id, { credentials: as(users.mallory) }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    await expect(
      s.copies.deleteNow(
        s.id,
        { confirm: s.copyName },
        { credentials: as(users.mallory) },
      ),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect((await clusterHas(s.copyName)).database).toBe(true);
    expect(fake.listPulls('acme', 'apps', { state: 'all' })).toHaveLength(0);
    expect(
      s.audits.filter(
        a => a.eventId.startsWith('restored-copy-') && a.outcome === 'fail',
      ),
    ).toHaveLength(2);
  });

  it('deletes a copy now once its name is confirmed', async () => {
    const s = await setup();
    for (const body of [undefined, { confirm: 'payments-ledger' }]) {
      await expect(
        s.copies.deleteNow(s.id, body as any, {
          credentials: as(users.alice),
        }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(
          `confirm must be its database name '${s.copyName}'`,
        ),
      });
    }
    const deleted = await s.copies.deleteNow(
      s.id,
      { confirm: s.copyName },
      { credentials: as(users.alice) },
    );
    expect(deleted).toMatchObject({
      state: 'dropped',
      dropped: { by: users.alice, reason: 'deleted' },
    });
    expect(await clusterHas(s.copyName)).toEqual({
      database: false,
      roles: [],
    });
    expect(s.audits).toContainEqual(
      expect.objectContaining({
        eventId: 'restored-copy-delete',
        severityLevel: 'high',
        outcome: 'success',
      }),
    );
  });

  it('keeps (never drops) a copy the apps repository asks for by other means', async () => {
    const s = await setup();
    await s.inventory.applyUpdates([
      {
        namespace: 'payments',
        name: s.targetName,
        databaseName: s.copyName,
        mode: 'standard',
        status: 'requested',
        cluster: 'eu',
        pullRequests: [],
      },
    ]);
    s.tb.clock.advance(4 * DAY);
    expect(await s.copies.runOnce()).toMatchObject({ dropped: 0 });
    expect((await clusterHas(s.copyName)).database).toBe(true);
    expect(await s.copies.get(s.id, as(users.alice))).toMatchObject({
      state: 'kept',
      keep: { by: 'the apps repository' },
      lastError: expect.stringContaining('asks for'),
    });
  });
});
