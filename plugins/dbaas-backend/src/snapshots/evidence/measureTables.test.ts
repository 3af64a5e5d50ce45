import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { quoteIdent, toPgClientConfig } from '@dbaas/plugin-dbaas-node';
import { PgToolLocator, runPgTool } from '../../pgTools';
import {
  TEST_PG_BIN,
  dropDatabase,
  testLocalCluster,
  uniqueNamespace,
} from '../__testUtils__/testCluster';
import { compareEvidence } from './compareEvidence';
import { measureDatabase } from './measureTables';
import { FINGERPRINT_ALGORITHM, SnapshotEvidence } from './SnapshotEvidence';

jest.setTimeout(60_000);

/** A session on `database`, optionally with other session defaults. */
async function open(database: string, options?: string): Promise<Client> {
  const client = new Client({
    ...toPgClientConfig(testLocalCluster().connection, { database }),
    ...(options ? { options } : {}),
  });
  await client.connect();
  return client;
}

async function run(database: string, ...statements: string[]) {
  const client = await open(database);
  try {
    for (const statement of statements) {
      await client.query(statement);
    }
  } finally {
    await client.end();
  }
}

async function measure(database: string, options?: string) {
  const client = await open(database, options);
  try {
    return await measureDatabase(client);
  } finally {
    await client.end();
  }
}

async function tool(name: 'pg_dump' | 'pg_restore') {
  return new PgToolLocator({ setting: 'DBAAS_TEST_PG_BIN' }).at(
    TEST_PG_BIN,
    name,
  );
}

/** pg_dump -Fc of `from`, pg_restore into a new database `to`. */
async function copyThroughDump(from: string, to: string, dir: string) {
  const file = join(dir, `${from}.dump`);
  const connection = testLocalCluster().connection;
  await runPgTool({
    tool: await tool('pg_dump'),
    args: ['--format=custom', '--no-password', `--file=${file}`],
    what: 'pg_dump',
    target: { connection, database: from, applicationName: 'evidence-test' },
  });
  await run('postgres', `CREATE DATABASE ${quoteIdent(to)}`);
  await runPgTool({
    tool: await tool('pg_restore'),
    args: [
      '--no-password',
      `--dbname=${to}`,
      '--no-owner',
      '--exit-on-error',
      file,
    ],
    what: 'pg_restore',
    target: { connection, database: to, applicationName: 'evidence-test' },
  });
}

describe('measureDatabase and compareEvidence (real PostgreSQL)', () => {
  const created: string[] = [];
  let source: string;
  let dir: string;

  beforeAll(async () => {
    const namespace = uniqueNamespace();
    source = `${namespace}-types`;
    dir = await mkdtemp(join(tmpdir(), 'dbaas-evidence-'));
    created.push(source, `${namespace}-copy`, `${namespace}-copy2`);
    await run('postgres', `CREATE DATABASE ${quoteIdent(source)}`);
    await run(
      source,
      `CREATE TYPE mood AS ENUM ('calm', 'busy')`,
      `CREATE TYPE pair AS (a int, b text)`,
      // Hashed as text, which the session's TimeZone, DateStyle and
      // extra_float_digits would change.
      `CREATE TYPE stamp AS (at timestamptz, ratio float8, span interval)`,
      `CREATE DOMAIN positive AS int CHECK (VALUE > 0)`,
      `CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)`,
      // Every kind of column: hashed by type, hashed as text (enum, json,
      // money, geometric, bit, composite, arrays of either), collations.
      `CREATE TABLE kinds (
         id int PRIMARY KEY, flag bool, small int2, big int8, amount numeric(12,3),
         ratio float8, ratio4 float4, at timestamptz, day date, span interval, uid uuid,
         doc jsonb, raw json, bytes bytea, ip inet, mood mood, moods mood[], nums int[],
         money money, spot point, bits bit(4), pair pair, pos positive,
         name_ci text COLLATE ci, code char(3), label varchar(20), stamped stamp)`,
      `INSERT INTO kinds
         SELECT g, g % 2 = 0, g, g::int8 * 1000000007, g / 7.0, g / 3.0, g / 9.0,
                timestamptz '2026-01-01 00:00:00+00' + g * interval '1 hour 7 seconds',
                date '2026-01-01' + g, g * interval '1 minute', md5(g::text)::uuid,
                jsonb_build_object('g', g, 'tags', jsonb_build_array('a', g)),
                json_build_object('g', g), decode(md5(g::text), 'hex'),
                ('10.0.' || (g % 250) || '.1')::inet,
                (ARRAY['calm', 'busy'])[1 + g % 2]::mood, ARRAY['calm', 'busy']::mood[],
                ARRAY[g, g + 1], g * 1.25, point(g, g / 2.0), (g % 16)::bit(4),
                ROW(g, 'p' || g)::pair, g, CASE WHEN g % 2 = 0 THEN 'Abc' ELSE 'abc' END,
                'x' || (g % 10), 'label ' || g,
                ROW(timestamptz '2026-06-01 12:00:00+00' + g * interval '1 day', g / 3.0, g * interval '1 hour')::stamp
         FROM generate_series(1, 500) g`,
      `INSERT INTO kinds (id) VALUES (0)`,
      // Rows of a parent are counted without its children's; a column
      // added to the parent later comes last in the child.
      `CREATE TABLE parent (a int, b text)`,
      `CREATE TABLE child (c int) INHERITS (parent)`,
      `ALTER TABLE parent ADD COLUMN d int`,
      `INSERT INTO parent VALUES (1, 'p', 1)`,
      `INSERT INTO child (a, b, c, d) SELECT g, 'c', g, g FROM generate_series(1, 20) g`,
      `CREATE TABLE sales (id int, region text) PARTITION BY LIST (region)`,
      `CREATE TABLE sales_eu PARTITION OF sales FOR VALUES IN ('eu')`,
      `CREATE TABLE sales_us PARTITION OF sales FOR VALUES IN ('us')`,
      `INSERT INTO sales SELECT g, CASE WHEN g % 3 = 0 THEN 'us' ELSE 'eu' END FROM generate_series(1, 30) g`,
      `CREATE SCHEMA "Odd Schema"`,
      `CREATE TABLE "Odd Schema"."r" ("r" int, "select" text)`,
      `INSERT INTO "Odd Schema"."r" VALUES (1, 'a'), (1, 'a')`,
      `CREATE TABLE nothing ()`,
      `INSERT INTO nothing DEFAULT VALUES`,
      `CREATE TABLE empty (id int)`,
      `CREATE MATERIALIZED VIEW totals AS SELECT count(*) FROM kinds`,
    );
  });

  afterAll(async () => {
    for (const name of created) {
      await dropDatabase(name);
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('measures every table with data, exactly, each on its own', async () => {
    const evidence = await measure(source);
    expect(evidence.fingerprint).toBe(FINGERPRINT_ALGORITHM);
    expect(evidence.tables.map(t => [t.schema, t.name, t.rows])).toEqual([
      ['Odd Schema', 'r', 2],
      ['public', 'child', 20],
      ['public', 'empty', 0],
      ['public', 'kinds', 501],
      ['public', 'nothing', 1],
      ['public', 'parent', 1],
      ['public', 'sales_eu', 20],
      ['public', 'sales_us', 10],
    ]);
    expect(evidence.tables.find(t => t.name === 'empty')?.fingerprint).toBe(
      '0',
    );
    for (const table of evidence.tables) {
      expect(table.fingerprint).toMatch(/^-?\d+$/);
    }
  });

  it('gives the same evidence for a copy made by pg_dump and pg_restore, whatever the session settings', async () => {
    const copy = created[1];
    await copyThroughDump(source, copy, dir);
    const original = await measure(source);
    // Another time zone, date style and float digits in the reading
    // session must not change anything.
    const restored = await measure(
      copy,
      '-c TimeZone=Asia/Kathmandu -c DateStyle=German -c extra_float_digits=0 -c IntervalStyle=iso_8601',
    );
    expect(restored).toEqual(original);
    expect(compareEvidence(original, restored)).toEqual({
      problems: [],
      tables: [],
      fingerprints: true,
    });
  });

  it('names each table whose rows or content differ, and tables missing or extra', async () => {
    const copy = created[2];
    await copyThroughDump(source, copy, dir);
    const original = await measure(source);
    await run(
      copy,
      // Same rows, one value changed (an enum, hashed as text)
      `UPDATE kinds SET mood = 'calm' WHERE id = 1`,
      // Same count, values swapped between rows
      `UPDATE child SET c = CASE c WHEN 1 THEN 2 WHEN 2 THEN 1 END WHERE c IN (1, 2)`,
      `DELETE FROM sales WHERE id = 3`,
      `DROP TABLE empty`,
      `CREATE TABLE extra (id int)`,
    );
    const restored = await measure(copy);
    const comparison = compareEvidence(original, restored);
    expect(comparison.tables).toEqual([
      'public.child',
      'public.empty',
      'public.kinds',
      'public.sales_us',
      'public.extra',
    ]);
    expect(comparison.problems).toEqual([
      expect.stringMatching(
        /^public\.child: 20 rows as at the snapshot, but their content differs \(content hash -?\d+ at the snapshot, -?\d+ restored\)$/,
      ),
      'public.empty: 0 rows at the snapshot, missing restored',
      expect.stringMatching(/^public\.kinds: 501 rows as at the snapshot, but/),
      'public.sales_us: 10 rows at the snapshot, 9 restored',
      'public.extra: not in the snapshot, restored with 0 rows',
    ]);
  });

  it('compares rows only when one side has no content hashes', () => {
    const rowsOnly = {
      tables: [{ schema: 'public', name: 't', rows: 2 }],
    };
    const hashed: SnapshotEvidence = {
      fingerprint: FINGERPRINT_ALGORITHM,
      tables: [{ schema: 'public', name: 't', rows: 2, fingerprint: '5' }],
    };
    expect(compareEvidence(rowsOnly, hashed)).toEqual({
      problems: [],
      tables: [],
      fingerprints: false,
    });
    expect(compareEvidence(hashed, rowsOnly).fingerprints).toBe(false);
  });
});
