import { Client } from 'pg';
import { ProvisioningRun } from './ProvisioningRun';
import { terminateSessionsOnDatabase } from './ProvisionerSessions';
import { quoteIdent } from './sql';
import { DUPLICATE_DATABASE, sqlState } from './sqlState';

/**
 * Makes the cluster's admin user a member of the `-admin` role unless it
 * is already (a superuser is a member of every role). Aurora's master user
 * is no superuser but may grant roles (CREATEROLE): without the
 * membership PostgreSQL refuses `CREATE DATABASE .. OWNER`, `ALTER
 * DEFAULT PRIVILEGES FOR ROLE` and grants on the role's tables.
 */
export async function ensureAdminMembership(
  admin: Client,
  run: ProvisioningRun,
): Promise<void> {
  const adminRole = run.names.roles.admin;
  const member = await run.at('read role membership', async () => {
    const { rows } = await admin.query<{ ok: boolean }>(
      `SELECT pg_catalog.pg_has_role(current_user, $1, 'MEMBER') AS ok`,
      [adminRole],
    );
    return rows[0]?.ok === true;
  });
  if (!member) {
    await run.at(`grant ${adminRole} to the cluster's admin user`, () =>
      admin.query(`GRANT ${quoteIdent(adminRole)} TO CURRENT_USER`),
    );
    run.changed(`granted ${adminRole} to the cluster's admin user`);
  }
}

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
