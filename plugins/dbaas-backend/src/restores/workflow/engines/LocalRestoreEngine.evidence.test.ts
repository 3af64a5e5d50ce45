import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { quoteIdent } from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import { PgToolLocator } from '../../../pgTools';
import { DatabaseSnapshotStore } from '../../../snapshots/DatabaseSnapshotStore';
import { migrated } from '../../../snapshots/__testUtils__/testCluster';
import { DatabaseSnapshotEvidenceStore } from '../../../snapshots/evidence';
import { DirectoryArchiveStore } from '../../../snapshots/local/archives/DirectoryArchiveStore';
import { sha256File } from '../../../snapshots/local/archives/archiveDigest';
import { LocalSnapshotCatalog } from '../../../snapshots/local/LocalSnapshotCatalog';
import { RestoreTarget } from '@dbaas/plugin-dbaas-common';
import { LocalRestoreEngine } from './LocalRestoreEngine';
import { restoreNames } from './restoreNames';
import {
  BIN_DIRECTORY,
  connect,
  connectAsRole,
  databasesLike,
  describeWithPostgres,
  dropNamespace,
  dumpDatabase,
  MemorySecretStore,
  newJob,
  query,
  StepRunner,
  testCluster,
  testProvisioner,
  uniqueNamespace,
} from './testFixtures';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

describeWithPostgres(
  'LocalRestoreEngine: verification against the snapshot’s evidence',
  () => {
    let knex: Knex;
    const namespaces: string[] = [];
    const folders: string[] = [];

    beforeAll(async () => {
      knex = await migrated(await databases.init('POSTGRES_15'));
    });
    afterAll(async () => {
      for (const namespace of namespaces) {
        await dropNamespace(namespace);
      }
      for (const folder of folders) {
        await rm(folder, { recursive: true, force: true });
      }
    });

    /**
     * `<ns>-orders` with 100 'before' items, a snapshot of it taken by the
     * catalog (dump and evidence), then an 'after' item.
     */
    async function setUp(target: RestoreTarget) {
      const namespace = uniqueNamespace();
      namespaces.push(namespace);
      const directory = await mkdtemp(
        join(tmpdir(), 'dbaas-evidence-restore-'),
      );
      folders.push(directory, `/tmp/dbaas-restore-work-${namespace}`);
      const secrets = new MemorySecretStore();
      const provisioner = testProvisioner(secrets);
      await provisioner.ensure({ namespace, name: 'orders', mode: 'standard' });
      const admin = await connectAsRole(secrets, namespace, 'orders', 'admin');
      try {
        await admin.query(
          `CREATE TABLE items (id serial PRIMARY KEY, label text NOT NULL)`,
        );
        await admin.query(
          `INSERT INTO items (label) SELECT 'before' FROM generate_series(1, 100)`,
        );
      } finally {
        await admin.end();
      }
      const store = new DatabaseSnapshotStore(knex);
      const archives = new DirectoryArchiveStore(directory);
      const catalog = new LocalSnapshotCatalog({
        store,
        archives,
        tools: new PgToolLocator({
          binDirectory: BIN_DIRECTORY,
          setting: 'dbaas.snapshots.local.binDirectory',
        }),
        retentionDays: { production: 35, staging: 35, test: 7, dev: 7 },
        schedule: { cron: '0 2 * * *' },
        logger: mockServices.logger.mock(),
      });
      const databaseName = `${namespace}-orders`;
      const subject = {
        namespace,
        name: 'orders',
        databaseName,
        cluster: testCluster(),
      };
      const snapshot = await catalog.take(subject, 'on-demand');
      const writer = await connectAsRole(secrets, namespace, 'orders', 'write');
      try {
        await writer.query(`INSERT INTO items (label) VALUES ('after')`);
      } finally {
        await writer.end();
      }
      const engine = new LocalRestoreEngine({
        settings: {
          parallelJobs: 2,
          binDirectory: BIN_DIRECTORY,
          workDirectory: `/tmp/dbaas-restore-work-${namespace}`,
        },
        provisionerFor: () => provisioner,
        openDump: (s, id) => catalog.openDump(s, id),
        evidence: new DatabaseSnapshotEvidenceStore(knex),
      });
      const job = newJob(namespace, target, { snapshotId: snapshot.id });
      const dumpFile = join(
        directory,
        testCluster().name,
        databaseName,
        `${snapshot.id}.dump`,
      );
      return { namespace, job, engine, snapshotId: snapshot.id, dumpFile };
    }

    /**
     * Replaces the snapshot's dump with one of a copy of the database that
     * `change` altered, and records the new file's size and checksum (a
     * dump that matches its checksum but not what the snapshot held: a
     * faulty dump, or a file swapped together with its record).
     */
    async function tamper(
      setup: Awaited<ReturnType<typeof setUp>>,
      change: string,
    ) {
      const { namespace, job, snapshotId, dumpFile } = setup;
      const copy = `${namespace}-tampered`;
      const admin = await connect('postgres');
      try {
        await admin.query(
          `CREATE DATABASE ${quoteIdent(copy)} TEMPLATE ${quoteIdent(
            job.databaseName,
          )}`,
        );
      } finally {
        await admin.end();
      }
      // Back to the snapshot's rows, then the change.
      await query(copy, `DELETE FROM items WHERE label = 'after'`);
      await query(copy, change);
      const file = await dumpDatabase(copy);
      folders.push(join(file, '..'));
      await copyFile(file, dumpFile);
      const checksum = await sha256File(dumpFile);
      const { size } = await stat(dumpFile);
      await knex('dbaas_snapshots')
        .where({ id: snapshotId })
        .update({ checksum, size_bytes: size });
    }

    async function labels(database: string): Promise<Record<string, number>> {
      const rows = await query<{ label: string; n: number }>(
        database,
        `SELECT label, count(*)::int AS n FROM items GROUP BY label`,
      );
      return Object.fromEntries(rows.map(r => [r.label, r.n]));
    }

    /** Runs preflight..verify; returns verify's error. */
    async function restoreUntilVerifyFails(runner: StepRunner) {
      await runner.run('preflight');
      await runner.run('restore');
      return runner.run('verify').then(
        () => {
          throw new Error('verify passed');
        },
        (e: Error) => e,
      );
    }

    it('verifies a restore against the evidence: exact rows and content hashes, and says so', async () => {
      const { job, engine } = await setUp('in-place');
      const runner = new StepRunner(engine, job);
      await runner.runAll();
      expect(await labels(job.databaseName)).toEqual({ before: 100 });
      expect(runner.messages()).toMatch(
        /verified '.*' against the snapshot's evidence: each table's exact rows and content hash as at the snapshot for all 1 tables, 100 rows \(public\.items 100\); 1 tables, 0 views, 1 sequences, 1 indexes as in the snapshot; read 1 row of public\.items as .*-admin/,
      );
      expect(runner.state.verification).toMatchObject({
        tables: 1,
        rows: 100,
        check: 'evidence',
      });
    });

    it('fails an in-place restore from a dump missing rows, naming the table, and leaves the original untouched', async () => {
      const setup = await setUp('in-place');
      const { job, engine, namespace } = setup;
      await tamper(
        setup,
        `DELETE FROM items WHERE id IN (SELECT id FROM items WHERE label = 'before' ORDER BY id LIMIT 10)`,
      );
      const runner = new StepRunner(engine, job);
      const error = await restoreUntilVerifyFails(runner);
      expect(error.message).toBe(
        `Verification of '${
          restoreNames(job).scratch
        }' failed: the restored data differs from the snapshot's evidence (each table's exact rows and content hash) in 1 table(s): public.items: 100 rows at the snapshot, 90 restored`,
      );
      await runner.cleanup();
      // The live database is as it was (with the row written after the
      // snapshot); no scratch copy, no safety copy.
      expect(await labels(job.databaseName)).toEqual({ before: 100, after: 1 });
      expect((await databasesLike(namespace)).sort()).toEqual(
        [job.databaseName, `${namespace}-tampered`].sort(),
      );
    });

    it('fails a restore whose rows are all there but whose content changed', async () => {
      const setup = await setUp('new-database');
      const { job, engine } = setup;
      await tamper(setup, `UPDATE items SET label = 'forged' WHERE id = 7`);
      const runner = new StepRunner(engine, job);
      const error = await restoreUntilVerifyFails(runner);
      expect(error.message).toMatch(
        /public\.items: 100 rows as at the snapshot, but their content differs \(content hash -?\d+ at the snapshot, -?\d+ restored\)$/,
      );
      await runner.cleanup();
      expect(await databasesLike(job.targetDatabaseName)).toEqual([]);
    });

    it('keeps the table-of-contents check for a snapshot taken without evidence, and says so', async () => {
      const setup = await setUp('new-database');
      const { job, engine, snapshotId } = setup;
      // As a snapshot taken before evidence was recorded.
      await knex('dbaas_snapshot_evidence')
        .where({ snapshot_id: snapshotId })
        .delete();
      const runner = new StepRunner(engine, job);
      await runner.runAll();
      expect(await labels(job.targetDatabaseName)).toEqual({ before: 100 });
      expect(runner.messages()).toMatch(
        /verified '.*' by the dump's table of contents \(the snapshot has no evidence to compare rows with\): 1 tables, 0 views, 1 sequences, 1 indexes as in the snapshot; 100 rows counted/,
      );
      expect(runner.state.verification).toMatchObject({
        check: 'table-of-contents',
      });
    });
  },
);
