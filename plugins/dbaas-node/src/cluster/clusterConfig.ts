import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { validateNamespace } from '@dbaas/plugin-dbaas-common';
import { ClusterSsl } from './clusterSsl';
import {
  checkPort,
  ClusterConnection,
  DEFAULT_DATABASE,
  DEFAULT_PORT,
  withHiddenPassword,
} from './connectionConfig';
import { parseConnectionString } from './connectionString';

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
