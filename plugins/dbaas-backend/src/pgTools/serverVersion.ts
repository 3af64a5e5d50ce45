import {
  ClusterConnection,
  describeConnection,
  errorMessageLine,
  redactSecrets,
  withClusterClient,
} from '@dbaas/plugin-dbaas-node';
import { ClientBase } from 'pg';

/** The version of a server, as a client tool will see it. */
export interface ServerVersion {
  /** `server_version_num`, e.g. 150008 */
  num: number;
  /** e.g. `15.8` */
  version: string;
}

/** The version of the server a session is connected to. */
export async function queryServerVersion(
  client: ClientBase,
): Promise<ServerVersion> {
  const { rows } = await client.query<{ num: number; version: string }>(
    `SELECT current_setting('server_version_num')::int AS num,
            split_part(current_setting('server_version'), ' ', 1) AS version`,
  );
  return { num: Number(rows[0].num), version: rows[0].version };
}

/**
 * Connects to the database itself (so a missing database or a refused
 * login fails here, with a clear message, before a tool starts) and reads
 * the server version for the tool's preflight check.
 */
export async function readServerVersion(
  connection: ClusterConnection,
  database: string,
  applicationName: string,
): Promise<ServerVersion> {
  try {
    return await withClusterClient(
      connection,
      { database, applicationName },
      queryServerVersion,
    );
  } catch (error) {
    throw new Error(
      `Cannot read the server version of ${describeConnection(
        connection,
        database,
      )}: ${redactSecrets(errorMessageLine(error), [connection.password])}`,
    );
  }
}
