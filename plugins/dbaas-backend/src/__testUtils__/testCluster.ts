import { Client } from 'pg';

/**
 * The test PostgreSQL server, which the whole-plugin tests also use as a
 * self-hosted cluster the suite provisions; unset when there is none.
 */
export const testClusterUrl =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;

/** `describe` when there is a test PostgreSQL server, else skipped. */
export const describeWithCluster = testClusterUrl ? describe : describe.skip;

/** `dbaas.clusters[]` entry for the test server as cluster `local`. */
export function localClusterConfig(clusterUrl: string) {
  const url = new URL(clusterUrl);
  return {
    name: 'local',
    environment: 'dev',
    provider: 'local',
    connection: clusterUrl,
    publicEndpoint: { host: url.hostname, port: Number(url.port) },
  };
}

/**
 * Drops what the suite provisioned for `tenant` on the server: its
 * databases (`<tenant>-…`) and their roles.
 */
export async function dropTenantDatabases(clusterUrl: string, tenant: string) {
  const admin = new Client({ connectionString: clusterUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE starts_with(datname, $1)`,
      [`${tenant}-`],
    );
    for (const { datname } of rows) {
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    const roles = await admin.query<{ rolname: string }>(
      `SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)`,
      [`${tenant}-`],
    );
    for (const { rolname } of roles.rows) {
      await admin.query(`DROP ROLE IF EXISTS "${rolname}"`);
    }
  } finally {
    await admin.end();
  }
}
