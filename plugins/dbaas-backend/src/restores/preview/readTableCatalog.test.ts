import { Client } from 'pg';
import {
  connect,
  describeWithPostgres,
  dropNamespace,
  query,
  uniqueNamespace,
} from '../workflow/engines/testFixtures';
import { readTableCatalog } from './readTableCatalog';

jest.setTimeout(60_000);

const LIMITS = { lockTimeoutMs: 300, statementTimeoutMs: 10_000 };

/** The catalog reader on the real test PostgreSQL server. */
describeWithPostgres('readTableCatalog', () => {
  const database = `${uniqueNamespace()}-preview`;
  let client: Client;

  beforeAll(async () => {
    await query('postgres', `CREATE DATABASE "${database}"`);
    await query(
      database,
      `CREATE SCHEMA app;
       CREATE TABLE app.items (id int PRIMARY KEY, label varchar(20), "Odd name" text);
       INSERT INTO app.items SELECT i, 'x' FROM generate_series(1, 25) i;
       CREATE TABLE events (id int, at date) PARTITION BY RANGE (at);
       CREATE TABLE events_2026 PARTITION OF events
         FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
       INSERT INTO events SELECT i, '2026-03-01' FROM generate_series(1, 4) i;
       CREATE TABLE locked (id int);
       INSERT INTO locked VALUES (1);
       CREATE VIEW not_a_table AS SELECT 1 AS one;`,
    );
    client = await connect(database);
    // The counting session's own temporary table is not the database's.
    await client.query('CREATE TEMP TABLE scratch (id int)');
  });
  afterAll(async () => {
    await client?.end();
    await dropNamespace(database.split('-')[0]);
  });

  it('lists tables with their columns and exact rows, partitions counted on their own', async () => {
    const tables = await readTableCatalog(client, LIMITS);
    expect(tables).toEqual([
      {
        schema: 'app',
        name: 'items',
        columns: [
          { name: 'id', type: 'integer' },
          { name: 'label', type: 'character varying(20)' },
          { name: 'Odd name', type: 'text' },
        ],
        rows: 25,
      },
      {
        schema: 'public',
        name: 'events',
        columns: [
          { name: 'id', type: 'integer' },
          { name: 'at', type: 'date' },
        ],
        partitioned: true,
      },
      {
        schema: 'public',
        name: 'events_2026',
        columns: [
          { name: 'id', type: 'integer' },
          { name: 'at', type: 'date' },
        ],
        rows: 4,
      },
      {
        schema: 'public',
        name: 'locked',
        columns: [{ name: 'id', type: 'integer' }],
        rows: 1,
      },
    ]);
  });

  it('marks a table whose lock is held too long as not counted and counts the others', async () => {
    const holder = await connect(database);
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE locked IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const tables = await readTableCatalog(client, LIMITS);
      // Waited for the lock about lockTimeoutMs, not until it was released.
      expect(Date.now() - started).toBeLessThan(5_000);
      const locked = tables.find(t => t.name === 'locked');
      expect(locked).toEqual({
        schema: 'public',
        name: 'locked',
        columns: [{ name: 'id', type: 'integer' }],
        error: 'not counted: the table was locked (e.g. by a schema change)',
      });
      expect(tables.find(t => t.name === 'items')?.rows).toBe(25);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    // The session is usable afterwards (the transaction was ended).
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });
});
