import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { deriveDatabaseNames, RoleAccess } from '@dbaas/plugin-dbaas-common';
import {
  ClusterConnection,
  ClusterSettings,
  DatabaseSecretStore,
  parseConnectionString,
  PostgresProvisioner,
  quoteIdent,
  RoleSecret,
  RoleSecretMetadata,
  toPgClientConfig,
} from '@dbaas/plugin-dbaas-node';
import { RestoreStep, RestoreTarget } from '@dbaas/plugin-dbaas-common';
import { PgToolLocator, runPgTool } from '../../../pgTools';
import { SnapshotDump } from '../../../snapshots/SnapshotCatalog';
import {
  RestoreEngine,
  RestoreJob,
  RestoreStepContext,
  RestoreWorkState,
} from '../RestoreEngine';

/** Set by scripts/test.sh: a superuser URL of a real PostgreSQL server. */
export const TEST_DATABASE_URL =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;

/** The test server's client tools; set by scripts/test.sh, never guessed. */
export const BIN_DIRECTORY = process.env.DBAAS_TEST_PG_BIN ?? '';

/** Suites that need the real server and its client tools. */
export const describeWithPostgres =
  TEST_DATABASE_URL && BIN_DIRECTORY ? describe : describe.skip;

export function testConnection(): ClusterConnection {
  return parseConnectionString(
    TEST_DATABASE_URL ?? 'postgresql://unset@127.0.0.1:1/postgres',
    'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING',
  );
}

export function testCluster(
  provider: 'local' | 'aurora' = 'local',
): ClusterSettings {
  const connection = testConnection();
  return {
    name: provider === 'local' ? 'local-test' : 'aurora-test',
    environment: 'dev',
    provider,
    connection,
    publicEndpoint: { host: connection.host, port: connection.port },
    aurora:
      provider === 'aurora'
        ? { region: 'eu-west-1', clusterIdentifier: 'shared-cluster' }
        : undefined,
    namespaces: [],
    capacity: 1,
  };
}

export class MemorySecretStore implements DatabaseSecretStore {
  readonly secrets = new Map<string, RoleSecret>();
  async put(path: string, secret: RoleSecret) {
    this.secrets.set(path, { ...secret });
  }
  async get(path: string) {
    return this.secrets.get(path);
  }
  async describe(
    path: string,
    access: RoleAccess,
  ): Promise<RoleSecretMetadata> {
    return { path, access, exists: this.secrets.has(path) };
  }
  async delete(path: string) {
    this.secrets.delete(path);
  }
}

export function testProvisioner(store: DatabaseSecretStore) {
  const connection = testConnection();
  return new PostgresProvisioner({
    cluster: 'local-test',
    connection,
    publicEndpoint: { host: connection.host, port: connection.port },
    secretStore: store,
  });
}

export function uniqueNamespace(): string {
  return `r${randomBytes(5).toString('hex')}`;
}

/**
 * For the tests of the enclosing `describe`: `next()` gives a unique
 * namespace, whose databases and roles are dropped after all of them, as
 * are those of any prefix given to `dropAfterAll`.
 */
export function useUniqueNamespaces() {
  const prefixes: string[] = [];
  afterAll(async () => {
    for (const prefix of prefixes) {
      await dropNamespace(prefix);
    }
  });
  return {
    next(): string {
      const namespace = uniqueNamespace();
      prefixes.push(namespace);
      return namespace;
    },
    dropAfterAll(prefix: string): void {
      prefixes.push(prefix);
    },
  };
}

export function newJob(
  namespace: string,
  target: RestoreTarget,
  overrides: Partial<RestoreJob> = {},
): RestoreJob {
  const databaseName = `${namespace}-orders`;
  return {
    id: randomUUID(),
    namespace,
    name: 'orders',
    databaseName,
    mode: 'standard',
    cluster: testCluster(),
    snapshotId: 'snap-1',
    target,
    targetDatabaseName:
      target === 'in-place'
        ? databaseName
        : `${databaseName}-restored-202611211530`,
    ...overrides,
  };
}

/** A superuser (or `user`) session on a database of the test server. */
export async function connect(
  database: string,
  login?: { user: string; password: string },
): Promise<Client> {
  const base = testConnection();
  const connection = login
    ? {
        host: base.host,
        port: base.port,
        ssl: base.ssl,
        database,
        ...login,
      }
    : base;
  const client = new Client(
    toPgClientConfig(connection, { database, connectionTimeoutMillis: 5000 }),
  );
  client.on('error', () => {});
  await client.connect();
  return client;
}

export async function query<T extends Record<string, unknown>>(
  database: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = await connect(database);
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Logs in as one of a database's roles with the password in its secret. */
export async function connectAsRole(
  store: MemorySecretStore,
  namespace: string,
  name: string,
  access: RoleAccess,
  database = `${namespace}-${name}`,
): Promise<Client> {
  const names = deriveDatabaseNames(namespace, name);
  const secret = await store.get(names.secretManagerPaths[access]);
  if (!secret) {
    throw new Error(`no secret for ${names.roles[access]}`);
  }
  return connect(database, {
    user: secret.username,
    password: secret.password,
  });
}

/** Databases on the test server whose name starts with `prefix`. */
export async function databasesLike(prefix: string): Promise<string[]> {
  const rows = await query<{ datname: string }>(
    'postgres',
    `SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY 1`,
    [prefix],
  );
  return rows.map(r => r.datname);
}

export async function dropNamespace(namespace: string): Promise<void> {
  const client = await connect('postgres');
  try {
    for (const db of await databasesLike(namespace)) {
      await client.query(
        `DROP DATABASE IF EXISTS ${quoteIdent(db)} WITH (FORCE)`,
      );
    }
    const { rows } = await client.query<{ rolname: string }>(
      `SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)`,
      [namespace],
    );
    for (const { rolname } of rows) {
      await client.query(`DROP ROLE IF EXISTS ${quoteIdent(rolname)}`);
    }
  } finally {
    await client.end();
  }
}

/** `pg_dump --format=custom` of a database into a fresh temporary file. */
export async function dumpDatabase(database: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dbaas-restore-test-'));
  const file = join(dir, `${database}.dump`);
  await runPgTool({
    tool: await new PgToolLocator({ setting: 'DBAAS_TEST_PG_BIN' }).at(
      BIN_DIRECTORY,
      'pg_dump',
    ),
    args: ['--format=custom', '--no-password', `--file=${file}`],
    what: `pg_dump of '${database}'`,
    target: {
      connection: testConnection(),
      database,
      applicationName: 'dbaas-restore-test',
    },
  });
  return file;
}

/** A snapshot dump that is the file `path`, as a directory store hands it out. */
export async function fileDump(
  path: string,
  checksum = 'sha256:test',
): Promise<SnapshotDump> {
  return {
    location: path,
    path,
    checksum,
    sizeBytes: (await stat(path)).size,
    read: async () => createReadStream(path),
  };
}

/**
 * A bin directory in which the named tools are scripts answering
 * `--version` like that version (versions not installable here); the
 * other tools link to the test server's.
 */
export async function toolDirectory(
  fake: Partial<Record<'pg_dump' | 'pg_restore', string>>,
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dbaas-restore-bin-'));
  for (const tool of ['pg_dump', 'pg_restore'] as const) {
    const path = join(dir, tool);
    const version = fake[tool];
    if (version) {
      await writeFile(
        path,
        `#!/bin/sh\necho "${tool} (PostgreSQL) ${version}"\n`,
        { mode: 0o755 },
      );
    } else {
      await symlink(join(BIN_DIRECTORY, tool), path);
    }
  }
  return dir;
}

/**
 * A minimal stand-in for the executor: persists each step's state into
 * one object and collects the step log.
 */
export class StepRunner {
  state: RestoreWorkState = {};
  readonly log: Array<{ level: string; message: string }> = [];

  constructor(readonly engine: RestoreEngine, readonly job: RestoreJob) {}

  context(
    signal: AbortSignal = new AbortController().signal,
  ): RestoreStepContext {
    return {
      job: this.job,
      state: { ...this.state },
      signal,
      log: async (level, message) => {
        this.log.push({ level, message });
      },
    };
  }

  /** Runs one step until it is done (polling `wait` outcomes at once). */
  async run(step: RestoreStep, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const outcome = await this.engine.runStep(step, this.context(signal));
      this.state = { ...this.state, ...(outcome.state ?? {}) };
      if (outcome.kind === 'done') {
        return;
      }
    }
  }

  async runAll(
    from = 0,
    to = this.engine.steps(this.job).length,
  ): Promise<void> {
    for (const step of this.engine.steps(this.job).slice(from, to)) {
      await this.run(step);
    }
  }

  async cleanup(): Promise<void> {
    await this.engine.cleanup(this.context());
  }

  messages(): string {
    return this.log.map(l => l.message).join('\n');
  }
}
