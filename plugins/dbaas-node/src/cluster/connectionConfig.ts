import type { ClientConfig } from 'pg';
import { InputError } from '@backstage/errors';
import { ClusterSsl, toPgSslOptions } from './clusterSsl';

/**
 * The administrative connection to one cluster.
 *
 * When read from configuration, `password` is a non-enumerable property:
 * it is there for {@link toPgClientConfig} but `JSON.stringify`, logging
 * and object spreads leave it out, so printing cluster settings can never
 * show it. Connect with {@link openClusterClient} (with `database` to
 * switch databases) rather than copying the object.
 *
 * @public
 */
export interface ClusterConnection {
  /** Host name, IP address or a Unix socket directory (starting with `/`). */
  host: string;
  port: number;
  user: string;
  password?: string;
  /** Maintenance database to connect to, usually `postgres`. */
  database: string;
  ssl: ClusterSsl;
}

export const DEFAULT_PORT = 5432;
export const DEFAULT_DATABASE = 'postgres';

export function checkPort(port: number, where: string): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InputError(`${where} must be a port number (1-65535)`);
  }
  return port;
}

/** Attaches the password so that it is readable but never enumerated. */
export function withHiddenPassword(
  connection: Omit<ClusterConnection, 'password'>,
  password: string | undefined,
): ClusterConnection {
  if (password !== undefined) {
    Object.defineProperty(connection, 'password', {
      value: password,
      enumerable: false,
      writable: false,
    });
  }
  return connection;
}

/**
 * `user@host:port/database` for messages and logs; never the password.
 *
 * @public
 */
export function describeConnection(
  connection: ClusterConnection,
  database: string = connection.database,
): string {
  return `${connection.user}@${connection.host}:${connection.port}/${database}`;
}

/** @public */
export interface PgClientOptions {
  /** Connect to this database instead of the connection's own. */
  database?: string;
  /** Give up connecting after this long. @defaultValue 10000 */
  connectionTimeoutMillis?: number;
  /** Server-side `statement_timeout`; none when not set. */
  statementTimeoutMillis?: number;
  /** Server-side `lock_timeout`; none when not set. */
  lockTimeoutMillis?: number;
  /** Shown in `pg_stat_activity.application_name`. */
  applicationName?: string;
}

/**
 * The `pg` client configuration for a cluster connection. TLS options are
 * always set explicitly, so `PGSSLMODE` and friends in the environment
 * cannot silently change them. To connect, use {@link openClusterClient}
 * or {@link withClusterClient}, which build on it.
 *
 * @public
 */
export function toPgClientConfig(
  connection: ClusterConnection,
  options: PgClientOptions = {},
): ClientConfig {
  return {
    host: connection.host,
    port: connection.port,
    user: connection.user,
    password: connection.password,
    database: options.database ?? connection.database,
    ssl: toPgSslOptions(connection.ssl),
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 10_000,
    ...(options.statementTimeoutMillis
      ? { statement_timeout: options.statementTimeoutMillis }
      : {}),
    ...(options.lockTimeoutMillis
      ? { lock_timeout: options.lockTimeoutMillis }
      : {}),
    application_name: options.applicationName ?? 'backstage-dbaas',
  };
}
