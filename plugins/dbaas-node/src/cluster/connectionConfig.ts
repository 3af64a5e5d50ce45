import { readFileSync } from 'node:fs';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { validateNamespace } from '@dbaas/plugin-dbaas-common';
import type { ClientConfig } from 'pg';

/**
 * TLS settings of a cluster connection. `false` means plain TCP (local
 * clusters only: production clusters require TLS).
 *
 * @public
 */
export type ClusterSsl =
  | false
  | {
      /** Verify the server certificate against `ca` or the system CAs. */
      rejectUnauthorized: boolean;
      /** PEM bundle, e.g. the AWS RDS global bundle. */
      ca?: string;
      /**
       * With `rejectUnauthorized`, also check that the certificate names the
       * host (libpq `verify-full`). False is libpq `verify-ca`.
       * @defaultValue true
       */
      verifyHostname?: boolean;
    };

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

/** @public */
export type ClusterEnvironment = 'production' | 'staging' | 'test' | 'dev';

/** @public */
export type ClusterProvider = 'local' | 'aurora';

/**
 * One `dbaas.clusters[]` entry, checked and with defaults applied.
 *
 * @public
 */
export interface ClusterSettings {
  name: string;
  environment: ClusterEnvironment;
  provider: ClusterProvider;
  connection: ClusterConnection;
  /** What applications and people connect to; defaults to the admin connection's host and port. */
  publicEndpoint: { host: string; port: number };
  aurora?: { region: string; clusterIdentifier: string };
  /** Tenants on this cluster; empty means any namespace. */
  namespaces: string[];
  /** ACU-equivalents that billing charges for a local cluster. */
  capacity: number;
}

const ENVIRONMENTS: readonly ClusterEnvironment[] = [
  'production',
  'staging',
  'test',
  'dev',
];
const PROVIDERS: readonly ClusterProvider[] = ['local', 'aurora'];
const DEFAULT_PORT = 5432;
const DEFAULT_DATABASE = 'postgres';

function oneOf<T extends string>(
  value: string,
  allowed: readonly T[],
  where: string,
): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InputError(
      `${where} must be one of ${allowed.join(', ')}, not '${value}'`,
    );
  }
  return value as T;
}

function checkPort(port: number, where: string): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InputError(`${where} must be a port number (1-65535)`);
  }
  return port;
}

/** Attaches the password so that it is readable but never enumerated. */
function withHiddenPassword(
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

/** Maps libpq's `sslmode` onto node-postgres' TLS options. */
function sslFromMode(
  mode: string | null,
  ca: string | undefined,
  where: string,
): ClusterSsl {
  switch (mode ?? 'prefer') {
    // node-postgres cannot "try TLS, fall back to plain": the modes that
    // allow plain connections use plain connections.
    case 'disable':
    case 'allow':
    case 'prefer':
      return false;
    case 'require':
      // libpq verifies a `require` connection when a root certificate is given.
      return ca
        ? { rejectUnauthorized: true, ca, verifyHostname: false }
        : { rejectUnauthorized: false };
    case 'verify-ca':
      return { rejectUnauthorized: true, ca, verifyHostname: false };
    case 'verify-full':
      return { rejectUnauthorized: true, ca, verifyHostname: true };
    default:
      throw new InputError(
        `${where} has an unknown sslmode '${mode}'; use disable, require, verify-ca or verify-full`,
      );
  }
}

function readCertificate(path: string, where: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(
      `${where}: cannot read the sslrootcert file '${path}': ${
        (error as NodeJS.ErrnoException).code ?? 'unreadable'
      }`,
    );
  }
}

/**
 * Parses a `postgres://` / `postgresql://` URL. Error messages name the
 * configuration key but never repeat the URL, which holds the password.
 *
 * @public
 */
export function parseConnectionString(
  value: string,
  where = 'connection',
): ClusterConnection {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(
      `${where} is not a valid postgresql:// URL (the value is not shown because it may hold a password)`,
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new InputError(
      `${where} must start with postgresql:// or postgres://, not ${url.protocol}//`,
    );
  }
  const params = url.searchParams;
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      throw new InputError(`${where} has malformed percent-encoding`);
    }
  };
  const host =
    params.get('host') ?? decode(url.hostname.replace(/^\[(.*)\]$/, '$1'));
  if (!host) {
    throw new InputError(`${where} has no host`);
  }
  const user = params.get('user') ?? decode(url.username);
  if (!user) {
    throw new InputError(`${where} has no user name`);
  }
  const password =
    params.get('password') ?? (url.password ? decode(url.password) : undefined);
  const portText = params.get('port') ?? url.port;
  const port = checkPort(
    portText ? Number(portText) : DEFAULT_PORT,
    `${where} port`,
  );
  const database =
    params.get('dbname') ?? decode(url.pathname.replace(/^\//, ''));

  const rootCertPath = params.get('sslrootcert');
  const ca = rootCertPath ? readCertificate(rootCertPath, where) : undefined;
  let ssl: ClusterSsl;
  const pgStyleSsl = params.get('ssl');
  if (params.has('sslmode')) {
    ssl = sslFromMode(params.get('sslmode'), ca, where);
  } else if (pgStyleSsl === 'true' || pgStyleSsl === '1') {
    ssl = { rejectUnauthorized: true, ca, verifyHostname: true };
  } else if (pgStyleSsl === 'no-verify') {
    ssl = { rejectUnauthorized: false };
  } else {
    ssl = sslFromMode(null, ca, where);
  }

  return withHiddenPassword(
    { host, port, user, database: database || DEFAULT_DATABASE, ssl },
    password,
  );
}

function readConnection(entry: Config, where: string): ClusterConnection {
  const raw = entry.getOptional('connection');
  if (raw === undefined) {
    throw new InputError(`${where}.connection is required`);
  }
  if (typeof raw === 'string') {
    return parseConnectionString(raw, `${where}.connection`);
  }
  const c = entry.getConfig('connection');
  const host = c.getString('host');
  const port = checkPort(
    c.getOptionalNumber('port') ?? DEFAULT_PORT,
    `${where}.connection.port`,
  );
  const user = c.getString('user');
  const password = c.getOptionalString('password');
  const database = c.getOptionalString('database') ?? DEFAULT_DATABASE;
  const sslValue = c.getOptional('ssl');
  let ssl: ClusterSsl = false;
  if (sslValue === true) {
    ssl = { rejectUnauthorized: true };
  } else if (sslValue !== undefined && sslValue !== false) {
    const s = c.getConfig('ssl');
    ssl = {
      rejectUnauthorized: s.getOptionalBoolean('rejectUnauthorized') ?? true,
      ca: s.getOptionalString('ca'),
    };
  }
  return withHiddenPassword({ host, port, user, database, ssl }, password);
}

function readEntry(entry: Config, index: number): ClusterSettings {
  const name = entry.getString('name').trim();
  const where = `dbaas.clusters[${index}]${name ? ` ('${name}')` : ''}`;
  if (!name) {
    throw new InputError(`dbaas.clusters[${index}].name is empty`);
  }
  const environment = oneOf(
    entry.getString('environment'),
    ENVIRONMENTS,
    `${where}.environment`,
  );
  const provider = oneOf(
    entry.getString('provider'),
    PROVIDERS,
    `${where}.provider`,
  );
  const connection = readConnection(entry, where);

  const endpoint = entry.getOptionalConfig('publicEndpoint');
  if (!endpoint && connection.host.startsWith('/')) {
    throw new InputError(
      `${where}.publicEndpoint is required when the connection uses a Unix socket`,
    );
  }
  const publicEndpoint = endpoint
    ? {
        host: endpoint.getString('host'),
        port: checkPort(
          endpoint.getOptionalNumber('port') ?? DEFAULT_PORT,
          `${where}.publicEndpoint.port`,
        ),
      }
    : { host: connection.host, port: connection.port };

  const auroraConfig = entry.getOptionalConfig('aurora');
  // Config validation: which keys a provider requires is checked where the
  // entry is read, so a bad entry stops the start naming its key.
  if (provider === 'aurora' && !auroraConfig) {
    throw new InputError(
      `${where}.aurora (region, clusterIdentifier) is required with provider aurora`,
    );
  }
  const aurora = auroraConfig
    ? {
        region: auroraConfig.getString('region'),
        clusterIdentifier: auroraConfig.getString('clusterIdentifier'),
      }
    : undefined;

  const namespaces = entry.getOptionalStringArray('namespaces') ?? [];
  for (const namespace of namespaces) {
    // Reserved namespaces are the request checks' business; here only the shape.
    const problems = validateNamespace(namespace, { reservedNamespaces: [] });
    if (problems.length > 0) {
      throw new InputError(
        `${where}.namespaces: ${problems.map(p => p.message).join('; ')}`,
      );
    }
  }

  const capacity = entry.getOptionalNumber('capacity') ?? 1;
  if (!(capacity > 0)) {
    throw new InputError(`${where}.capacity must be a positive number`);
  }

  return {
    name,
    environment,
    provider,
    connection,
    publicEndpoint,
    aurora,
    namespaces,
    capacity,
  };
}

/**
 * Reads and checks `dbaas.clusters[]`. Every problem is an `InputError`
 * naming the entry and key; none ever quotes a password or a connection
 * string.
 *
 * @public
 */
export function readClusterConfigs(config: Config): ClusterSettings[] {
  const entries = config.getOptionalConfigArray('dbaas.clusters') ?? [];
  const clusters = entries.map(readEntry);
  const seen = new Map<string, number>();
  clusters.forEach((cluster, index) => {
    const first = seen.get(cluster.name);
    if (first !== undefined) {
      throw new InputError(
        `dbaas.clusters[${index}] uses the name '${cluster.name}' already used by dbaas.clusters[${first}]; cluster names must be unique`,
      );
    }
    seen.set(cluster.name, index);
  });
  return clusters;
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
  const { ssl } = connection;
  return {
    host: connection.host,
    port: connection.port,
    user: connection.user,
    password: connection.password,
    database: options.database ?? connection.database,
    ssl: ssl
      ? {
          rejectUnauthorized: ssl.rejectUnauthorized,
          ...(ssl.ca ? { ca: ssl.ca } : {}),
          ...(ssl.rejectUnauthorized && ssl.verifyHostname === false
            ? { checkServerIdentity: () => undefined }
            : {}),
        }
      : false,
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
