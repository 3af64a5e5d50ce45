import { Client } from 'pg';
import { ProvisioningRun } from './ProvisioningRun';
import { terminateSessionsOnDatabase } from './ProvisionerSessions';
import { quoteIdent } from './sql';
import { DUPLICATE_DATABASE, sqlState } from './sqlState';

/** The database `<ns>-<db>`, created or handed over to the `-admin` role. */
export async function ensureTenantDatabase(
  admin: Client,
  run: ProvisioningRun,
): Promise<void> {
  const { databaseName } = run.names;
  const adminRole = run.names.roles.admin;
  const owner = await run.at('read database', async () => {
    const { rows } = await admin.query<{ owner: string }>(
      'SELECT pg_catalog.pg_get_userbyid(datdba) AS owner FROM pg_catalog.pg_database WHERE datname = $1',
      [databaseName],
    );
    return rows[0]?.owner;
  });
  if (owner === undefined) {
    const created = await run.at('create database', async () => {
      try {
        // CREATE DATABASE cannot run inside a transaction; pg sends each
        // query on its own, outside any BEGIN. template0 copies nothing
        // from a customised template1 and never waits for sessions on it.
        await admin.query(
          `CREATE DATABASE ${quoteIdent(databaseName)} OWNER ${quoteIdent(
            adminRole,
          )} TEMPLATE template0`,
        );
        return true;
      } catch (error) {
        if (sqlState(error) !== DUPLICATE_DATABASE) {
          throw error;
        }
        return false;
      }
    });
    if (created) {
      run.changed(`created database ${databaseName}`);
      return;
    }
  }
  if (owner !== adminRole) {
    await run.at('change the database owner', () =>
      admin.query(
        `ALTER DATABASE ${quoteIdent(databaseName)} OWNER TO ${quoteIdent(
          adminRole,
        )}`,
      ),
    );
    run.changed(`made ${adminRole} the owner of database ${databaseName}`);
  }
}

export async function tenantDatabaseExists(
  admin: Client,
  databaseName: string,
): Promise<boolean> {
  const { rowCount } = await admin.query(
    'SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1',
    [databaseName],
  );
  return (rowCount ?? 0) > 0;
}

/** Drops the database, ending the sessions connected to it. */
export async function dropTenantDatabase(
  admin: Client,
  run: ProvisioningRun,
): Promise<void> {
  const { databaseName } = run.names;
  const db = quoteIdent(databaseName);
  const { rows } = await admin.query<{ version: number }>(
    `SELECT current_setting('server_version_num')::int AS version`,
  );
  if (rows[0].version >= 130000) {
    // WITH (FORCE) refuses new connections and terminates the open ones.
    await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  } else {
    await admin.query(`ALTER DATABASE ${db} ALLOW_CONNECTIONS false`);
    await terminateSessionsOnDatabase(admin, databaseName);
    await admin.query(`DROP DATABASE IF EXISTS ${db}`);
  }
  run.changed(`dropped database ${databaseName}`);
}
