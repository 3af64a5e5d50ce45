import {
  ClusterConnection,
  describeConnection,
  errorMessageLine,
  redactSecrets,
  toPgClientConfig,
} from '@dbaas/plugin-dbaas-node';
import { Client } from 'pg';

/** The server a dump is about to read, as pg_dump will see it. */
export interface ServerVersion {
  /** `server_version_num`, e.g. 150008 */
  num: number;
  /** e.g. `15.8` */
  version: string;
}

/**
 * Connects to the database itself (so a missing database or a refused
 * login fails here, with a clear message, before pg_dump starts) and
 * reads the server version for the pg_dump preflight check.
 */
export async function readServerVersion(
  connection: ClusterConnection,
  database: string,
): Promise<ServerVersion> {
  const client = new Client(
    toPgClientConfig(connection, {
      database,
      applicationName: 'backstage-dbaas-snapshot',
    }),
  );
  // A failed connection emits 'error' as well as rejecting connect().
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query(
      `SELECT current_setting('server_version_num')::int AS num,
              split_part(current_setting('server_version'), ' ', 1) AS version`,
    );
    return { num: Number(rows[0].num), version: rows[0].version };
  } catch (error) {
    throw new Error(
      `Cannot read the server version of ${describeConnection(
        connection,
        database,
      )}: ${redactSecrets(errorMessageLine(error), [connection.password])}`,
    );
  } finally {
    await client.end().catch(() => {});
  }
}
