/*
 * Run from plugins/dbaas-node, against a throwaway cluster (fsync off):
 *   BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING=postgresql://... \
 *   DBAAS_BENCH_DATABASES=1000 \
 *   CI=true npx backstage-cli package test --roots '<rootDir>/../bench' --testMatch '**\/metricsSampling.bench.ts'
 *
 * Creates N databases, times one metrics pass with PostgresMetricsSampler
 * (one connection, one statement) against one connection per database
 * running the per-database queries, prints a markdown table, and drops
 * what it created.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { toPgClientConfig } from '../src/cluster/connectionConfig';
import { parseConnectionString } from '../src/cluster/connectionString';
import { quoteIdent } from '../src/cluster/sql';
import { PostgresMetricsSampler } from '../src/metrics';

const ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';
const URL = process.env[ENV];
const N = Number(process.env.DBAAS_BENCH_DATABASES ?? 1000);
const ROUNDS = 5;
const BASELINE_ROUNDS = Number(process.env.DBAAS_BENCH_BASELINE_ROUNDS ?? 3);
const CREATE_PARALLELISM = 8;
const PREFIX = `bench${randomBytes(3).toString('hex')}-db`;

const connection = parseConnectionString(
  URL ?? 'postgresql://unset@127.0.0.1:1/postgres',
  ENV,
);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function withClient<T>(
  database: string | undefined,
  fn: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client(
    toPgClientConfig(connection, {
      database,
      applicationName: 'dbaas-bench',
    }),
  );
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Runs `statements` over `parallelism` connections. */
async function runParallel(statements: string[], parallelism: number) {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallelism }, () =>
      withClient(undefined, async client => {
        while (next < statements.length) {
          const statement = statements[next++];
          await client.query(statement);
        }
      }),
    ),
  );
}

const names = Array.from(
  { length: N },
  (_, i) => `${PREFIX}-${String(i).padStart(4, '0')}`,
);

/** What a sampler does when it opens one connection per database. */
const PER_DATABASE_SQL = `
SELECT pg_catalog.pg_database_size(current_database()) AS size,
       s.xact_commit, s.xact_rollback, s.blks_read, s.blks_hit,
       s.tup_inserted, s.tup_updated, s.tup_deleted, s.deadlocks,
       s.temp_bytes, s.active_time, s.session_time, s.stats_reset,
       (SELECT json_agg(x) FROM (
          SELECT usename, state, count(*) AS n
          FROM pg_catalog.pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid()
          GROUP BY usename, state) x) AS activity
FROM pg_catalog.pg_stat_database s
WHERE s.datname = current_database()
`;

async function perDatabasePass(): Promise<number> {
  let seen = 0;
  for (const name of names) {
    const rows = await withClient(name, async client => {
      const result = await client.query(PER_DATABASE_SQL);
      return result.rows.length;
    });
    seen += rows;
  }
  return seen;
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const result = await fn();
  return [Number(process.hrtime.bigint() - start) / 1e6, result];
}

const describeWithPostgres = URL ? describe : describe.skip;

jest.setTimeout(20 * 60_000);

describeWithPostgres(`metrics sampling of ${N} databases`, () => {
  let createMs = 0;

  beforeAll(async () => {
    [createMs] = await time(() =>
      runParallel(
        names.map(
          name => `CREATE DATABASE ${quoteIdent(name)} TEMPLATE template0`,
        ),
        CREATE_PARALLELISM,
      ),
    );
  });

  afterAll(async () => {
    await runParallel(
      names.map(name => `DROP DATABASE IF EXISTS ${quoteIdent(name)}`),
      CREATE_PARALLELISM,
    );
  });

  it('samples all databases in one connection in under a second', async () => {
    const sampler = new PostgresMetricsSampler({
      cluster: 'bench',
      connection,
      statementTimeoutMillis: 60_000,
    });
    // Warm-up (catalog caches, JIT), then the median of ROUNDS.
    await sampler.sample();
    const oursRuns: number[] = [];
    let found = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const [ms, sample] = await time(() => sampler.sample());
      expect(sample.reachable).toBe(true);
      found = sample.databases.filter(d =>
        d.databaseName.startsWith(PREFIX),
      ).length;
      oursRuns.push(ms);
    }
    expect(found).toBe(N);

    const baselineRuns: number[] = [];
    for (let i = 0; i < BASELINE_ROUNDS; i++) {
      const [ms, seen] = await time(perDatabasePass);
      expect(seen).toBe(N);
      baselineRuns.push(ms);
    }

    const ours = median(oursRuns);
    const baseline = median(baselineRuns);
    const fmt = (ms: number) => ms.toFixed(0);
    // eslint-disable-next-line no-console
    console.log(
      [
        `Metrics sampling of ${N} databases (created in ${fmt(
          createMs,
        )} ms, ${CREATE_PARALLELISM} connections, TEMPLATE template0)`,
        '',
        '| approach | connections | statements | median ms | runs ms |',
        '|---|---|---|---|---|',
        `| PostgresMetricsSampler.sample() | 1 | 1 | ${fmt(
          ours,
        )} | ${oursRuns.map(fmt).join(', ')} |`,
        `| one connection per database | ${N} | ${N} | ${fmt(
          baseline,
        )} | ${baselineRuns.map(fmt).join(', ')} |`,
        '',
        `speed-up: ${(baseline / ours).toFixed(1)}x`,
      ].join('\n'),
    );

    expect(ours).toBeLessThan(1000);
    expect(ours).toBeLessThan(baseline);
  });
});
