import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import {
  RoleSecret,
  DatabaseSecretStore,
  RoleSecretMetadata,
} from '../../secrets/types';
import { RoleAccess } from '@dbaas/plugin-dbaas-common';
import { ClusterConnection, toPgClientConfig } from '../connectionConfig';
import { parseConnectionString } from '../connectionString';
import { quoteIdent } from '../sql';

/**
 * Tests in this folder run against a real PostgreSQL superuser connection,
 * the one scripts/test.sh starts. Without it they are skipped, saying why.
 */
export const TEST_DATABASE_ENV =
  'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';
/** Set by scripts/test.sh; the PostgreSQL tests are skipped without it. */
export const TEST_DATABASE_URL = process.env[TEST_DATABASE_ENV];

/**
 * A suite title that says why it was skipped. Use with
 * `const describeWithPostgres = TEST_DATABASE_URL ? describe : describe.skip`.
 */
export function postgresSuite(name: string): string {
  return TEST_DATABASE_URL
    ? name
    : `${name} [skipped: ${TEST_DATABASE_ENV} is not set; scripts/test.sh sets it to a PostgreSQL superuser URL]`;
}

/**
 * The test server's superuser connection. Skipped suites still build their
 * fixtures, so without a server this is an unusable placeholder.
 */
export function testConnection(): ClusterConnection {
  return parseConnectionString(
    TEST_DATABASE_URL ?? 'postgresql://unset@127.0.0.1:1/postgres',
    TEST_DATABASE_ENV,
  );
}

/**
 * Jest runs test files in parallel workers against one server: every
 * test uses its own namespace, so database and role names never clash.
 */
export function uniqueNamespace(prefix = 't'): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

/** A superuser session on the test server, closed after `fn`. */
export async function withSuperuser<T>(
  fn: (client: Client) => Promise<T>,
  database?: string,
): Promise<T> {
  const client = new Client(toPgClientConfig(testConnection(), { database }));
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Logs in as `user` over TCP, i.e. with SCRAM password authentication. */
export async function connectAs(
  user: string,
  password: string,
  database: string,
): Promise<Client> {
  const { host, port, ssl } = testConnection();
  const client = new Client(
    toPgClientConfig(
      { host, port, user, password, database, ssl },
      { connectionTimeoutMillis: 5_000 },
    ),
  );
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** Runs `fn` as `user` and always closes the session. */
export async function asRole<T>(
  secret: RoleSecret,
  database: string,
  fn: (client: Client) => Promise<T>,
): Promise<T> {
  const client = await connectAs(secret.username, secret.password, database);
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Drops test databases and roles whatever state a test left them in. */
export async function dropEverything(
  databases: string[],
  roles: string[],
): Promise<void> {
  await withSuperuser(async client => {
    for (const database of databases) {
      await client.query(
        `DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`,
      );
    }
    for (const role of roles) {
      const exists = await client.query(
        'SELECT 1 FROM pg_roles WHERE rolname = $1',
        [role],
      );
      if (exists.rowCount) {
        // Grants made by tests (see allowLoginDatabase) would keep the role.
        await client.query(
          `REVOKE ALL ON DATABASE postgres FROM ${quoteIdent(role)}`,
        );
      }
      await client.query(`DROP ROLE IF EXISTS ${quoteIdent(role)}`);
    }
  });
}

/**
 * Lets a test role connect to the `postgres` database, to tell a refused
 * login from a refused CONNECT: the servers the suite sets up revoke CONNECT
 * on it from PUBLIC.
 */
export async function allowLoginDatabase(role: string): Promise<void> {
  await withSuperuser(client =>
    client.query(`GRANT CONNECT ON DATABASE postgres TO ${quoteIdent(role)}`),
  );
}

/** A secret store in memory, with the calls it saw. */
export class MemorySecretStore implements DatabaseSecretStore {
  readonly secrets = new Map<string, RoleSecret & { updatedAt: Date }>();

  async put(path: string, secret: RoleSecret): Promise<void> {
    this.secrets.set(path, { ...secret, updatedAt: new Date() });
  }

  async get(path: string): Promise<RoleSecret | undefined> {
    const stored = this.secrets.get(path);
    if (!stored) {
      return undefined;
    }
    const { updatedAt: _, ...secret } = stored;
    return secret;
  }

  async describe(
    path: string,
    access: RoleAccess,
  ): Promise<RoleSecretMetadata> {
    const stored = this.secrets.get(path);
    return stored
      ? { path, access, exists: true, updatedAt: stored.updatedAt }
      : { path, access, exists: false };
  }

  async delete(path: string): Promise<void> {
    this.secrets.delete(path);
  }
}
