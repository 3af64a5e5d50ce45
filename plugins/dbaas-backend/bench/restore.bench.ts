/*
 * Snapshot and restore of a ~1 GB database, ours against the bare tools,
 * like with like.
 *
 * Run from plugins/dbaas-backend against a THROWAWAY cluster (it creates
 * and drops databases and roles; superuser URL), with that server's
 * client tools:
 *   DBAAS_BENCH_RESTORE_DATABASE_URL=postgresql://postgres:...@127.0.0.1:59105 \
 *   DBAAS_BENCH_RESTORE_BIN=/usr/lib/postgresql/15/bin \
 *     CI=true pnpm bench:restore
 * DBAAS_BENCH_RESTORE_ORDERS (default 6,300,000, about 1 GiB) sizes the data,
 * DBAAS_BENCH_RESTORE_ROUNDS (default 3) the interleaved rounds,
 * DBAAS_BENCH_RESTORE_JOBS (default: one per CPU, at most 4) pg_restore's jobs.
 *
 * Data that compresses like real data: a shop's customers and orders with
 * names and words from small vocabularies, random amounts and times, and
 * md5-based references (a pgbench database of the same size dumps to 2 %
 * of it because its filler columns are blank; this one to about 28 %).
 *
 * Measured, each round after dropping the previous copies and a
 * CHECKPOINT, medians reported:
 *   snapshot  bare: `pg_dump -Fc --file=<dir>/x.dump` of the database
 *             ours: LocalSnapshotCatalog.take into a DirectoryArchiveStore
 *                   in the same directory: the snapshot row, the tool
 *                   checks, pg_dump --snapshot streamed through the
 *                   backend (sha256 on the way), the evidence (exact rows
 *                   and content hash of every table, in the dump's MVCC
 *                   snapshot, alongside the dump), the row completed.
 *             Budget: ours <= 1.1 x bare.
 *   restore   from one snapshot file, the one ours took first:
 *             bare: `createdb` + `pg_restore --no-owner --jobs N <file>`
 *             ours: the workflow's preflight (the file's sha256 checked
 *                   whole, versions, space), restore (pg_restore --jobs N),
 *                   verify (table of contents, object counts, exact rows
 *                   and content hashes against the evidence, a sample
 *                   read), (swap,) grants, cleanup; new-database and
 *                   in-place.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { Client } from 'pg';
import { Knex, knex as createKnex } from 'knex';
import {
  DatabaseSecretStore,
  parseConnectionString,
  PostgresProvisioner,
  quoteIdent,
  RoleSecret,
  toPgClientConfig,
} from '@dbaas/plugin-dbaas-node';
import { LocalRestoreEngine } from '../src/restores/workflow/engines';
import {
  RestoreJob,
  RestoreWorkState,
} from '../src/restores/workflow/RestoreEngine';
import { PgToolLocator } from '../src/pgTools';
import { DatabaseSnapshotStore } from '../src/snapshots/DatabaseSnapshotStore';
import { DatabaseSnapshotEvidenceStore } from '../src/snapshots/evidence';
import { archiveKey } from '../src/snapshots/local/archives/archiveKeys';
import { DirectoryArchiveStore } from '../src/snapshots/local/archives/DirectoryArchiveStore';
import { LocalSnapshotCatalog } from '../src/snapshots/local/LocalSnapshotCatalog';
import { SnapshotSubject } from '../src/snapshots/SnapshotCatalog';
import { migrated } from '../src/snapshots/__testUtils__/testCluster';

jest.setTimeout(3 * 3600_000);

const URL =
  process.env.DBAAS_BENCH_RESTORE_DATABASE_URL ??
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
const ORDERS = Number(process.env.DBAAS_BENCH_RESTORE_ORDERS ?? 6_300_000);
// The client tools of the benchmark's server (scripts/bench.sh sets them).
const BIN =
  process.env.DBAAS_BENCH_RESTORE_BIN ?? process.env.DBAAS_TEST_PG_BIN ?? '';
// The engine's default: one job per CPU, at most 4.
const JOBS = Number(
  process.env.DBAAS_BENCH_RESTORE_JOBS ??
    Math.max(1, Math.min(4, availableParallelism())),
);
const ROUNDS = Number(process.env.DBAAS_BENCH_RESTORE_ROUNDS ?? 3);
const NAMESPACE = 'restorebench';
const SOURCE = `${NAMESPACE}-shop`;
// The plugin's own tables (snapshot rows, evidence); outside NAMESPACE.
const META = 'dbaas_bench_restore_plugin';
/** Snapshot with evidence against bare pg_dump -Fc. */
const SNAPSHOT_BUDGET = 1.1;

class MemoryStore implements DatabaseSecretStore {
  readonly secrets = new Map<string, RoleSecret>();
  async put(path: string, secret: RoleSecret) {
    this.secrets.set(path, secret);
  }
  async get(path: string) {
    return this.secrets.get(path);
  }
  async describe(path: string, access: 'read' | 'write' | 'admin') {
    return { path, access, exists: this.secrets.has(path) };
  }
  async delete(path: string) {
    this.secrets.delete(path);
  }
}

/** Runs a shell command with the password in PGPASSWORD only. */
function sh(script: string): Promise<void> {
  const c = parseConnectionString(URL!, 'DBAAS_BENCH_RESTORE_DATABASE_URL');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-o', 'pipefail', '-c', script], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        PATH: `${BIN}:${process.env.PATH}`,
        PGHOST: c.host,
        PGPORT: String(c.port),
        PGUSER: c.user,
        PGPASSWORD: c.password,
        PGSSLMODE: c.ssl ? 'require' : 'disable',
      },
    });
    let stderr = '';
    child.stderr.on('data', d => (stderr += d));
    child.on('close', code =>
      code === 0
        ? resolve()
        : reject(new Error(`${script}: ${code} ${stderr}`)),
    );
  });
}

async function admin<T>(
  fn: (c: Client) => Promise<T>,
  database?: string,
): Promise<T> {
  const client = new Client(
    toPgClientConfig(parseConnectionString(URL!, 'bench'), { database }),
  );
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function dropBenchObjects() {
  await admin(async c => {
    const { rows } = await c.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE starts_with(datname, $1)`,
      [NAMESPACE],
    );
    for (const { datname } of rows) {
      await c.query(`DROP DATABASE ${quoteIdent(datname)} WITH (FORCE)`);
    }
    const roles = await c.query<{ rolname: string }>(
      `SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)`,
      [NAMESPACE],
    );
    for (const { rolname } of roles.rows) {
      await c.query(`DROP ROLE ${quoteIdent(rolname)}`);
    }
  });
}

/**
 * A shop: customers and orders whose text and numbers vary like real
 * ones (seeded, so every run generates the same data).
 */
const GENERATE = [
  `SELECT setseed(0.42)`,
  `CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, email text NOT NULL,
     country char(2) NOT NULL, created_at timestamptz NOT NULL, balance numeric(12,2) NOT NULL)`,
  `CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL,
     amount numeric(12,2) NOT NULL, ordered_at timestamptz NOT NULL, sku text NOT NULL, note text)`,
  `INSERT INTO customers
     SELECT g,
            (ARRAY['anna','ben','carla','dev','emma','farid','gita','hugo','ines','jon','kai','lena',
                   'mo','nina','otto','pia','quinn','rosa','sam','tara'])[1 + (random() * 19)::int]
              || ' ' ||
            (ARRAY['smith','meyer','garcia','kim','nguyen','rossi','dubois','novak','silva','jansen',
                   'berg','costa','ito','khan','lopez','muller'])[1 + (random() * 15)::int],
            substr(md5(g::text), 1, 10) || '@example.' || (ARRAY['com','org','net'])[1 + (random() * 2)::int],
            (ARRAY['DE','FR','US','GB','NL','IT','ES','PL','SE','JP'])[1 + (random() * 9)::int],
            timestamptz '2026-12-01 00:00:00+00' - random() * interval '5 years',
            round((random() * 10000)::numeric, 2)
     FROM generate_series(1, $1::int) g`,
  `INSERT INTO orders
     SELECT g, 1 + (random() * ($1::int - 1))::int,
            (ARRAY['new','paid','shipped','delivered','returned','cancelled'])[1 + (random() * 5)::int],
            round((random() * 1000)::numeric, 2),
            timestamptz '2026-12-01 00:00:00+00' - random() * interval '3 years',
            'SKU-' || upper(substr(md5(g::text), 1, 8)),
            w[1 + (random() * 19)::int] || ' ' || w[1 + (random() * 19)::int] || ' ' ||
              w[1 + (random() * 19)::int] || ' ' || w[1 + (random() * 19)::int] ||
              ' ref ' || substr(md5(random()::text), 1, 12)
     FROM (SELECT ARRAY['please','deliver','before','noon','gift','wrap','leave','at','door','call','on',
                        'arrival','fragile','express','standard','back','office','reception','weekend',
                        'evening'] AS w) words,
          generate_series(1, $2::bigint) g`,
  `CREATE INDEX orders_customer ON orders (customer_id)`,
  `CREATE INDEX orders_ordered_at ON orders (ordered_at)`,
  `ANALYZE`,
];

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const median = (values: number[]) =>
  [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

const describeBench = URL && BIN ? describe : describe.skip;

describeBench('snapshot and restore, ours against the bare tools', () => {
  const connection = URL ? parseConnectionString(URL, 'bench') : undefined!;
  const cluster = {
    name: 'bench',
    environment: 'dev' as const,
    provider: 'local' as const,
    connection,
    publicEndpoint: URL
      ? { host: connection.host, port: connection.port }
      : undefined!,
    namespaces: [],
    capacity: 1,
  };
  const subject: SnapshotSubject = {
    namespace: NAMESPACE,
    name: 'shop',
    databaseName: SOURCE,
    cluster,
  };
  const secrets = new MemoryStore();
  const provisioner = URL
    ? new PostgresProvisioner({
        cluster: 'bench',
        connection,
        publicEndpoint: { host: connection.host, port: connection.port },
        secretStore: secrets,
      })
    : undefined!;
  const logger = mockServices.logger.mock();
  let dir = '';
  let knex: Knex;
  let catalog: LocalSnapshotCatalog;
  let archives: DirectoryArchiveStore;
  let store: DatabaseSnapshotStore;

  beforeAll(async () => {
    await dropBenchObjects();
    dir = await mkdtemp(join(tmpdir(), 'dbaas-restore-bench-'));
    await admin(async c => {
      // Left by a run that was stopped.
      await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(META)} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${quoteIdent(META)}`);
    });
    knex = await migrated(
      createKnex({
        client: 'pg',
        // pg's own client settings (TLS included), which knex hands to pg.
        connection: toPgClientConfig(connection, {
          database: META,
        }) as Knex.PgConnectionConfig,
      }),
    );
    store = new DatabaseSnapshotStore(knex);
    archives = new DirectoryArchiveStore(join(dir, 'snapshots'));
    catalog = new LocalSnapshotCatalog({
      store,
      archives,
      tools: new PgToolLocator({
        binDirectory: BIN,
        setting: 'dbaas.snapshots.local.binDirectory',
      }),
      retentionDays: { production: 35, staging: 35, test: 7, dev: 7 },
      schedule: { cron: '0 2 * * *' },
      logger,
    });
    await provisioner.ensure({
      namespace: NAMESPACE,
      name: 'shop',
      mode: 'standard',
    });
    const generate = await timed(() =>
      admin(async c => {
        for (const statement of GENERATE) {
          const params = [Math.round(ORDERS / 10), ORDERS];
          await c.query(
            statement,
            params.filter((_, i) => statement.includes(`$${i + 1}`)),
          );
        }
        // Owned by the tenant's admin role, as the application's tables are.
        await c.query(
          `ALTER TABLE customers OWNER TO ${quoteIdent(`${SOURCE}-admin`)}`,
        );
        await c.query(
          `ALTER TABLE orders OWNER TO ${quoteIdent(`${SOURCE}-admin`)}`,
        );
      }, SOURCE),
    );
    const size = await admin(c =>
      c.query<{ s: string }>(`SELECT pg_database_size($1)::text AS s`, [
        SOURCE,
      ]),
    );
    await provisioner.ensure({
      namespace: NAMESPACE,
      name: 'shop',
      mode: 'standard',
    });
    // eslint-disable-next-line no-console
    console.log(
      `data: ${Math.round(
        ORDERS / 10,
      )} customers, ${ORDERS} orders, database ${(
        Number(size.rows[0].s) /
        2 ** 30
      ).toFixed(2)} GiB, generated in ${generate.toFixed(
        0,
      )} s; pg_restore --jobs ${JOBS}`,
    );
  });

  afterAll(async () => {
    await knex?.destroy();
    await dropBenchObjects();
    await admin(c =>
      c.query(`DROP DATABASE IF EXISTS ${quoteIdent(META)} WITH (FORCE)`),
    );
    if (dir) {
      await rm(dir, { recursive: true, force: true });
    }
  });

  /** Drops the copies of earlier variants; a CHECKPOINT writes their dirty pages. */
  async function fresh() {
    await admin(async c => {
      const { rows } = await c.query<{ datname: string }>(
        `SELECT datname FROM pg_database
         WHERE starts_with(datname, $1) AND datname NOT IN ($2)`,
        [NAMESPACE, SOURCE],
      );
      for (const { datname } of rows) {
        await c.query(`DROP DATABASE ${quoteIdent(datname)} WITH (FORCE)`);
      }
      await c.query('CHECKPOINT');
    });
  }

  function engine() {
    return new LocalRestoreEngine({
      settings: { parallelJobs: JOBS, binDirectory: BIN, workDirectory: dir },
      provisionerFor: () => provisioner,
      openDump: (s, id) => catalog.openDump(s, id),
      evidence: new DatabaseSnapshotEvidenceStore(knex),
    });
  }

  /** Runs every step of the workflow; seconds in all and per step. */
  async function workflow(job: RestoreJob) {
    const e = engine();
    let state: RestoreWorkState = {};
    const perStep: Record<string, number> = {};
    const log: string[] = [];
    const started = process.hrtime.bigint();
    for (const step of e.steps(job)) {
      const stepStarted = process.hrtime.bigint();
      const outcome = await e.runStep(step, {
        job,
        state,
        signal: new AbortController().signal,
        log: async (_level, message) => {
          log.push(message);
        },
      });
      perStep[step] = Number(process.hrtime.bigint() - stepStarted) / 1e9;
      state = { ...state, ...(outcome.state ?? {}) };
    }
    const total = Number(process.hrtime.bigint() - started) / 1e9;
    return { total, perStep, state, log };
  }

  it('measures snapshot and restore against pg_dump -Fc and pg_restore -j of the same file', async () => {
    const job = (
      target: 'new-database' | 'in-place',
      id: string,
      snapshotId: string,
    ): RestoreJob => ({
      id,
      namespace: NAMESPACE,
      name: 'shop',
      databaseName: SOURCE,
      mode: 'standard',
      cluster,
      snapshotId,
      target,
      targetDatabaseName:
        target === 'in-place' ? SOURCE : `${SOURCE}-restored-${id}`,
    });
    const times: Record<string, number[]> = {
      bareDump: [],
      snapshot: [],
      bareRestore: [],
      newDb: [],
      inPlace: [],
    };
    const perStep: Record<string, Record<string, number>> = {};
    const evidenceLines: string[] = [];
    let snapshotFile = '';
    let snapshotId = '';
    let bareDumpSize = 0;
    let verifyLine = '';
    const snapshots = catalog;
    for (let round = 1; round <= ROUNDS; round++) {
      await fresh();
      const bareFile = join(dir, 'bare.dump');
      times.bareDump.push(
        await timed(() =>
          sh(`pg_dump -Fc --dbname=${SOURCE} --file=${bareFile}`),
        ),
      );
      bareDumpSize = (await stat(bareFile)).size;
      await rm(bareFile);

      await fresh();
      logger.info.mockClear();
      let taken = '';
      times.snapshot.push(
        await timed(async () => {
          taken = (await snapshots.take(subject, 'on-demand')).id;
        }),
      );
      evidenceLines.push(
        String(
          logger.info.mock.calls.find(([m]) =>
            String(m).startsWith('Took'),
          )?.[0],
        ),
      );
      if (!snapshotId) {
        // The snapshot every restore of the benchmark reads.
        snapshotId = taken;
        snapshotFile = join(
          dir,
          'snapshots',
          'bench',
          SOURCE,
          `${snapshotId}.dump`,
        );
      } else {
        await archives.delete(archiveKey('bench', SOURCE, taken));
      }

      await fresh();
      const file = snapshotFile;
      times.bareRestore.push(
        await timed(async () => {
          await sh(`createdb ${NAMESPACE}_bare_restore`);
          await sh(
            `pg_restore --no-owner --jobs=${JOBS} --dbname=${NAMESPACE}_bare_restore ${file}`,
          );
        }),
      );

      await fresh();
      const newDb = await workflow(
        job('new-database', `20261211000${round}`, snapshotId),
      );
      times.newDb.push(newDb.total);
      perStep.newDb = newDb.perStep;
      expect(newDb.state.grantsDone).toBe(true);
      verifyLine = newDb.log.find(l => l.startsWith('verified')) ?? '';

      await fresh();
      const inPlace = await workflow(
        job('in-place', `bench-in-place-${round}`, snapshotId),
      );
      times.inPlace.push(inPlace.total);
      perStep.inPlace = inPlace.perStep;
      expect(inPlace.state.safetyCopyDatabaseName).toBeDefined();
      expect(inPlace.state.verification).toMatchObject({ check: 'evidence' });
    }
    await fresh();
    const m = Object.fromEntries(
      Object.entries(times).map(([k, v]) => [k, median(v)]),
    );
    const pct = (ours: number, base: number) =>
      `${ours >= base ? '+' : ''}${(((ours - base) / base) * 100).toFixed(
        1,
      )} %`;
    const all = (k: string) => times[k].map(t => t.toFixed(1)).join(', ');
    const fmt = (p: Record<string, number>) =>
      Object.entries(p)
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join(', ');
    const snapshotSize = (await stat(snapshotFile)).size;
    // eslint-disable-next-line no-console
    console.log(
      [
        `medians of ${ROUNDS} interleaved rounds (s); bare dump ${mib(
          bareDumpSize,
        )}, our snapshot ${mib(snapshotSize)}`,
        `snapshot  bare pg_dump -Fc to a file:            ${m.bareDump.toFixed(
          2,
        )}  (${all('bareDump')})`,
        `snapshot  ours, with evidence:                   ${m.snapshot.toFixed(
          2,
        )}  (${all('snapshot')})  ${pct(m.snapshot, m.bareDump)}`,
        `restore   bare createdb + pg_restore -j${JOBS} of it:  ${m.bareRestore.toFixed(
          2,
        )}  (${all('bareRestore')})`,
        `restore   ours, new database, all steps:         ${m.newDb.toFixed(
          2,
        )}  (${all('newDb')})  ${pct(m.newDb, m.bareRestore)}  [last: ${fmt(
          perStep.newDb,
        )}]`,
        `restore   ours, in place, all steps:             ${m.inPlace.toFixed(
          2,
        )}  (${all('inPlace')})  ${pct(m.inPlace, m.bareRestore)}  [last: ${fmt(
          perStep.inPlace,
        )}]`,
        ...evidenceLines.map(l => `  ${l}`),
        `  ${verifyLine}`,
      ].join('\n'),
    );
    // The budget of evidence: a snapshot with it within 10 % of pg_dump.
    expect(m.snapshot).toBeLessThanOrEqual(SNAPSHOT_BUDGET * m.bareDump);
  });
});
