import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { RestoreTarget } from '@dbaas/plugin-dbaas-common';
import { applyDatabaseMigrations } from '../../database/migrations';
import { SnapshotSubject } from '../../snapshots/SnapshotCatalog';
import { DatabaseSnapshotStore } from '../../snapshots/DatabaseSnapshotStore';
import { LocalSnapshotCatalog } from '../../snapshots/local/LocalSnapshotCatalog';
import { PgToolLocator } from '../../pgTools';
import { DirectoryArchiveStore } from '../../snapshots/local/archives/DirectoryArchiveStore';
import { recordingAuditor, users } from '../__testUtils__/restoreTestbed';
import { RestoreEvents } from '../RestoreEvents';
import { approvalsRequiredFor, restoreFingerprint } from '../requestIdentity';
import { DatabaseRestoreStore } from '../store/DatabaseRestoreStore';
import { LocalRestoreEngine } from './engines/LocalRestoreEngine';
import {
  BIN_DIRECTORY,
  connectAsRole,
  databasesLike,
  dropNamespace,
  MemorySecretStore,
  query,
  testCluster,
  testProvisioner,
  uniqueNamespace,
} from './engines/testFixtures';
import { RestoreExecutor } from './RestoreExecutor';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const DAY = 24 * 3_600_000;

/**
 * The executor with the real self-hosted engine and the real snapshot
 * catalog on a real PostgreSQL server: pg_dump snapshot, pg_restore, swap,
 * grants. Rows written after the snapshot disappear; rows before come back.
 */
describe('RestoreExecutor with the real local engine and snapshots', () => {
  const namespace = uniqueNamespace();
  const databaseName = `${namespace}-orders`;
  const cluster = testCluster('local');
  let directory: string;

  afterAll(async () => {
    await dropNamespace(namespace);
    await rm(directory, { recursive: true, force: true });
  });

  it('restores into a new database, then in place across a crash, and drops the safety copy when due', async () => {
    const knex = await databases.init('POSTGRES_15');
    await applyDatabaseMigrations(mockServices.database({ knex }));
    directory = await mkdtemp(join(tmpdir(), 'dbaas-restore-it-'));
    let now = new Date();
    const clock = () => now;

    const secrets = new MemorySecretStore();
    const provisioner = testProvisioner(secrets);
    await provisioner.ensure({ namespace, name: 'orders', mode: 'standard' });
    const admin = await connectAsRole(secrets, namespace, 'orders', 'admin');
    await admin.query(
      `CREATE TABLE items (id serial PRIMARY KEY, label text NOT NULL)`,
    );
    await admin.query(
      `INSERT INTO items (label) SELECT 'before' FROM generate_series(1, 50)`,
    );
    await admin.end();

    const snapshots = new LocalSnapshotCatalog({
      store: new DatabaseSnapshotStore(knex),
      archives: new DirectoryArchiveStore(directory),
      tools: new PgToolLocator({
        binDirectory: BIN_DIRECTORY,
        setting: 'dbaas.snapshots.local.binDirectory',
      }),
      retentionDays: { production: 35, staging: 35, test: 7, dev: 7 },
      schedule: { cron: '0 2 * * *' },
      logger: mockServices.logger.mock(),
    });
    const subject: SnapshotSubject = {
      namespace,
      name: 'orders',
      databaseName,
      cluster,
    };
    const snapshot = await snapshots.take(subject, 'on-demand');

    const writer = await connectAsRole(secrets, namespace, 'orders', 'write');
    await writer.query(`INSERT INTO items (label) VALUES ('after')`);
    await writer.end();

    const store = new DatabaseRestoreStore(knex);
    const { auditor } = recordingAuditor();
    const executor = (owner: string) =>
      new RestoreExecutor({
        store,
        engines: {
          logical: new LocalRestoreEngine({
            settings: {
              parallelJobs: 2,
              binDirectory: BIN_DIRECTORY,
              workDirectory: directory,
            },
            provisionerFor: () => provisioner,
            openDump: (s, id) => snapshots.openDump(s, id),
          }),
        },
        clusters: [cluster],
        events: new RestoreEvents({
          auditor,
          logger: mockServices.logger.mock(),
          approverGroups: [],
        }),
        logger: mockServices.logger.mock(),
        leaseMs: 120_000,
        keepSafetyCopyForMs: 7 * DAY,
        owner,
        now: clock,
      });

    /** An approved request, as the approval flow leaves it. */
    async function approvedRequest(
      id: string,
      target: RestoreTarget,
      targetDatabaseName: string,
    ) {
      const identity = {
        databaseName,
        snapshotId: snapshot.id,
        target,
        targetDatabaseName,
      };
      const fingerprint = restoreFingerprint(identity);
      await store.create(
        {
          id,
          namespace,
          name: 'orders',
          cluster: cluster.name,
          mode: 'standard',
          snapshotCreatedAt: new Date(snapshot.createdAt),
          reason: 'integration',
          requestedBy: users.alice,
          requestedAt: now,
          expiresAt: new Date(now.getTime() + DAY),
          fingerprint,
          approvalsRequired: approvalsRequiredFor('standard', target),
          ...identity,
        },
        [],
      );
      await store.addApproval(
        id,
        { by: users.bob, at: now, fingerprint },
        now,
        [],
      );
    }
    const labels = async (database: string) =>
      (
        await query<{ label: string; n: string }>(
          database,
          'SELECT label, count(*)::text AS n FROM items GROUP BY label ORDER BY label',
        )
      ).map(r => `${r.label}:${r.n}`);

    // New database: the original keeps its newer row.
    const copy = `${namespace}-orders-restored-it`;
    await approvedRequest(`${namespace}-new`, 'new-database', copy);
    expect(await executor('a').runOnce()).toEqual({
      [`${namespace}-new`]: 'finished',
    });
    expect((await store.get(`${namespace}-new`))?.state).toBe('succeeded');
    expect(await labels(copy)).toEqual(['before:50']);
    expect(await labels(databaseName)).toEqual(['after:1', 'before:50']);

    // In place, with the replica killed after two steps: another resumes.
    await approvedRequest(`${namespace}-inplace`, 'in-place', databaseName);
    expect(await executor('a').runOnce({ maxSteps: 2 })).toEqual({
      [`${namespace}-inplace`]: 'stopped',
    });
    now = new Date(now.getTime() + 120_001);
    expect(await executor('b').runOnce()).toEqual({
      [`${namespace}-inplace`]: 'finished',
    });
    const done = await store.get(`${namespace}-inplace`);
    expect(done?.state).toBe('succeeded');
    expect(await labels(databaseName)).toEqual(['before:50']);
    const safety = done!.safetyCopy!.databaseName;
    expect(await labels(safety)).toEqual(['after:1', 'before:50']);
    // The tenant's roles still work on the restored database.
    const reader = await connectAsRole(secrets, namespace, 'orders', 'read');
    expect(
      (await reader.query('SELECT count(*)::int AS n FROM items')).rows,
    ).toEqual([{ n: 50 }]);
    await reader.end();

    now = new Date(now.getTime() + 7 * DAY);
    expect(await executor('b').dropDueSafetyCopies()).toBe(1);
    expect(await databasesLike(safety)).toEqual([]);
  });
});
