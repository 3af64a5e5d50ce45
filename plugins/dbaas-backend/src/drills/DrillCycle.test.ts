import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createHash, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { quoteIdent } from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import { DatabaseInventoryStore } from '../inventory/DatabaseInventoryStore';
import { RecoveryRunReader } from '../objectives/RecoveryRunReader';
import { PgToolLocator } from '../pgTools';
import { createClusterProviders } from '../providers/createClusterProviders';
import {
  connectAsRole,
  databasesLike,
  dropNamespace,
  MemorySecretStore,
  query,
  testProvisioner,
} from '../restores/workflow/engines/testFixtures';
import { DatabaseSnapshotStore } from '../snapshots/DatabaseSnapshotStore';
import { DatabaseSnapshotEvidenceStore } from '../snapshots/evidence';
import { DirectoryArchiveStore } from '../snapshots/local/archives/DirectoryArchiveStore';
import { LocalSnapshotCatalog } from '../snapshots/local/LocalSnapshotCatalog';
import { snapshotSubjectOf } from '../snapshots/snapshotSubjectOf';
import {
  migrated,
  testLocalCluster,
  TEST_PG_BIN,
  uniqueNamespace,
} from '../snapshots/__testUtils__/testCluster';
import { DrillCycle } from './DrillCycle';
import { drillScratchName } from './drillNames';
import { DrillRunner } from './DrillRunner';
import { DrillStore } from './DrillStore';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

/**
 * Everything a database holds that a drill must leave alone: its oid (not
 * renamed or re-created), its tables and an md5 of every row.
 */
async function fingerprint(database: string): Promise<string> {
  const [{ oid }] = await query<{ oid: number }>(
    'postgres',
    'SELECT oid FROM pg_database WHERE datname = $1',
    [database],
  );
  const tables = await query<{ t: string }>(
    database,
    `SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) AS t
     FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
  );
  const parts = [`oid ${oid}`];
  for (const { t } of tables) {
    const [{ md5 }] = await query<{ md5: string }>(
      database,
      `SELECT md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) AS md5 FROM ${t} x`,
    );
    parts.push(`${t} ${md5}`);
  }
  return parts.join('\n');
}

describe('restore drills (real PostgreSQL, pg_dump and pg_restore)', () => {
  let knex: Knex;
  let directory: string;
  const namespaces: string[] = [];

  beforeAll(async () => {
    knex = await migrated(await databases.init('POSTGRES_15'));
    directory = await mkdtemp(join(tmpdir(), 'dbaas-drills-'));
  });

  afterAll(async () => {
    for (const namespace of namespaces) {
      await dropNamespace(namespace);
    }
    await rm(directory, { recursive: true, force: true });
  });

  /**
   * A self-hosted cluster `local-<ns>` holding provisioned, ready databases
   * `<ns>-<name>` (roles and all) with a table of `rows` rows each, and a
   * snapshot of each taken by the real snapshot catalog.
   */
  async function setUp(
    names: string[],
    options: {
      rows?: number;
      snapshot?: boolean;
      freeSpace?: () => Promise<number | undefined>;
    } = {},
  ) {
    const namespace = uniqueNamespace();
    namespaces.push(namespace);
    const cluster = testLocalCluster({ name: `local-${namespace}` });
    const providers = createClusterProviders([cluster]);
    const secrets = new MemorySecretStore();
    const provisioner = testProvisioner(secrets);
    const inventory = new DatabaseInventoryStore(knex);
    for (const name of names) {
      await provisioner.ensure({ namespace, name, mode: 'standard' });
      const admin = await connectAsRole(secrets, namespace, name, 'admin');
      try {
        await admin.query(
          `CREATE TABLE entries (id serial PRIMARY KEY, note text NOT NULL)`,
        );
        await admin.query(`CREATE INDEX entries_note ON entries (note)`);
        await admin.query(
          `INSERT INTO entries (note) SELECT 'row ' || g FROM generate_series(1, $1) g`,
          [options.rows ?? 500],
        );
      } finally {
        await admin.end();
      }
    }
    await inventory.applyUpdates(
      names.map(name => ({
        namespace,
        name,
        databaseName: `${namespace}-${name}`,
        mode: 'standard' as const,
        status: 'ready' as const,
        cluster: cluster.name,
        pullRequests: [],
      })),
    );
    const logger = mockServices.logger.mock();
    const catalog = new LocalSnapshotCatalog({
      store: new DatabaseSnapshotStore(knex),
      archives: new DirectoryArchiveStore(directory),
      tools: new PgToolLocator({
        binDirectory: TEST_PG_BIN,
        setting: 'dbaas.snapshots.local.binDirectory',
      }),
      retentionDays: { production: 35, staging: 35, test: 7, dev: 7 },
      schedule: { cron: '0 2 * * *' },
      logger,
    });
    const snapshots = new Map<string, string>();
    if (options.snapshot !== false) {
      for (const name of names) {
        const taken = await catalog.take(
          snapshotSubjectOf(
            { namespace, name, databaseName: `${namespace}-${name}` },
            cluster,
          ),
          'on-demand',
        );
        snapshots.set(name, taken.id);
      }
    }
    const store = new DrillStore(knex);
    const cycle = (
      settings: Partial<{
        maxDatabasesPerCycle: number;
        maxConcurrent: number;
        maxSnapshotSizeBytes: number;
        leaseMs: number;
      }> = {},
    ) =>
      new DrillCycle({
        inventory,
        providers,
        catalog,
        store,
        runner: new DrillRunner({
          catalog,
          parallelJobs: 2,
          binDirectory: TEST_PG_BIN,
          freeSpace: options.freeSpace,
          evidence: new DatabaseSnapshotEvidenceStore(knex),
        }),
        settings: {
          maxDatabasesPerCycle: 5,
          maxConcurrent: 1,
          maxSnapshotSizeBytes: 2 ** 30,
          leaseMs: 60_000,
          ...settings,
        },
        logger,
      });
    const drills = async (name: string) =>
      store.listForDatabase({ namespace, name }, 20);
    const dumpFile = (name: string) =>
      join(
        directory,
        cluster.name,
        `${namespace}-${name}`,
        `${snapshots.get(name)}.dump`,
      );
    return {
      namespace,
      cluster,
      catalog,
      store,
      cycle,
      drills,
      snapshots,
      dumpFile,
      key: (name: string) => `${namespace}/${name}`,
    };
  }

  it('restores the newest snapshot into a scratch database, verifies it, records the time and drops the copy; the live database is untouched', async () => {
    const t = await setUp(['ledger'], { rows: 2000 });
    const live = `${t.namespace}-ledger`;
    const before = await fingerprint(live);

    const result = await t.cycle().run();

    expect(result.passed).toEqual([t.key('ledger')]);
    expect(result.failed).toEqual({});
    const [drill] = await t.drills('ledger');
    expect(drill).toMatchObject({
      state: 'passed',
      snapshotId: t.snapshots.get('ledger'),
      scratchDatabase: drillScratchName(live, drill.id),
    });
    expect(drill.durationMs).toBeGreaterThan(0);
    expect(drill.restoredSizeBytes).toBeGreaterThan(0);
    expect(drill.verification).toMatch(
      /^1 tables, 2000 rows: exact rows( and content hashes)? as in the snapshot's evidence; read 1 row of public.entries as /,
    );
    const messages = drill.log.map(l => l.message).join('\n');
    expect(messages).toMatch(
      /pg_restore into '.*_drill_[0-9a-f]{12}' finished/,
    );
    expect(messages).toMatch(/dropped the scratch database/);
    // Only the live database is left; it is exactly as before.
    expect(await databasesLike(t.namespace)).toEqual([live]);
    expect(await fingerprint(live)).toBe(before);

    // The measurement is a run the objectives read as the measured RTO.
    const { runs, latestDrills } = await new RecoveryRunReader(knex).read();
    expect(runs.filter(r => r.namespace === t.namespace)).toEqual([
      expect.objectContaining({
        kind: 'drill',
        name: 'ledger',
        durationMs: drill.durationMs,
        sizeBytes: drill.snapshotSizeBytes,
      }),
    ]);
    expect(latestDrills.get(t.key('ledger'))?.state).toBe('passed');
  });

  it('fails the drill of a tampered snapshot (its checksum no longer matches), leaves nothing behind', async () => {
    const t = await setUp(['ledger']);
    const live = `${t.namespace}-ledger`;
    const before = await fingerprint(live);
    const file = t.dumpFile('ledger');
    const bytes = await readFile(file);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    await writeFile(file, bytes);

    const result = await t.cycle().run();

    expect(result.passed).toEqual([]);
    expect(result.failed[t.key('ledger')]).toMatch(/checksum|sha256/i);
    const [drill] = await t.drills('ledger');
    expect(drill.state).toBe('failed');
    expect(drill.error).toMatch(/checksum|sha256/i);
    expect(await databasesLike(t.namespace)).toEqual([live]);
    expect(await fingerprint(live)).toBe(before);
  });

  it('fails the drill of a corrupt snapshot whose recorded checksum matches it (pg_restore fails), drops the scratch copy', async () => {
    const t = await setUp(['ledger']);
    const live = `${t.namespace}-ledger`;
    const before = await fingerprint(live);
    // Cut the archive short and record it as if it had been taken so.
    const file = t.dumpFile('ledger');
    const bytes = (await readFile(file)).subarray(
      0,
      Math.floor((await stat(file)).size * 0.6),
    );
    await writeFile(file, bytes);
    await knex('dbaas_snapshots')
      .where({ id: t.snapshots.get('ledger') })
      .update({
        size_bytes: bytes.length,
        checksum: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
      });

    const result = await t.cycle().run();

    expect(result.failed[t.key('ledger')]).toMatch(/pg_restore/);
    const [drill] = await t.drills('ledger');
    expect(drill.state).toBe('failed');
    expect(drill.log.map(l => l.message).join('\n')).toMatch(
      /dropped the scratch database/,
    );
    expect(await databasesLike(t.namespace)).toEqual([live]);
    expect(await fingerprint(live)).toBe(before);
  });

  it('fails the drill of a snapshot whose dump does not hold what its evidence recorded, naming the table', async () => {
    const t = await setUp(['ledger']);
    const live = `${t.namespace}-ledger`;
    const before = await fingerprint(live);
    // The evidence says one row more than the dump holds.
    const row = await knex('dbaas_snapshot_evidence')
      .where({ snapshot_id: t.snapshots.get('ledger') })
      .first();
    const tables = JSON.parse(row.tables);
    tables[0].rows += 1;
    await knex('dbaas_snapshot_evidence')
      .where({ snapshot_id: t.snapshots.get('ledger') })
      .update({ tables: JSON.stringify(tables) });

    const result = await t.cycle().run();

    expect(result.failed[t.key('ledger')]).toMatch(
      /differs from the snapshot's evidence .*public.entries/,
    );
    const [drill] = await t.drills('ledger');
    expect(drill.state).toBe('failed');
    expect(await databasesLike(t.namespace)).toEqual([live]);
    expect(await fingerprint(live)).toBe(before);
  });

  it('drills the least recently drilled databases first, a bounded number per cycle', async () => {
    const t = await setUp(['alpha', 'beta', 'gamma'], { rows: 10 });
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      const result = await t.cycle({ maxDatabasesPerCycle: 2 }).run();
      order.push(result.passed.map(k => k.split('/')[1]).join('+'));
    }
    expect(order).toEqual([
      'alpha+beta',
      'gamma+alpha',
      'beta+gamma',
      'alpha+beta',
    ]);
  });

  it('skips databases without a snapshot, with one larger than maxSnapshotSize or without room for a copy, without counting them', async () => {
    const t = await setUp(['big', 'none'], { rows: 10, snapshot: false });
    await t.catalog.take(
      snapshotSubjectOf(
        {
          namespace: t.namespace,
          name: 'big',
          databaseName: `${t.namespace}-big`,
        },
        t.cluster,
      ),
      'on-demand',
    );
    const result = await t.cycle({ maxSnapshotSizeBytes: 100 }).run();
    expect(result.passed).toEqual([]);
    expect(result.skipped[t.key('none')]).toBe('it has no available snapshot');
    expect(result.skipped[t.key('big')]).toMatch(
      /^its newest snapshot is 0.00 GiB, more than dbaas.drills.maxSnapshotSize \(0.00 GiB\)$/,
    );
    expect((await t.drills('big'))[0]).toMatchObject({ state: 'skipped' });

    const tight = await setUp(['full'], {
      rows: 10,
      freeSpace: async () => 1024,
    });
    const full = await tight.cycle().run();
    expect(full.skipped[tight.key('full')]).toMatch(
      /^not enough free space on cluster 'local-.*' for a copy: 0.00 GiB free, 0.01 GiB needed$/,
    );
    expect(await databasesLike(tight.namespace)).toEqual([
      `${tight.namespace}-full`,
    ]);
  });

  it('two replicas running the drill task at once never drill a database twice', async () => {
    const t = await setUp(['one', 'two', 'three'], { rows: 50 });
    const results = await Promise.all([
      t.cycle({ maxDatabasesPerCycle: 3 }).run(),
      t.cycle({ maxDatabasesPerCycle: 3 }).run(),
    ]);
    const passed = results.flatMap(r => r.passed).sort();
    expect(passed).toEqual([t.key('one'), t.key('three'), t.key('two')]);
    expect(results.flatMap(r => r.taken).length).toBeGreaterThan(0);
    for (const name of ['one', 'two', 'three']) {
      expect((await t.drills(name)).map(d => d.state)).toEqual(['passed']);
    }
    expect(await databasesLike(t.namespace)).toHaveLength(3);
  });

  it('claims a database only if nobody started a drill of it since the caller looked, one of many at once', async () => {
    const store = new DrillStore(knex);
    const namespace = uniqueNamespace();
    const drill = (owner: string) => ({
      id: randomUUID(),
      namespace,
      name: 'ledger',
      databaseName: `${namespace}-ledger`,
      cluster: 'local',
      state: 'running' as const,
      owner,
      startedAt: new Date(),
    });
    const seen = (await store.lastStarted()).get(`${namespace}/ledger`);
    expect(seen).toBeUndefined();
    // Five replicas that all saw the database undrilled claim it at once.
    const claims = [1, 2, 3, 4, 5].map(i => drill(`replica-${i}`));
    const won = await Promise.all(claims.map(c => store.start(c, seen)));
    expect(won.filter(Boolean)).toHaveLength(1);
    const winner = claims[won.indexOf(true)];
    await store.finish(winner.id, winner.owner, {
      state: 'passed',
      finishedAt: new Date(),
      durationMs: 1000,
      log: [],
    });
    // Done by now: a replica that looked before is still refused.
    expect(await store.start(drill('replica-late'), seen)).toBe(false);
    // One that looks again may drill it again (the next rotation).
    const now = (await store.lastStarted()).get(`${namespace}/ledger`);
    expect(await store.start(drill('replica-next'), now)).toBe(true);
  });

  it("cleans up after a crashed replica: fails its drill, drops its scratch copy and leftovers, keeps a live drill's", async () => {
    const t = await setUp(['ledger'], { rows: 10 });
    const live = `${t.namespace}-ledger`;
    const before = await fingerprint(live);
    const create = (name: string) =>
      query('postgres', `CREATE DATABASE ${quoteIdent(name)}`);
    const old = new Date(Date.now() - 10 * 60_000);
    // A drill whose backend died ten minutes ago, its copy half-restored.
    const crashedId = randomUUID();
    const crashedScratch = drillScratchName(live, crashedId);
    await create(crashedScratch);
    await knex('dbaas_restore_drills').insert({
      id: crashedId,
      namespace: t.namespace,
      name: 'ledger',
      database_name: live,
      cluster: t.cluster.name,
      state: 'running',
      scratch_database: crashedScratch,
      owner: 'drills-dead-replica',
      started_at: old,
      heartbeat_at: old,
    });
    // A copy whose row never got written, and one another replica is
    // restoring right now (fresh heartbeat).
    const orphan = drillScratchName(live, randomUUID());
    await create(orphan);
    const activeId = randomUUID();
    const active = drillScratchName(`${t.namespace}-other`, activeId);
    await create(active);
    await knex('dbaas_restore_drills').insert({
      id: activeId,
      namespace: t.namespace,
      name: 'other',
      database_name: `${t.namespace}-other`,
      cluster: t.cluster.name,
      state: 'running',
      scratch_database: active,
      owner: 'drills-live-replica',
      started_at: new Date(),
      heartbeat_at: new Date(),
    });

    const result = await t.cycle().run();

    expect(result.staleFailed).toEqual([t.key('ledger')]);
    expect(result.leftoversDropped.sort()).toEqual(
      [
        `${t.cluster.name}/${crashedScratch}`,
        `${t.cluster.name}/${orphan}`,
      ].sort(),
    );
    const crashed = await t.store.get(crashedId);
    expect(crashed?.state).toBe('failed');
    expect(crashed?.error).toMatch(/the backend running the drill stopped/);
    // The cycle then drilled the database as usual.
    expect(result.passed).toEqual([t.key('ledger')]);
    expect((await databasesLike(t.namespace)).sort()).toEqual(
      [live, active].sort(),
    );
    expect(await fingerprint(live)).toBe(before);
    await query('postgres', `DROP DATABASE ${quoteIdent(active)}`);
  });
});
