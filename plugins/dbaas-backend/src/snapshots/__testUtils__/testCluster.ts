import { randomBytes } from 'node:crypto';
import { mockServices } from '@backstage/backend-test-utils';
import {
  ClusterEnvironment,
  ClusterSettings,
  parseConnectionString,
  quoteIdent,
  toPgClientConfig,
} from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import { Client } from 'pg';
import { applyDatabaseMigrations } from '../../database/migrations';

/** The PostgreSQL superuser URL scripts/test.sh starts the tests with. */
export const TEST_DATABASE_ENV =
  'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

/** pg_restore and friends of the test server (scripts/test.sh sets it). */
export const TEST_PG_BIN = requiredEnv('DBAAS_TEST_PG_BIN');

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set; scripts/test.sh sets it to the test server's bin directory`,
    );
  }
  return value;
}

function testUrl(): string {
  const url = process.env[TEST_DATABASE_ENV];
  if (!url) {
    throw new Error(
      `${TEST_DATABASE_ENV} is not set; scripts/test.sh sets it to a PostgreSQL superuser URL`,
    );
  }
  return url;
}

/** A self-hosted cluster whose admin connection is the test server's. */
export function testLocalCluster(
  options: {
    name?: string;
    environment?: ClusterEnvironment;
    /** Appended to the URL, e.g. `sslmode=require`. */
    query?: string;
  } = {},
): ClusterSettings {
  const url = testUrl();
  const connection = parseConnectionString(
    options.query
      ? `${url}${url.includes('?') ? '&' : '?'}${options.query}`
      : url,
    TEST_DATABASE_ENV,
  );
  return {
    name: options.name ?? 'local',
    environment: options.environment ?? 'dev',
    provider: 'local',
    connection,
    publicEndpoint: { host: connection.host, port: connection.port },
    namespaces: [],
    capacity: 1,
  };
}

/** Test files run in parallel against one server: a fresh namespace each. */
export function uniqueNamespace(): string {
  return `s${randomBytes(5).toString('hex')}`;
}

async function withSuperuser<T>(
  fn: (client: Client) => Promise<T>,
  database?: string,
): Promise<T> {
  const client = new Client(
    toPgClientConfig(testLocalCluster().connection, { database }),
  );
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates database `<namespace>-<name>` with a table of `rows` rows. */
export async function createDatabaseWithData(
  namespace: string,
  name: string,
  rows = 1000,
): Promise<string> {
  const databaseName = `${namespace}-${name}`;
  await withSuperuser(c =>
    c.query(`CREATE DATABASE ${quoteIdent(databaseName)}`),
  );
  await withSuperuser(async c => {
    await c.query(
      'CREATE TABLE ledger_entries (id int PRIMARY KEY, amount numeric, note text)',
    );
    await c.query(
      `INSERT INTO ledger_entries
         SELECT g, g * 1.5, 'entry ' || g FROM generate_series(1, $1) g`,
      [rows],
    );
  }, databaseName);
  return databaseName;
}

export async function databaseExists(databaseName: string): Promise<boolean> {
  return withSuperuser(async c => {
    const { rowCount } = await c.query(
      'SELECT 1 FROM pg_database WHERE datname = $1',
      [databaseName],
    );
    return rowCount === 1;
  });
}

export async function dropDatabase(databaseName: string): Promise<void> {
  await withSuperuser(c =>
    c.query(`DROP DATABASE IF EXISTS ${quoteIdent(databaseName)} WITH (FORCE)`),
  );
}

/** The plugin's tables on a fresh test database. */
export async function migrated(knex: Knex): Promise<Knex> {
  await applyDatabaseMigrations(mockServices.database({ knex }));
  return knex;
}
