import { Client } from 'pg';
import {
  ClusterConnection,
  openClusterClient,
  quoteIdent,
} from '@dbaas/plugin-dbaas-node';
import { queryServerVersion, ServerVersion } from '../../../pgTools';

/** How often a rename waiting for sessions to go is retried. */
const RENAME_ATTEMPTS = 10;
const OBJECT_IN_USE = '55006';

function sqlState(error: unknown): string | undefined {
  return (error as { code?: string } | undefined)?.code;
}

/**
 * A short administrative session on a cluster's maintenance database, with
 * the database-level statements a restore needs. Every method is safe to
 * repeat (IF EXISTS, checks first), since steps re-run after a crash.
 */
export class AdminSession {
  private constructor(readonly client: Client) {}

  static async open(
    connection: ClusterConnection,
    database?: string,
  ): Promise<AdminSession> {
    const client = await openClusterClient(connection, {
      database,
      applicationName: 'backstage-dbaas-restore',
      // Renames wait for an exclusive lock on the database; never for long.
      lockTimeoutMillis: 30_000,
    });
    return new AdminSession(client);
  }

  static async with<T>(
    connection: ClusterConnection,
    fn: (session: AdminSession) => Promise<T>,
    database?: string,
  ): Promise<T> {
    const session = await AdminSession.open(connection, database);
    try {
      return await fn(session);
    } finally {
      await session.close();
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => {});
  }

  async serverVersion(): Promise<ServerVersion> {
    return queryServerVersion(this.client);
  }

  /** Which of the given databases exist, with their connection flag. */
  async databases(
    names: string[],
  ): Promise<Map<string, { allowConnections: boolean; sizeBytes: number }>> {
    const { rows } = await this.client.query<{
      datname: string;
      datallowconn: boolean;
      size: string;
    }>(
      `SELECT datname, datallowconn, pg_catalog.pg_database_size(oid)::text AS size
       FROM pg_catalog.pg_database WHERE datname = ANY($1)`,
      [names],
    );
    return new Map(
      rows.map(row => [
        row.datname,
        { allowConnections: row.datallowconn, sizeBytes: Number(row.size) },
      ]),
    );
  }

  async exists(name: string): Promise<boolean> {
    return (await this.databases([name])).has(name);
  }

  async roleExists(role: string): Promise<boolean> {
    const { rowCount } = await this.client.query(
      'SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1',
      [role],
    );
    return (rowCount ?? 0) > 0;
  }

  /** Whether this session's user may `SET ROLE` to `role` (pg_restore --role). */
  async canSetRole(role: string): Promise<boolean> {
    const { rows } = await this.client.query<{ ok: boolean }>(
      `SELECT pg_catalog.pg_has_role(current_user, $1, 'MEMBER') AS ok`,
      [role],
    );
    return rows[0].ok;
  }

  /**
   * Makes this session's user a member of `role`: what a CREATEROLE admin
   * that is no superuser (Aurora's master user) needs to act as it.
   */
  async grantRoleToSelf(role: string): Promise<void> {
    await this.client.query(`GRANT ${quoteIdent(role)} TO CURRENT_USER`);
  }

  async createDatabase(name: string, owner: string): Promise<void> {
    // template0: nothing from a customised template1 ends up in the restore.
    await this.client.query(
      `CREATE DATABASE ${quoteIdent(name)} OWNER ${quoteIdent(
        owner,
      )} TEMPLATE template0`,
    );
  }

  /** Drops a database, ending its sessions first (PostgreSQL 13+). */
  async dropDatabase(name: string): Promise<boolean> {
    if (!(await this.exists(name))) {
      return false;
    }
    await this.client.query(
      `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`,
    );
    return true;
  }

  async setAllowConnections(name: string, allow: boolean): Promise<void> {
    await this.client.query(
      `ALTER DATABASE ${quoteIdent(name)} ALLOW_CONNECTIONS ${allow}`,
    );
  }

  /** Ends every other session on a database; returns how many. */
  async terminateSessions(name: string): Promise<number> {
    const { rows } = await this.client.query<{ n: number }>(
      `SELECT count(pg_catalog.pg_terminate_backend(pid))::int AS n
       FROM pg_catalog.pg_stat_activity
       WHERE datname = $1 AND pid <> pg_catalog.pg_backend_pid()`,
      [name],
    );
    return rows[0].n;
  }

  /**
   * Renames a database. A session that was just terminated may take a
   * moment to leave, so "being accessed by other users" is retried after
   * terminating again.
   */
  async renameDatabase(from: string, to: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.query(
          `ALTER DATABASE ${quoteIdent(from)} RENAME TO ${quoteIdent(to)}`,
        );
        return;
      } catch (error) {
        if (sqlState(error) !== OBJECT_IN_USE || attempt >= RENAME_ATTEMPTS) {
          throw error;
        }
        await this.terminateSessions(from);
        await new Promise(resolve => setTimeout(resolve, 100 * attempt));
      }
    }
  }
}
