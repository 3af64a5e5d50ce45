import { Client } from 'pg';
import { redactError } from '../secrets/redact';
import {
  ClusterConnection,
  PgClientOptions,
  toPgClientConfig,
} from './connectionConfig';

/**
 * Opens a `pg` client on a cluster from its connection settings: the one
 * way the dbaas packages connect to a cluster.
 *
 * - The configuration is {@link toPgClientConfig}'s: TLS set explicitly
 *   (so `PGSSLMODE` and friends in the environment cannot change it), the
 *   password taken from the connection and nowhere else.
 * - An `error` listener is attached before connecting: a connection lost
 *   between queries emits `error` on the client, which would crash the
 *   process without one; the pending or next query fails with it anyway.
 * - When it cannot connect, the client is ended and the driver's error is
 *   rethrown with the password removed (its name and `code` kept).
 *
 * The caller ends the client it gets; {@link withClusterClient} does that
 * for a session with a clear end.
 *
 * @public
 */
export async function openClusterClient(
  connection: ClusterConnection,
  options: PgClientOptions = {},
): Promise<Client> {
  const client = new Client(toPgClientConfig(connection, options));
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw redactError(error, [connection.password]);
  }
  return client;
}

/**
 * Runs `fn` with a client from {@link openClusterClient} and ends the
 * client afterwards, whether `fn` succeeded or not.
 *
 * @public
 */
export async function withClusterClient<T>(
  connection: ClusterConnection,
  options: PgClientOptions,
  fn: (client: Client) => Promise<T>,
): Promise<T> {
  const client = await openClusterClient(connection, options);
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}
