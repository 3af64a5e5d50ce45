import { initLocalAppsRepository } from '@dbaas/plugin-dbaas-node';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { databaseUrl, ReplicaHarness } from './__testUtils__/ReplicaHarness';
import { freePort, ReplicaProcess } from './__testUtils__/ReplicaProcess';
import {
  dropReplicaDatabases,
  replicaConfig,
  ReplicaSetup,
  TASK_SCHEDULES,
} from './__testUtils__/replicaConfig';
import {
  readSchedulerClaims,
  recordSchedulerClaims,
} from './__testUtils__/schedulerClaims';
import { collectTaskRuns, countCycles } from './__testUtils__/taskRunCycles';

// Two backend processes (dev/replica.ts) on one PostgreSQL, with Backstage's
// real scheduler: (a) every scheduled task runs once per cycle, counting
// the cycles the scheduler handed out (its claims) against the task-run
// lines both replicas print; (c) killing the replica that runs a restore
// lets the other finish it; (b) a snapshot one replica took is restored by
// the other. About 80 s; see docs/architecture.md, Several replicas.
const clusterUrl =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
const describeWithCluster = clusterUrl ? describe : describe.skip;

jest.setTimeout(180_000);

/** How long both replicas run side by side while their cycles are counted. */
const COUNTING_MS = 24_000;
/**
 * Rows of the table whose index calls a function that sleeps 25 ms per
 * row: pg_restore spends about 7 s building it, time enough to kill the
 * replica that runs it, with a database of a few kilobytes.
 */
const SLOW_ROWS = 300;

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describeWithCluster('two replicas on one PostgreSQL', () => {
  const tenant = `r${randomBytes(3).toString('hex')}`;
  const ledger = `${tenant}-ledger`;
  const cache = `${tenant}-cache`;
  let dir: string | undefined;
  let setup: ReplicaSetup | undefined;
  const replicas: ReplicaProcess[] = [];
  let admin: Client;
  let pluginDb: Client;
  let harness: ReplicaHarness;
  let ledgerSnapshot: string;
  /** The snapshot of `cache` each replica took, and its rows then. */
  const cacheSnapshots = new Map<string, { id: string; rows: string[] }>();
  let killed: ReplicaProcess | undefined;
  let survivor: ReplicaProcess | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dbaas-replicas-'));
    setup = {
      clusterUrl: clusterUrl!,
      databasePrefix: `dbaas_replicas_${tenant}_`,
      appsRepoPath: join(dir, 'apps'),
      snapshotDirectory: join(dir, 'snapshots'),
      restoreWorkDirectory: join(dir, 'restores'),
      tenant,
      pgBin: process.env.DBAAS_TEST_PG_BIN,
    };
    await initLocalAppsRepository({
      path: setup.appsRepoPath,
      files: [
        {
          path: `${tenant}/ledger/values.yaml`,
          content: 'postgresqlDatabases:\n  - name: ledger\n  - name: cache\n',
        },
      ],
    });
    const first = await freePort(64001);
    const second = await freePort(first + 1);
    for (const [name, port] of [
      ['r1', first],
      ['r2', second],
    ] as const) {
      const configPath = join(dir, `${name}.yaml`);
      await writeFile(
        configPath,
        JSON.stringify(replicaConfig(setup, { name, port })),
      );
      replicas.push(ReplicaProcess.start(name, port, configPath));
    }
    await Promise.all(replicas.map(r => r.waitUntilHealthy(120_000)));
    admin = new Client({ connectionString: clusterUrl });
    await admin.connect();
    pluginDb = new Client({
      connectionString: databaseUrl(
        clusterUrl!,
        `${setup.databasePrefix}dbaas`,
      ),
    });
    await pluginDb.connect();
    harness = new ReplicaHarness({
      clusterUrl: clusterUrl!,
      tenant,
      replicas,
      pluginDb,
    });
  });

  afterAll(async () => {
    await Promise.all(replicas.map(r => r.stop()));
    await admin?.end();
    await pluginDb?.end();
    if (setup) await dropReplicaDatabases(setup);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** While the cycles are counted: the tables and snapshots the restores use. */
  async function prepareData() {
    // A const for the closures in the loop (no-loop-func).
    const replicaHarness = harness;
    for (const name of ['ledger', 'cache']) {
      await replicaHarness.waitFor(`${name} ready`, 60_000, async () => {
        const { body } = await replicaHarness.api(
          replicas[0],
          'GET',
          `/databases/${tenant}/${name}`,
        );
        return body.status === 'ready' ? true : undefined;
      });
    }
    await harness.sql(
      ledger,
      [
        `CREATE FUNCTION slow_key(i int) RETURNS int LANGUAGE plpgsql IMMUTABLE
           AS $$ BEGIN PERFORM pg_sleep(0.025); RETURN i; END $$`,
        'CREATE TABLE entries (id int PRIMARY KEY, note text NOT NULL)',
        `INSERT INTO entries SELECT i, 'entry ' || i FROM generate_series(1, ${SLOW_ROWS}) i`,
        'CREATE INDEX entries_slow ON entries (slow_key(id))',
      ],
      `${ledger}-admin`,
    );
    ledgerSnapshot = await harness.takeSnapshot(replicas[1], 'ledger');
    await harness.sql(ledger, [
      `INSERT INTO entries VALUES (1000, 'after the snapshot')`,
      'DELETE FROM entries WHERE id = 1',
    ]);

    await harness.sql(
      cache,
      ['CREATE TABLE notes (note text)', `INSERT INTO notes VALUES ('before')`],
      `${cache}-admin`,
    );
    for (const replica of replicas) {
      const id = await harness.takeSnapshot(replica, 'cache');
      const [rows] = await harness.sql(cache, [
        'SELECT note FROM notes ORDER BY note',
      ]);
      cacheSnapshots.set(replica.name, { id, rows: rows.map(r => r.note) });
      await harness.sql(cache, [
        `INSERT INTO notes VALUES ('after ${replica.name}')`,
      ]);
    }
  }

  it('(a) runs each scheduled task once per cycle across both replicas', async () => {
    await recordSchedulerClaims(pluginDb);
    // From half a second on: a claim made while the recorder was being set
    // up may have been missed.
    await sleep(500);
    const window = { from: Date.now(), to: Date.now() + COUNTING_MS };
    await Promise.all([prepareData(), sleep(COUNTING_MS)]);
    // The runs of the window's last cycles have started by then.
    await sleep(1_000);

    const runs = collectTaskRuns(replicas);
    const claims = await readSchedulerClaims(pluginDb);
    const reports = Object.entries(TASK_SCHEDULES).map(
      ([id, { frequencyMs }]) => ({
        frequencyMs,
        ...countCycles(runs, claims, id, window),
      }),
    );
    // The measured counts, for the README and for reading a failure.
    console.log(
      reports
        .map(r => {
          const replicaRuns = Object.entries(r.byReplica)
            .map(([name, count]) => `${name} ${count}`)
            .join(', ');
          return `${r.taskId} every ${r.frequencyMs} ms: ${r.cycles} cycles in ${COUNTING_MS} ms, ${r.ranOnce} run once (${replicaRuns}), ${r.ranMoreThanOnce} more than once, ${r.notRun} not run, ${r.early} claimed early (at most ${r.maxEarlyMs} ms); ${r.unclaimed} runs not claimed, ${r.overlapping} overlapping`;
        })
        .join('\n'),
    );
    for (const { frequencyMs, byReplica, early, ...report } of reports) {
      expect(report).toEqual({
        taskId: report.taskId,
        cycles: report.cycles,
        maxEarlyMs: report.maxEarlyMs,
        ranOnce: report.cycles,
        ranMoreThanOnce: 0,
        notRun: 0,
        unclaimed: 0,
        overlapping: 0,
      });
      // Only ever Backstage's claim race (see CycleReport.early).
      expect(report.maxEarlyMs).toBeLessThan(frequencyMs);
      // At the configured period: a cycle waits for a replica's next look
      // (each second here), so the shortest period stretches a little.
      expect(report.cycles).toBeGreaterThanOrEqual(
        Math.floor(COUNTING_MS / frequencyMs / 2),
      );
      expect(report.cycles).toBeLessThanOrEqual(
        Math.floor(COUNTING_MS / frequencyMs) + 2,
      );
    }
    // Both replicas were there, each with the nine tasks registered, taking
    // the cycles in turn (which replica wins a cycle is whichever looks
    // first after it is due: the counts above show the split).
    for (const replica of replicas) {
      expect(replica.alive).toBe(true);
      const registered = replica.lines
        .map(l => /^Registered scheduled task: ([\w-]+),/.exec(l.message ?? ''))
        .flatMap(match => (match ? [match[1]] : []));
      expect(registered.sort()).toEqual(Object.keys(TASK_SCHEDULES).sort());
    }
  });

  it('(c) lets the other replica finish a restore when the one running it is killed', async () => {
    const id = await harness.requestAndApprove(replicas[1], 'ledger', {
      snapshotId: ledgerSnapshot,
      target: 'in-place',
      reason: 'two-replica test: the replica running it is killed',
    });
    // Until pg_restore is building the slow index for the lease holder.
    const holder = await harness.waitFor(
      'pg_restore running',
      60_000,
      async () => {
        const row = await harness.restoreRow(id);
        if (row.current_step !== 'restore' || !row.lease_owner) {
          return undefined;
        }
        const { rowCount } = await admin.query(
          `SELECT 1 FROM pg_stat_activity
          WHERE application_name = 'backstage-dbaas-restore'
            AND starts_with(datname, $1)`,
          [`${ledger}_restore_`],
        );
        return rowCount ? harness.leaseHolder(row.lease_owner) : undefined;
      },
    );
    killed = holder;
    survivor = replicas.find(r => r !== holder)!;
    // Not while the restore task's tick (a few ms a second) is running: had
    // the dying replica claimed it, Backstage would keep it from the
    // survivor until the tick's timeout and a janitor pass (each replica
    // runs one a minute) freed it; see docs/architecture.md.
    await harness.waitFor(
      'the restore task between ticks',
      10_000,
      async () => {
        const { rows } = await pluginDb.query(
          `SELECT 1 FROM backstage_backend_tasks__tasks
          WHERE id = 'dbaas-restore-worker' AND current_run_ticket IS NULL`,
        );
        return rows.length ? true : undefined;
      },
    );
    const killedAt = Date.now();
    await killed.kill();

    // The lease (3 s), a tick (1 s) and the restore again (about 10 s); in
    // the rare case of a tick claimed between the check above and the kill,
    // up to a minute more.
    const end = await harness.waitForEnd(id, 120_000);
    const finishedMs = Date.now() - killedAt;
    // The dead replica's lease until it ran out, then the survivor's only.
    expect(end.state).toBe('succeeded');
    expect(end.holders.map(h => h.name)).toEqual([killed.name, survivor.name]);
    const takenOverMs = end.holders[1].since - killedAt;
    console.log(
      `restore ${id}: ${killed.name} (pid ${killed.pid}) killed during pg_restore; ${survivor.name} took it over after ${takenOverMs} ms and finished it ${finishedMs} ms after the kill`,
    );
    const { body } = await harness.api(survivor, 'GET', `/restores/${id}`);
    expect(body.log.map((l: { message: string }) => l.message)).toContain(
      'Resuming step restore after an interruption',
    );

    // The data as at the snapshot, the index rebuilt, the previous data kept.
    const [ids, indexes] = await harness.sql(ledger, [
      'SELECT id FROM entries ORDER BY id',
      `SELECT indexname FROM pg_indexes WHERE tablename = 'entries' ORDER BY 1`,
    ]);
    expect(ids.map(r => r.id)).toEqual(
      Array.from({ length: SLOW_ROWS }, (_, i) => i + 1),
    );
    expect(indexes.map(r => r.indexname)).toEqual([
      'entries_pkey',
      'entries_slow',
    ]);
    const [left] = await harness.sql('postgres', [
      `SELECT datname FROM pg_database WHERE starts_with(datname, '${ledger}_') ORDER BY 1`,
    ]);
    expect(left.map(r => r.datname)).toEqual([body.safetyCopy.databaseName]);
    const [kept] = await harness.sql(body.safetyCopy.databaseName, [
      'SELECT note FROM entries WHERE id = 1000',
    ]);
    expect(kept).toEqual([{ note: 'after the snapshot' }]);
  });

  it('(b) restores, on one replica, a snapshot the other took', async () => {
    // After (c) only the survivor runs: it alone can drive this restore.
    const taker = killed ?? replicas[0];
    const restorer = survivor ?? replicas[1];
    const snapshot = cacheSnapshots.get(taker.name)!;
    // The replica that answered the POST ran pg_dump, and logged the id.
    const took = (r: ReplicaProcess) =>
      r.lines.some(l => l.message?.includes(snapshot.id));
    expect([took(taker), took(restorer)]).toEqual([true, false]);

    const id = await harness.requestAndApprove(restorer, 'cache', {
      snapshotId: snapshot.id,
      target: 'new-database',
      targetName: 'cache-copy',
      reason: 'two-replica test: a snapshot the other replica took',
    });
    const end = await harness.waitForEnd(id, 60_000);
    expect(end.state).toBe('succeeded');
    expect(end.holders.map(h => h.name)).toEqual([restorer.name]);
    const [rows] = await harness.sql(`${tenant}-cache-copy`, [
      'SELECT note FROM notes ORDER BY note',
    ]);
    expect(rows.map(r => r.note)).toEqual(snapshot.rows);
  });
});
