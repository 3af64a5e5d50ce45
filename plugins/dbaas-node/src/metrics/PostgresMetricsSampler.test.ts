import { Client } from 'pg';
import {
  TEST_DATABASE_URL,
  connectAs,
  dropEverything,
  postgresSuite,
  testConnection,
  uniqueNamespace,
  withSuperuser,
} from '../cluster/__testUtils__/postgres';
import { quoteIdent, quoteLiteral } from '../cluster/sql';
import { PostgresMetricsSampler } from './PostgresMetricsSampler';
import { computeRates } from './rates';
import { ClusterSample, DatabaseSample } from './types';

const describeWithPostgres = TEST_DATABASE_URL ? describe : describe.skip;

jest.setTimeout(60_000);

const ROWS = 500;
const COMMITS = 5;

function find(sample: ClusterSample, name: string): DatabaseSample {
  expect(sample.reachable).toBe(true);
  const db = sample.databases.find(d => d.databaseName === name);
  expect(db).toBeDefined();
  return db!;
}

/**
 * Backends flush their statistics at most once a second while busy, and
 * always when they disconnect; the activity sessions are closed before
 * sampling, and we still wait for the figures to land.
 */
async function sampleUntil(
  sampler: PostgresMetricsSampler,
  name: string,
  done: (db: DatabaseSample) => boolean,
): Promise<DatabaseSample> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const db = find(await sampler.sample(), name);
    if (done(db) || Date.now() > deadline) {
      return db;
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

/** A table, ROWS inserts over COMMITS transactions, a rollback, reads. */
async function generateActivity(database: string): Promise<void> {
  await withSuperuser(async client => {
    await client.query(
      'CREATE TABLE IF NOT EXISTS orders (id serial PRIMARY KEY, note text)',
    );
    const perCommit = Math.ceil(ROWS / COMMITS);
    for (let i = 0; i < COMMITS; i++) {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO orders (note) SELECT 'order ' || g FROM generate_series(1, ${perCommit}) g`,
      );
      await client.query('COMMIT');
    }
    await client.query('BEGIN');
    await client.query(`INSERT INTO orders (note) VALUES ('never')`);
    await client.query('ROLLBACK');
    await client.query(`UPDATE orders SET note = 'updated' WHERE id <= 10`);
    await client.query('DELETE FROM orders WHERE id <= 5');
    for (let i = 0; i < 3; i++) {
      await client.query('SELECT count(*) FROM orders');
    }
  }, database);
}

describeWithPostgres(postgresSuite('PostgresMetricsSampler'), () => {
  const ns = uniqueNamespace('m');
  const database = `${ns}-orders`;
  const reader = `${ns}-orders-read`;
  const password = `pw-${uniqueNamespace()}-${uniqueNamespace()}`;
  const sampler = new PostgresMetricsSampler({
    cluster: 'local',
    connection: testConnection(),
  });

  beforeAll(async () => {
    await withSuperuser(async client => {
      await client.query(`CREATE DATABASE ${quoteIdent(database)}`);
      await client.query(
        `CREATE ROLE ${quoteIdent(reader)} LOGIN PASSWORD ${quoteLiteral(
          password,
        )}`,
      );
      await client.query(
        `GRANT CONNECT ON DATABASE ${quoteIdent(database)} TO ${quoteIdent(
          reader,
        )}`,
      );
    });
  });

  afterAll(async () => {
    await withSuperuser(async client => {
      const exists = await client.query(
        'SELECT 1 FROM pg_database WHERE datname = $1',
        [database],
      );
      if (exists.rowCount) {
        await client.query(
          `REVOKE ALL ON DATABASE ${quoteIdent(database)} FROM ${quoteIdent(
            reader,
          )}`,
        );
      }
    });
    await dropEverything([database], [reader]);
  });

  it('samples every database in one pass, with the server settings', async () => {
    const sample = await sampler.sample();
    expect(sample).toMatchObject({
      cluster: 'local',
      reachable: true,
      maxConnections: expect.any(Number),
      serverVersionNum: expect.any(Number),
    });
    expect(sample.error).toBeUndefined();
    expect(sample.maxConnections).toBeGreaterThan(0);
    expect(sample.serverVersionNum).toBeGreaterThanOrEqual(100000);
    const names = sample.databases.map(d => d.databaseName);
    expect(names).toContain(database);
    expect(names).toContain('postgres');
    expect(names).not.toContain('template0');
    expect(names).not.toContain('template1');
    const db = find(sample, database);
    expect(db.sizeBytes).toBeGreaterThan(0);
    expect(db.at).toEqual(sample.at);
    const hasActiveTime = sample.serverVersionNum >= 140000;
    expect(typeof db.counters.active_time_ms).toBe(
      hasActiveTime ? 'number' : 'undefined',
    );
    expect(typeof db.counters.session_time_ms).toBe(
      hasActiveTime ? 'number' : 'undefined',
    );
  });

  it('counts connections by role and state, not its own', async () => {
    const sessions: Client[] = [
      await connectAs(reader, password, database),
      await connectAs(reader, password, database),
    ];
    const busy = await connectAs(reader, password, database);
    const sleeping = busy.query('SELECT pg_sleep(3)').catch(() => undefined);
    try {
      await new Promise(resolve => setTimeout(resolve, 300));
      const db = find(await sampler.sample(), database);
      expect(db.connections.byRole[reader]).toBe(3);
      expect(db.connections.byState.idle).toBeGreaterThanOrEqual(2);
      expect(db.connections.byState.active).toBeGreaterThanOrEqual(1);
      expect(db.connections.total).toBe(
        Object.values(db.connections.byRole).reduce((a, b) => a + b, 0),
      );
      // The sampler's own session is not counted, even in its own database.
      const inside = find(
        await new PostgresMetricsSampler({
          cluster: 'local',
          // The password is not enumerable: spread drops it.
          connection: {
            ...testConnection(),
            password: testConnection().password,
            database,
          },
        }).sample(),
        database,
      );
      expect(inside.connections.byRole).toEqual({ [reader]: 3 });
      expect(inside.connections.total).toBe(3);
    } finally {
      await busy.query('SELECT 1').catch(() => undefined);
      await Promise.all(sessions.map(s => s.end().catch(() => {})));
      await sleeping;
      await busy.end().catch(() => {});
    }
  });

  it('turns real activity into deltas and rates', async () => {
    const before = find(await sampler.sample(), database);
    await generateActivity(database);
    const after = await sampleUntil(
      sampler,
      database,
      db =>
        db.counters.tup_inserted - before.counters.tup_inserted >= ROWS &&
        db.counters.xact_rollback > before.counters.xact_rollback,
    );
    const rates = computeRates(before, after)!;
    expect(rates).toBeDefined();
    expect(rates.reset).toBe(false);
    expect(rates.intervalSeconds).toBeGreaterThan(0);
    expect(rates.deltas.tuplesInserted).toBeGreaterThanOrEqual(ROWS);
    expect(rates.deltas.commits).toBeGreaterThanOrEqual(COMMITS);
    expect(rates.deltas.rollbacks).toBeGreaterThanOrEqual(1);
    expect(rates.deltas.tuplesUpdated).toBeGreaterThanOrEqual(10);
    expect(rates.deltas.tuplesDeleted).toBeGreaterThanOrEqual(5);
    expect(rates.deltas.blocksHit).toBeGreaterThan(0);
    expect(rates.perSecond.tuplesInserted).toBeCloseTo(
      rates.deltas.tuplesInserted! / rates.intervalSeconds,
      6,
    );
    expect(rates.cacheHitRatio).toBeGreaterThan(0);
    expect(rates.cacheHitRatio).toBeLessThanOrEqual(1);
    expect(after.sizeBytes).toBeGreaterThan(before.sizeBytes);
    expect(rates.activeTimeShare === undefined).toBe(
      after.counters.active_time_ms === undefined,
    );
    expect(rates.activeTimeShare ?? 0).toBeGreaterThanOrEqual(0);
  });

  it('survives a statistics reset without negative rates', async () => {
    await generateActivity(database);
    const before = await sampleUntil(
      sampler,
      database,
      db => db.counters.tup_inserted >= ROWS,
    );
    expect(before.counters.xact_commit).toBeGreaterThan(COMMITS);
    await withSuperuser(async client => {
      await client.query('SELECT pg_stat_reset()');
      await client.query(
        `INSERT INTO orders (note) SELECT 'after reset' FROM generate_series(1, 7)`,
      );
    }, database);
    const after = await sampleUntil(
      sampler,
      database,
      db =>
        db.counters.stats_reset !== undefined &&
        db.counters.stats_reset > before.at &&
        db.counters.tup_inserted >= 7,
    );
    expect(after.counters.xact_commit).toBeLessThan(
      before.counters.xact_commit,
    );
    const rates = computeRates(before, after)!;
    expect(rates.reset).toBe(true);
    for (const value of Object.values(rates.perSecond)) {
      expect(value).toBeGreaterThanOrEqual(0);
    }
    for (const value of Object.values(rates.deltas)) {
      expect(value).toBeGreaterThanOrEqual(0);
    }
    // The reset happened after `before`: what followed it is counted.
    expect(rates.deltas.tuplesInserted).toBe(after.counters.tup_inserted);
    expect(rates.deltas.tuplesInserted).toBeGreaterThanOrEqual(7);
    expect(rates.activeTimeShare ?? 0).toBeGreaterThanOrEqual(0);
  });
});

describe('PostgresMetricsSampler on an unreachable cluster', () => {
  it('returns a sample saying why, without the password', async () => {
    const sampler = new PostgresMetricsSampler({
      cluster: 'gone',
      connection: {
        host: '127.0.0.1',
        port: 1,
        user: 'admin',
        password: 'sup3r-secret-pw',
        database: 'postgres',
        ssl: false,
      },
      connectionTimeoutMillis: 2_000,
    });
    const sample = await sampler.sample();
    expect(sample).toMatchObject({
      cluster: 'gone',
      reachable: false,
      maxConnections: 0,
      serverVersionNum: 0,
      databases: [],
    });
    expect(sample.error).toMatch(
      /^Cannot sample metrics of cluster 'gone' at admin@127\.0\.0\.1:1\/postgres: /,
    );
    expect(sample.error).not.toContain('sup3r-secret-pw');
    expect(sample.error).not.toMatch(/\n/);
  });
});
