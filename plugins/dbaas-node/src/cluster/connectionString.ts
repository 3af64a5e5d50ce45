import { InputError } from '@backstage/errors';
import { ClusterSsl, readCertificate, sslFromMode } from './clusterSsl';
import {
  checkPort,
  ClusterConnection,
  DEFAULT_DATABASE,
  DEFAULT_PORT,
  withHiddenPassword,
} from './connectionConfig';

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
