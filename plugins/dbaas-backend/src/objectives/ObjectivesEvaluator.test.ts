import { randomUUID } from 'node:crypto';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import { DatabaseAccess } from '../access/DatabaseAccess';
import { FakeAwsServer } from '../__testUtils__/fakeAws/FakeAwsServer';
import { FakeAwsError } from '../__testUtils__/fakeAws/awsWire';
import { DatabaseInventoryStore } from '../inventory/DatabaseInventoryStore';
import { createClusterProviders } from '../providers/createClusterProviders';
import { AuroraSnapshotCatalog } from '../snapshots/aurora/AuroraSnapshotCatalog';
import { DatabaseSnapshotStore } from '../snapshots/DatabaseSnapshotStore';
import { ProviderSnapshotCatalog } from '../snapshots/ProviderSnapshotCatalog';
import {
  migrated,
  testLocalCluster,
  uniqueNamespace,
} from '../snapshots/__testUtils__/testCluster';
import { ObjectivesEvaluator } from './ObjectivesEvaluator';
import { readObjectiveSettings } from './ObjectiveSettings';
import { RecoveryPointReader } from './RecoveryPointReader';
import { RecoveryRunReader } from './RecoveryRunReader';
import { RecoveryService } from './RecoveryService';
import { RecoveryStatusStore } from './RecoveryStatusStore';
import { RpoMissNotifier } from './RpoMissNotifier';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const HOUR = 3_600_000;
const GIB = 2 ** 30;
const T0 = new Date('2026-12-13T12:00:00Z');
const at = (hoursAfterT0: number) =>
  new Date(T0.getTime() + hoursAfterT0 * HOUR);

describe('ObjectivesEvaluator (real PostgreSQL, fake AWS endpoint)', () => {
  let knex: Knex;
  let aws: FakeAwsServer;

  beforeAll(async () => {
    knex = await migrated(await databases.init('POSTGRES_15'));
    aws = await FakeAwsServer.start({
      server: testLocalCluster().connection,
    });
  });

  afterAll(async () => {
    await aws.close();
  });

  /**
   * Four databases on a self-hosted cluster (`local`, production) and one
   * on an Aurora cluster (`eu`, production): objectives 25 h / 4 h by
   * default, 1 h RPO for protected production databases.
   */
  async function setUp(options: { send?: () => Promise<void> } = {}) {
    const namespace = uniqueNamespace();
    const clock = { now: T0 };
    const inventory = new DatabaseInventoryStore(knex);
    const auroraId = `idp-${namespace}`;
    aws.rds.addSourceCluster({ id: auroraId, databases: [] });
    const providers = createClusterProviders([
      testLocalCluster({
        name: `local-${namespace}`,
        environment: 'production',
      }),
      {
        ...testLocalCluster({
          name: `eu-${namespace}`,
          environment: 'production',
        }),
        provider: 'aurora' as const,
        aurora: { region: 'eu-west-1', clusterIdentifier: auroraId },
      },
    ]);
    const [local, eu] = providers.map(p => p.cluster.name);
    const record = (
      name: string,
      cluster: string,
      managedSince: Date,
      mode: 'standard' | 'protected' = 'standard',
    ) => ({
      namespace,
      name,
      databaseName: `${namespace}-${name}`,
      mode,
      status: 'ready' as const,
      cluster,
      managedSince,
      pullRequests: [],
      at: managedSince,
    });
    await inventory.applyUpdates([
      record('fresh', local, at(-48)),
      record('stale', local, at(-48)),
      record('young', local, at(-1)),
      record('never', local, at(-48)),
      record('guarded', local, at(-48), 'protected'),
      record('aurora', eu, at(-48)),
    ]);
    const snapshots = new DatabaseSnapshotStore(knex);
    const snapshot = async (name: string, created: Date, sizeBytes = GIB) => {
      const id = randomUUID();
      await snapshots.begin({
        id,
        cluster: local,
        databaseName: `${namespace}-${name}`,
        namespace,
        name,
        type: 'scheduled',
        createdAt: created,
        expiresAt: at(24 * 30),
      });
      await snapshots.complete(id, {
        sizeBytes,
        checksum: 'sha256:00',
        engineVersion: '15.4',
        completedAt: new Date(created.getTime() + 60_000),
      });
      return id;
    };
    const store = new RecoveryStatusStore(knex);
    const settings = readObjectiveSettings(
      new ConfigReader({
        dbaas: {
          objectives: {
            environments: {
              production: { protected: { rpo: { hours: 1 } } },
            },
          },
        },
      }),
      mockServices.logger.mock(),
    );
    const sent: Array<{ title: string; to: string[]; description?: string }> =
      [];
    const audited: any[] = [];
    const notifier = new RpoMissNotifier({
      store,
      notifications: {
        send: async (notification: any) => {
          await options.send?.();
          const recipients = notification.recipients as {
            entityRef: string[];
          };
          sent.push({
            title: notification.payload.title,
            description: notification.payload.description,
            to: recipients.entityRef,
          });
        },
      } as any,
      auditor: {
        createEvent: async (event: any) => {
          audited.push(event);
          return { success: async () => {}, fail: async () => {} };
        },
      } as any,
      tenants: {
        listTenants: async () => [
          { namespace, owners: [`group:default/${namespace}-team`] },
        ],
      },
      logger: mockServices.logger.mock(),
    });
    const catalog = new ProviderSnapshotCatalog({
      cluster: new AuroraSnapshotCatalog({
        retentionDays: { production: 35, staging: 35, test: 7, dev: 7 },
        clientFor: region => aws.rdsClient(region),
        cacheTtlMs: 0,
      }),
    });
    const evaluator = () =>
      new ObjectivesEvaluator({
        inventory,
        providers,
        points: new RecoveryPointReader(knex, catalog),
        runs: new RecoveryRunReader(knex),
        store,
        settings,
        notifier,
        logger: mockServices.logger.mock(),
        now: () => clock.now,
      });
    const service = new RecoveryService({
      inventory,
      access: {
        assertDatabase: async () => {},
      } as unknown as DatabaseAccess,
      store,
      settings,
      clusters: providers.map(p => p.cluster),
      drills: { list: async () => [], unavailableReason: () => undefined },
      now: () => clock.now,
    });
    const ref = (name: string) => ({ namespace, name });
    return {
      namespace,
      clock,
      inventory,
      providers,
      local,
      eu,
      auroraId,
      snapshot,
      store,
      evaluator,
      service,
      sent,
      audited,
      ref,
    };
  }

  it('measures the RPO as the age of the newest available snapshot, or of the database without one', async () => {
    const t = await setUp();
    await t.snapshot('fresh', at(-30));
    const freshId = await t.snapshot('fresh', at(-2));
    await t.snapshot('stale', at(-30));
    // A newer snapshot that failed is no recovery point.
    await knex('dbaas_snapshots').insert({
      id: randomUUID(),
      cluster: t.local,
      database_name: `${t.namespace}-stale`,
      namespace: t.namespace,
      name: 'stale',
      type: 'scheduled',
      status: 'failed',
      created_at: at(-3),
      expires_at: at(100),
      heartbeat_at: at(-3),
      error: 'pg_dump exited 1',
    });
    await t.snapshot('guarded', at(-2));
    await aws.rds.captureRecoveryPoint(t.auroraId, at(-0.1));

    const result = await t.evaluator().evaluate();
    expect(result.evaluated).toBe(6);

    const fresh = await t.service.recovery(t.ref('fresh'), {} as any);
    expect(fresh.rpo).toEqual({
      targetSeconds: 25 * 3600,
      status: 'met',
      ageSeconds: 2 * 3600,
      recoveryPointAt: at(-2).toISOString(),
      source: 'snapshot',
      snapshotId: freshId,
      evaluatedAt: T0.toISOString(),
    });
    const stale = await t.service.recovery(t.ref('stale'), {} as any);
    expect(stale.rpo).toMatchObject({
      status: 'missed',
      ageSeconds: 30 * 3600,
      recoveryPointAt: at(-30).toISOString(),
      missedSince: T0.toISOString(),
    });
    expect(
      (await t.service.recovery(t.ref('young'), {} as any)).rpo,
    ).toMatchObject({
      status: 'met',
      ageSeconds: 3600,
      reason: 'no snapshot yet; the database is younger than the RPO',
    });
    expect(
      (await t.service.recovery(t.ref('never'), {} as any)).rpo,
    ).toMatchObject({
      status: 'missed',
      ageSeconds: 48 * 3600,
      reason: 'no snapshot yet',
    });
    // Protected production databases: 1 hour.
    expect(
      (await t.service.recovery(t.ref('guarded'), {} as any)).rpo,
    ).toMatchObject({
      status: 'missed',
      targetSeconds: 3600,
      ageSeconds: 2 * 3600,
    });
    // Aurora: the cluster's latest restorable time, read through the SDK.
    expect((await t.service.recovery(t.ref('aurora'), {} as any)).rpo).toEqual({
      targetSeconds: 25 * 3600,
      status: 'met',
      ageSeconds: 360,
      recoveryPointAt: at(-0.1).toISOString(),
      source: 'restorable-time',
      evaluatedAt: T0.toISOString(),
    });
    expect(aws.rds.count('DescribeDBClusters')).toBeGreaterThan(0);

    // The age grows between evaluations: a miss shows when it happens.
    t.clock.now = at(24);
    expect(
      (await t.service.recovery(t.ref('fresh'), {} as any)).rpo,
    ).toMatchObject({
      status: 'missed',
      ageSeconds: 26 * 3600,
      missedSince: at(23).toISOString(),
    });

    const summaries = await t.service.summaries(
      await t.inventory.listDatabaseSummaries({ namespaces: [t.namespace] }),
    );
    expect(
      Object.fromEntries(
        [...summaries].map(([key, s]) => [
          key.split('/')[1],
          [s.rpo, s.rpo === 'missed' || s.rto === 'missed'],
        ]),
      ),
    ).toEqual({
      aurora: ['met', false],
      fresh: ['missed', true],
      guarded: ['missed', true],
      never: ['missed', true],
      stale: ['missed', true],
      young: ['met', false],
    });
  });

  it('notifies the owners once per miss, not every cycle, and again after a new miss', async () => {
    const t = await setUp();
    await t.snapshot('fresh', at(-2));
    await t.snapshot('young', at(-0.5));
    await t.snapshot('never', at(-2));
    await t.snapshot('guarded', at(-0.5));
    await aws.rds.captureRecoveryPoint(t.auroraId, at(-0.1));
    await t.snapshot('stale', at(-30));

    expect((await t.evaluator().evaluate()).notified).toEqual([t.ref('stale')]);
    expect(t.sent).toEqual([
      {
        title: `Database ${t.namespace}-stale missed its recovery point objective (1 d 1 h)`,
        description: `Its newest recovery point is from ${at(
          -30,
        ).toISOString()} (1 d 6 h ago); the objective for production/standard databases is 1 d 1 h. A restore now would lose everything written since.`,
        to: [`group:default/${t.namespace}-team`],
      },
    ]);
    expect(t.audited.map(e => e.eventId)).toEqual([
      'recovery-objective-missed',
    ]);

    // Cycles later, still missed: nothing new.
    t.clock.now = at(0.1);
    expect((await t.evaluator().evaluate()).notified).toEqual([]);
    t.clock.now = at(0.2);
    const again = await t.evaluator().evaluate();
    expect(again.rpoMissed).toEqual([t.ref('stale')]);
    expect(again.notified).toEqual([]);
    expect(t.sent).toHaveLength(1);
    expect((await t.store.get(t.ref('stale')))?.rpoMissedSince).toEqual(T0);

    // A new snapshot meets it; the next miss is a new one.
    await t.snapshot('stale', at(0.25));
    t.clock.now = at(0.3);
    await t.evaluator().evaluate();
    const met = await t.store.get(t.ref('stale'));
    expect(met?.rpoMissedSince).toBeUndefined();
    expect(met?.rpoNotifiedAt).toBeUndefined();
    t.clock.now = at(26);
    await aws.rds.captureRecoveryPoint(t.auroraId, at(25.9));
    const second = await t.evaluator().evaluate();
    expect(second.notified.map(r => r.name).sort()).toEqual([
      'fresh',
      'guarded',
      'never',
      'stale',
      'young',
    ]);
    expect(t.sent.filter(s => s.title.includes('-stale '))).toHaveLength(2);
  });

  it('two replicas evaluating at once send each miss once', async () => {
    const t = await setUp();
    await aws.rds.captureRecoveryPoint(t.auroraId, at(-0.1));
    const results = await Promise.all([
      t.evaluator().evaluate(),
      t.evaluator().evaluate(),
      t.evaluator().evaluate(),
    ]);
    const notified = results.flatMap(r => r.notified.map(ref => ref.name));
    // never, stale, guarded, fresh (no snapshot for 48 h); young is 1 h old.
    expect(notified.sort()).toEqual(['fresh', 'guarded', 'never', 'stale']);
    expect(t.sent).toHaveLength(4);
  });

  it('tries a notification that could not be sent again next cycle', async () => {
    let failures = 1;
    const t = await setUp({
      send: async () => {
        if (failures-- > 0) {
          throw new Error('notifications backend unavailable');
        }
      },
    });
    for (const name of ['fresh', 'never', 'guarded', 'young']) {
      await t.snapshot(name, at(-0.5));
    }
    await aws.rds.captureRecoveryPoint(t.auroraId, at(-0.1));
    await t.snapshot('stale', at(-30));
    expect((await t.evaluator().evaluate()).notified).toEqual([]);
    expect((await t.store.get(t.ref('stale')))?.rpoNotifiedAt).toBeUndefined();
    t.clock.now = at(0.1);
    expect((await t.evaluator().evaluate()).notified).toEqual([t.ref('stale')]);
    expect(t.sent).toHaveLength(1);
  });

  it('keeps the last recovery point when AWS fails, shows the RPO unknown rather than missed, and notifies nothing', async () => {
    const t = await setUp();
    for (const name of ['fresh', 'never', 'stale', 'guarded', 'young']) {
      await t.snapshot(name, at(-0.5));
    }
    await aws.rds.captureRecoveryPoint(t.auroraId, at(-0.1));
    await t.evaluator().evaluate();

    t.clock.now = at(30);
    aws.rds.failNext(
      'DescribeDBClusters',
      new FakeAwsError('InternalFailure', 'simulated outage', 500),
    );
    const result = await t.evaluator().evaluate();
    expect(result.rpoUnknown).toEqual([t.ref('aurora')]);
    expect(result.notified.map(r => r.name)).not.toContain('aurora');
    const aurora = await t.service.recovery(t.ref('aurora'), {} as any);
    expect(aurora.rpo).toMatchObject({
      status: 'unknown',
      recoveryPointAt: at(-0.1).toISOString(),
      evaluatedAt: at(30).toISOString(),
    });
    expect(aurora.rpo.reason).toMatch(
      /Could not read the recovery point of cluster 'eu-.*': .*simulated outage/,
    );
  });

  it('estimates the RTO from drills and restores, and misses it after a failed drill', async () => {
    const t = await setUp();
    await t.snapshot('fresh', at(-2), 2 * GIB);
    await aws.rds.captureRecoveryPoint(t.auroraId, at(-0.1));
    const drill = (
      name: string,
      state: 'passed' | 'failed',
      finished: Date,
      durationMs?: number,
      sizeBytes = GIB,
    ) =>
      knex('dbaas_restore_drills').insert({
        id: randomUUID(),
        namespace: t.namespace,
        name,
        database_name: `${t.namespace}-${name}`,
        cluster: t.local,
        state,
        started_at: finished,
        heartbeat_at: finished,
        finished_at: finished,
        duration_ms: durationMs ?? null,
        snapshot_size_bytes: sizeBytes,
        error:
          state === 'failed'
            ? 'verification failed: tables: 3 in the snapshot, 2 restored'
            : null,
      });
    await drill('fresh', 'passed', at(-10), 60_000);
    await drill('stale', 'passed', at(-9), 30_000);
    await drill('guarded', 'passed', at(-8), 20_000);
    await drill('guarded', 'failed', at(-7));
    // A real in-place restore of 'never' that took 3 hours.
    await knex('dbaas_restore_requests').insert({
      id: randomUUID(),
      namespace: t.namespace,
      name: 'never',
      database_name: `${t.namespace}-never`,
      cluster: t.local,
      mode: 'standard',
      snapshot_id: 'snap-x',
      snapshot_created_at: at(-20),
      target: 'in-place',
      target_database_name: `${t.namespace}-never`,
      reason: 'test',
      state: 'succeeded',
      requested_by: 'user:default/a',
      requested_at: at(-20),
      expires_at: at(4),
      updated_at: at(-17),
      fingerprint: 'f',
      approvals_required: 1,
      started_at: at(-20),
      finished_at: at(-15),
    });

    // An in-place restore of 'stale' that ran 2 hours, 90 minutes of which
    // it waited for someone to finalize it: 30 minutes of restoring.
    await knex('dbaas_restore_requests').insert({
      id: randomUUID(),
      namespace: t.namespace,
      name: 'stale',
      database_name: `${t.namespace}-stale`,
      cluster: t.local,
      mode: 'standard',
      snapshot_id: 'snap-y',
      snapshot_created_at: at(-20),
      target: 'in-place',
      target_database_name: `${t.namespace}-stale`,
      reason: 'test',
      state: 'succeeded',
      requested_by: 'user:default/a',
      requested_at: at(-6),
      expires_at: at(4),
      updated_at: at(-4),
      fingerprint: 'f',
      approvals_required: 1,
      started_at: at(-6),
      finalize_required: true,
      finalize_time_limit_ms: 24 * HOUR,
      // Entered awaiting-finalize at -5.75 h, finalized at -4.25 h.
      finalize_deadline: at(-5.75 + 24),
      finalized_at: at(-4.25),
      finished_at: at(-4),
    });

    await t.evaluator().evaluate();
    const rto = async (name: string) =>
      (await t.service.recovery(t.ref(name), {} as any)).rto;
    // 1 GiB drilled in 60 s; the newest snapshot is 2 GiB.
    expect(await rto('fresh')).toEqual({
      targetSeconds: 4 * 3600,
      status: 'met',
      estimateSeconds: 120,
      basis: {
        scope: 'database',
        runs: 1,
        newestRunAt: at(-10).toISOString(),
        method:
          "90th percentile of 1 drill of this database, 1 scaled up to the newest snapshot's 2.00 GiB",
      },
    });
    expect(await rto('never')).toMatchObject({
      status: 'missed',
      estimateSeconds: 5 * 3600,
      basis: {
        scope: 'database',
        method: '90th percentile of 1 restore of this database',
      },
    });
    // Its own runs: the drill (30 s) and the restore without the wait.
    expect(await rto('stale')).toMatchObject({
      status: 'met',
      estimateSeconds: 30 * 60,
      basis: {
        runs: 2,
        method: '90th percentile of 1 drill and 1 restore of this database',
      },
    });
    expect(await rto('guarded')).toMatchObject({
      status: 'missed',
      estimateSeconds: 20,
      reason: `the drill of ${at(
        -7,
      ).toISOString()} failed: verification failed: tables: 3 in the snapshot, 2 restored`,
    });
    // No own run: the cluster's runs (of other databases).
    expect(await rto('young')).toMatchObject({
      status: 'missed',
      basis: { scope: 'cluster', runs: 5 },
    });
    expect(await rto('aurora')).toEqual({
      targetSeconds: 4 * 3600,
      status: 'unknown',
      reason:
        'no restore or drill of this database or its cluster measured yet',
    });

    // A drill passing after the failure answers it.
    await drill('guarded', 'passed', at(-1), 25_000);
    await t.evaluator().evaluate();
    expect(await rto('guarded')).toMatchObject({
      status: 'met',
      estimateSeconds: 25,
    });
    const summaries = await t.service.summaries(
      await t.inventory.listDatabaseSummaries({ namespaces: [t.namespace] }),
    );
    expect(summaries.get(`${t.namespace}/guarded`)).toMatchObject({
      rto: 'met',
      rtoEstimateSeconds: 25,
      lastDrill: 'passed',
    });
  });

  it('forgets databases that are no longer ready', async () => {
    const t = await setUp();
    await aws.rds.captureRecoveryPoint(t.auroraId, at(-0.1));
    await t.evaluator().evaluate();
    expect(await t.store.get(t.ref('young'))).toBeDefined();
    await t.inventory.applyUpdates([
      {
        namespace: t.namespace,
        name: 'young',
        databaseName: `${t.namespace}-young`,
        mode: 'standard',
        status: 'deleted',
        cluster: t.local,
        pullRequests: [],
      },
    ]);
    await t.evaluator().evaluate();
    expect(await t.store.get(t.ref('young'))).toBeUndefined();
    const recovery = await t.service.recovery(t.ref('young'), {} as any);
    expect(recovery.rpo).toEqual({
      targetSeconds: 25 * 3600,
      status: 'unknown',
      reason: 'the database is deleted, not ready',
    });
  });
});
