/*
 * Restore overhead over a bare pg_dump | pg_restore of the same database.
 *
 * Run from plugins/dbaas-backend against a THROWAWAY cluster (it creates
 * and drops databases and roles; superuser URL):
 *   DBAAS_BENCH_RESTORE_DATABASE_URL=postgresql://postgres:...@127.0.0.1:59105 \
 *     CI=true pnpm bench:restore
 * DBAAS_BENCH_RESTORE_SCALE (default 70, about 1 GB) is the pgbench scale.
 *
 * It generates `pgbench -i -s <scale>` into a provisioned tenant database,
 * takes its snapshot file (pg_dump -Fc), then measures:
 *   bare pipe       pg_dump -Fc | pg_restore, into a new database
 *   bare file -jN   pg_restore --jobs N of the snapshot file
 *   ours            the workflow's restore, verify, (swap,) grants steps
 *                   from the snapshot file, for new-database and in-place
 * Overhead is ours vs the bare pipe (the goal: within 10%), and vs the
 * bare parallel pg_restore of the same file (the workflow's own cost:
 * verification and grants).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  DatabaseSecretStore,
  parseConnectionString,
  PostgresProvisioner,
  quoteIdent,
  RoleSecret,
  toPgClientConfig,
} from '@dbaas/plugin-dbaas-node';
import { RestoreStep } from '@dbaas/plugin-dbaas-common';
import { LocalRestoreEngine } from '../src/restores/workflow/engines';
import {
  RestoreJob,
  RestoreWorkState,
} from '../src/restores/workflow/RestoreEngine';
import { fileDump } from '../src/restores/workflow/engines/testFixtures';

jest.setTimeout(3 * 3600_000);

const URL =
  process.env.DBAAS_BENCH_RESTORE_DATABASE_URL ??
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
const SCALE = Number(process.env.DBAAS_BENCH_RESTORE_SCALE ?? 70);
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
const SOURCE = `${NAMESPACE}-pgbench`;

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

/** Runs a shell pipeline with the password in PGPASSWORD only. */
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

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client(
    toPgClientConfig(parseConnectionString(URL!, 'bench')),
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
      `SELECT datname FROM pg_database WHERE starts_with(datname, $1) OR starts_with(datname, 'restorebench_')`,
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

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const describeBench = URL && BIN ? describe : describe.skip;

describeBench('restore overhead', () => {
  const connection = URL ? parseConnectionString(URL, 'bench') : undefined!;
  const store = new MemoryStore();
  const provisioner = URL
    ? new PostgresProvisioner({
        cluster: 'bench',
        connection,
        publicEndpoint: { host: connection.host, port: connection.port },
        secretStore: store,
      })
    : undefined!;
  let dir = '';
  let dumpFile = '';

  beforeAll(async () => {
    await dropBenchObjects();
    dir = await mkdtemp(join(tmpdir(), 'dbaas-restore-bench-'));
    dumpFile = join(dir, 'snapshot.dump');
    await provisioner.ensure({
      namespace: NAMESPACE,
      name: 'pgbench',
      mode: 'standard',
    });
    const generate = await timed(() =>
      sh(`pgbench -i -q -s ${SCALE} ${SOURCE}`),
    );
    const size = await admin(c =>
      c.query<{ s: string }>(`SELECT pg_database_size($1)::text AS s`, [
        SOURCE,
      ]),
    );
    // Apply the tenant grants to the generated tables, as in real life.
    await provisioner.ensure({
      namespace: NAMESPACE,
      name: 'pgbench',
      mode: 'standard',
    });
    const snapshot = await timed(() =>
      sh(`pg_dump -Fc --dbname=${SOURCE} --file=${dumpFile}`),
    );
    const dumpSize = (await stat(dumpFile)).size;
    // eslint-disable-next-line no-console
    console.log(
      `pgbench scale ${SCALE}: database ${(
        Number(size.rows[0].s) /
        2 ** 30
      ).toFixed(2)} GiB (generated in ${generate.toFixed(1)} s), snapshot ${(
        dumpSize /
        2 ** 20
      ).toFixed(0)} MiB (pg_dump -Fc ${snapshot.toFixed(
        1,
      )} s); pg_restore --jobs ${JOBS}`,
    );
  });

  afterAll(async () => {
    await dropBenchObjects();
    if (dir) {
      await rm(dir, { recursive: true, force: true });
    }
  });

  function engine() {
    return new LocalRestoreEngine({
      settings: { parallelJobs: JOBS, binDirectory: BIN, workDirectory: dir },
      provisionerFor: () => provisioner,
      openDump: () => fileDump(dumpFile, 'sha256:bench'),
    });
  }

  /** Runs the workflow's steps; returns the seconds of all and of the timed ones. */
  async function workflow(job: RestoreJob, timedSteps: RestoreStep[]) {
    const e = engine();
    let state: RestoreWorkState = {};
    const perStep: Record<string, number> = {};
    for (const step of e.steps(job)) {
      const started = process.hrtime.bigint();
      const outcome = await e.runStep(step, {
        job,
        state,
        signal: new AbortController().signal,
        log: async () => {},
      });
      perStep[step] = Number(process.hrtime.bigint() - started) / 1e9;
      state = { ...state, ...(outcome.state ?? {}) };
    }
    const sum = timedSteps.reduce((s, step) => s + (perStep[step] ?? 0), 0);
    return { sum, perStep, state };
  }

  it('measures a bare dump | restore and the workflow on the same database', async () => {
    const job = (
      target: 'new-database' | 'in-place',
      id: string,
    ): RestoreJob => ({
      id,
      namespace: NAMESPACE,
      name: 'pgbench',
      databaseName: SOURCE,
      mode: 'standard',
      cluster: {
        name: 'bench',
        environment: 'dev',
        provider: 'local',
        connection,
        publicEndpoint: { host: connection.host, port: connection.port },
        namespaces: [],
        capacity: 1,
      },
      snapshotId: 'bench',
      target,
      targetDatabaseName:
        target === 'in-place' ? SOURCE : `${SOURCE}-restored-${id}`,
    });

    const steps: RestoreStep[] = ['restore', 'verify', 'swap', 'grants'];
    const times: Record<string, number[]> = {
      pipe: [],
      file: [],
      newDb: [],
      inPlace: [],
    };
    const perStep: Record<string, Record<string, number>> = {};
    let inPlaceState: RestoreWorkState = {};
    let newDbState: RestoreWorkState = {};
    // Interleaved rounds, each run after dropping the previous copies and a
    // CHECKPOINT, so no variant pays for another's dirty buffers.
    const fresh = async () => {
      await admin(async c => {
        const { rows } = await c.query<{ datname: string }>(
          `SELECT datname FROM pg_database WHERE starts_with(datname, 'restorebench_') OR datname LIKE '%-restored-%' OR datname LIKE '%\\_safety\\_%'`,
        );
        for (const { datname } of rows) {
          await c.query(`DROP DATABASE ${quoteIdent(datname)} WITH (FORCE)`);
        }
        await c.query('CHECKPOINT');
      });
    };
    const snapshotFile = dumpFile;
    for (let round = 1; round <= ROUNDS; round++) {
      await fresh();
      times.pipe.push(
        await timed(async () => {
          await sh(`createdb restorebench_bare_pipe`);
          await sh(
            `pg_dump -Fc --dbname=${SOURCE} | pg_restore --no-owner --dbname=restorebench_bare_pipe`,
          );
        }),
      );
      await fresh();
      times.file.push(
        await timed(async () => {
          await sh(`createdb restorebench_bare_file`);
          await sh(
            `pg_restore --no-owner --jobs=${JOBS} --dbname=restorebench_bare_file ${snapshotFile}`,
          );
        }),
      );
      await fresh();
      const newDb = await workflow(
        job('new-database', `20260101000${round}`),
        steps,
      );
      times.newDb.push(newDb.sum);
      perStep.newDb = newDb.perStep;
      newDbState = newDb.state;
      await fresh();
      const inPlace = await workflow(
        job('in-place', `bench-in-place-${round}`),
        steps,
      );
      times.inPlace.push(inPlace.sum);
      perStep.inPlace = inPlace.perStep;
      inPlaceState = inPlace.state;
    }
    const median = (values: number[]) =>
      [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
    const m = Object.fromEntries(
      Object.entries(times).map(([k, v]) => [k, median(v)]),
    );
    const pct = (ours: number, base: number) =>
      `${(((ours - base) / base) * 100).toFixed(1)}%`;
    const all = (k: string) => times[k].map(t => t.toFixed(1)).join(' / ');
    const fmt = (p: Record<string, number>) =>
      Object.entries(p)
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join(', ');
    // eslint-disable-next-line no-console
    console.log(
      [
        `median of ${ROUNDS} interleaved rounds (each: ${all('pipe')} | ${all(
          'file',
        )} | ${all('newDb')} | ${all('inPlace')})`,
        `bare pg_dump -Fc | pg_restore:        ${m.pipe.toFixed(2)} s`,
        `bare pg_restore --jobs ${JOBS} (file):     ${m.file.toFixed(2)} s`,
        `ours, new-database (restore..grants): ${m.newDb.toFixed(
          2,
        )} s  overhead vs pipe ${pct(m.newDb, m.pipe)}, vs file ${pct(
          m.newDb,
          m.file,
        )}  [last: ${fmt(perStep.newDb)}]`,
        `ours, in-place (restore..grants):     ${m.inPlace.toFixed(
          2,
        )} s  overhead vs pipe ${pct(m.inPlace, m.pipe)}, vs file ${pct(
          m.inPlace,
          m.file,
        )}  [last: ${fmt(perStep.inPlace)}]`,
      ].join('\n'),
    );
    expect(inPlaceState.safetyCopyDatabaseName).toBeDefined();
    expect(newDbState.grantsDone).toBe(true);
  });
});
