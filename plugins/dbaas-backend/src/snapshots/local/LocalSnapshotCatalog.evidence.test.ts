import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { quoteIdent, toPgClientConfig } from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import { Client } from 'pg';
import { PgToolLocator, runPgTool } from '../../pgTools';
import { DatabaseSnapshotStore } from '../DatabaseSnapshotStore';
import { SnapshotSubject } from '../SnapshotCatalog';
import {
  TEST_PG_BIN,
  dropDatabase,
  migrated,
  testLocalCluster,
  uniqueNamespace,
} from '../__testUtils__/testCluster';
import {
  compareEvidence,
  DatabaseSnapshotEvidenceStore,
  FINGERPRINT_ALGORITHM,
  measureDatabase,
} from '../evidence';
import { DirectoryArchiveStore } from './archives/DirectoryArchiveStore';
import { LocalSnapshotCatalog } from './LocalSnapshotCatalog';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

async function open(database: string): Promise<Client> {
  const client = new Client(
    toPgClientConfig(testLocalCluster().connection, { database }),
  );
  client.on('error', () => {});
  await client.connect();
  return client;
}

async function measure(database: string) {
  const client = await open(database);
  try {
    return await measureDatabase(client);
  } finally {
    await client.end();
  }
}

/** Until pg_dump of this snapshot waits for a lock (it has imported the snapshot). */
async function untilDumpWaitsForLock(database: string): Promise<void> {
  const client = await open('postgres');
  try {
    for (let i = 0; i < 400; i++) {
      const { rows } = await client.query(
        `SELECT 1 FROM pg_stat_activity
         WHERE datname = $1 AND application_name LIKE 'backstage-dbaas-snapshot %'
           AND wait_event_type = 'Lock'`,
        [database],
      );
      if (rows.length > 0) {
        return;
      }
      await sleep(50);
    }
    throw new Error('pg_dump never waited for the lock');
  } finally {
    await client.end();
  }
}

describe('LocalSnapshotCatalog evidence (real PostgreSQL and pg_dump)', () => {
  let knex: Knex;
  let directory: string;
  let subject: SnapshotSubject;
  let store: DatabaseSnapshotStore;
  let archives: DirectoryArchiveStore;
  const created: string[] = [];

  function catalog() {
    return new LocalSnapshotCatalog({
      store,
      archives,
      tools: new PgToolLocator({
        setting: 'dbaas.snapshots.local.binDirectory',
      }),
      retentionDays: { production: 35, staging: 35, test: 7, dev: 7 },
      schedule: { cron: '0 2 * * *' },
      logger: mockServices.logger.mock(),
    });
  }

  beforeAll(async () => {
    knex = await migrated(await databases.init('POSTGRES_15'));
  });

  /**
   * `<ns>-ledger`: the `gate` table is created first, so pg_dump (which
   * locks tables in creation order) stops at it while a session holds it;
   * then ledger_entries with 1000 rows and a second table.
   */
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'dbaas-evidence-'));
    const namespace = uniqueNamespace();
    const databaseName = `${namespace}-ledger`;
    const admin = await open('postgres');
    await admin.query(`CREATE DATABASE ${quoteIdent(databaseName)}`);
    await admin.end();
    created.push(databaseName);
    const db = await open(databaseName);
    await db.query('CREATE TABLE gate (id int)');
    await db.end();
    const ledger = await open(databaseName);
    await ledger.query(
      'CREATE TABLE ledger_entries (id int PRIMARY KEY, amount numeric, note text)',
    );
    await ledger.query(
      `INSERT INTO ledger_entries SELECT g, g * 1.5, 'entry ' || g FROM generate_series(1, 1000) g`,
    );
    await ledger.query('CREATE TABLE accounts (id int, owner text)');
    await ledger.query(`INSERT INTO accounts VALUES (1, 'a'), (2, 'b')`);
    await ledger.end();
    subject = {
      namespace,
      name: 'ledger',
      databaseName,
      cluster: testLocalCluster(),
    };
    store = new DatabaseSnapshotStore(knex);
    archives = new DirectoryArchiveStore(directory);
  });

  afterEach(() => rm(directory, { recursive: true, force: true }));
  afterAll(async () => {
    for (const name of created) {
      await dropDatabase(name);
    }
  });

  it('records per-table rows and content hashes in the dump’s own MVCC snapshot: writes committed while pg_dump runs are in neither', async () => {
    const { databaseName } = subject;
    const gate = await open(databaseName);
    await gate.query('BEGIN');
    await gate.query('LOCK TABLE gate IN ACCESS EXCLUSIVE MODE');
    const taking = catalog().take(subject, 'on-demand');
    // pg_dump has imported the exported snapshot and waits at `gate`: the
    // evidence waits for pg_dump's locks, so it is measured after these.
    await untilDumpWaitsForLock(databaseName);
    const writer = await open(databaseName);
    await writer.query(
      `INSERT INTO ledger_entries SELECT g, g, 'late' FROM generate_series(1001, 1500) g`,
    );
    await writer.query('DELETE FROM ledger_entries WHERE id <= 10');
    await writer.query(`UPDATE accounts SET owner = 'changed' WHERE id = 1`);
    await writer.end();
    await gate.query('COMMIT');
    await gate.end();
    const snapshot = await taking;

    const evidence = await new DatabaseSnapshotEvidenceStore(knex).get(
      snapshot.id,
    );
    expect(evidence?.fingerprint).toBe(FINGERPRINT_ALGORITHM);
    expect(evidence?.tables.map(t => [t.name, t.rows])).toEqual([
      ['accounts', 2],
      ['gate', 0],
      ['ledger_entries', 1000],
    ]);

    // The dump holds exactly what the evidence says.
    const restored = `${databaseName}-restored`;
    created.push(restored);
    const admin = await open('postgres');
    await admin.query(`CREATE DATABASE ${quoteIdent(restored)}`);
    await admin.end();
    await runPgTool({
      tool: await new PgToolLocator({ setting: 'DBAAS_TEST_PG_BIN' }).at(
        TEST_PG_BIN,
        'pg_restore',
      ),
      args: [
        '--no-password',
        `--dbname=${restored}`,
        '--exit-on-error',
        join(directory, 'local', databaseName, `${snapshot.id}.dump`),
      ],
      what: 'pg_restore',
      target: {
        connection: testLocalCluster().connection,
        database: restored,
        applicationName: 'evidence-test',
      },
    });
    expect(compareEvidence(evidence!, await measure(restored))).toEqual({
      problems: [],
      tables: [],
      fingerprints: true,
    });
    // While the database itself moved on (and would not match).
    expect(
      compareEvidence(evidence!, await measure(databaseName)).tables,
    ).toEqual(['public.accounts', 'public.ledger_entries']);
  });

  it('includes every row committed before the snapshot', async () => {
    const writer = await open(subject.databaseName);
    await writer.query(`INSERT INTO accounts VALUES (3, 'c')`);
    await writer.end();
    const snapshot = await catalog().take(subject, 'scheduled');
    const evidence = await new DatabaseSnapshotEvidenceStore(knex).get(
      snapshot.id,
    );
    expect(evidence).toEqual(await measure(subject.databaseName));
    expect(evidence?.tables.find(t => t.name === 'accounts')?.rows).toBe(3);
  });

  it('fails the snapshot, naming the table, when a table is truncated after the export (not MVCC-safe) and keeps nothing', async () => {
    const { databaseName } = subject;
    const gate = await open(databaseName);
    await gate.query('BEGIN');
    await gate.query('LOCK TABLE gate IN ACCESS EXCLUSIVE MODE');
    const taking = catalog()
      .take(subject, 'scheduled')
      .catch(e => e);
    await untilDumpWaitsForLock(databaseName);
    const writer = await open(databaseName);
    await writer.query('TRUNCATE ledger_entries');
    await writer.end();
    await gate.query('COMMIT');
    await gate.end();
    const error = await taking;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(
      /public\.ledger_entries in '.*-ledger' was truncated or rewritten .* while the snapshot was taken/,
    );
    const [row] = await store.listForDatabase('local', databaseName);
    expect(row).toMatchObject({ status: 'failed' });
    expect(await archives.list()).toEqual([]);
    await expect(
      new DatabaseSnapshotEvidenceStore(knex).get(row.id),
    ).resolves.toBeUndefined();
  });

  it('stops pg_dump and fails when the snapshot is aborted while pg_dump waits', async () => {
    const { databaseName } = subject;
    const gate = await open(databaseName);
    await gate.query('BEGIN');
    await gate.query('LOCK TABLE gate IN ACCESS EXCLUSIVE MODE');
    const controller = new AbortController();
    const taking = catalog()
      .take(subject, 'scheduled', { signal: controller.signal })
      .catch(e => e);
    await untilDumpWaitsForLock(databaseName);
    controller.abort();
    const error = await taking;
    await gate.query('COMMIT');
    await gate.end();
    expect(error.message).toMatch(/pg_dump .* (stopped|aborted)/);
    const [row] = await store.listForDatabase('local', databaseName);
    expect(row.status).toBe('failed');
    expect(await archives.list()).toEqual([]);
    // Nothing of the snapshot's sessions is left on the server.
    const admin = await open('postgres');
    const { rows } = await admin.query(
      `SELECT application_name FROM pg_stat_activity
       WHERE datname = $1 AND application_name LIKE 'backstage-dbaas-snapshot%'`,
      [databaseName],
    );
    await admin.end();
    expect(rows).toEqual([]);
  });
});
