import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '@backstage/errors';
import { ClusterConnection } from '@dbaas/plugin-dbaas-node';
import { toolEnvironment } from './toolEnvironment';

/** Where distributions keep the system CA bundle (libpq < 16 has no `system`). */
const SYSTEM_CA_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/cert.pem',
];

/** Where and as whom a client tool connects. */
export interface PgToolTarget {
  connection: ClusterConnection;
  database: string;
  /** Shown in `pg_stat_activity.application_name`. */
  applicationName: string;
}

/** The environment a libpq program runs with, and how to clean it up. */
export interface LibpqEnvironment {
  env: NodeJS.ProcessEnv;
  /** Removes the temporary password file and CA file. */
  dispose(): Promise<void>;
}

/** `.pgpass` fields escape `\` and `:` with a backslash. */
function pgpassEscape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
}

/**
 * The environment for a libpq client program (pg_dump, pg_restore) to use
 * a cluster's admin connection: the allowed part of the backend's
 * environment ({@link toolEnvironment}), the password in a private
 * temporary `.pgpass` (mode 0600; never PGPASSWORD, which other processes
 * of the same user can read in /proc, and never the command line, which
 * `ps` shows to every user), and TLS settings mapped onto
 * `sslmode`/`sslrootcert` as the `pg` driver applies them.
 */
export async function libpqEnvironment(
  target: PgToolTarget,
  options: { toolMajor: number },
): Promise<LibpqEnvironment> {
  const { connection } = target;
  const dir = await mkdtemp(join(tmpdir(), 'dbaas-libpq-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    const env: NodeJS.ProcessEnv = {
      ...toolEnvironment(),
      PGHOST: connection.host,
      PGPORT: String(connection.port),
      PGUSER: connection.user,
      PGDATABASE: target.database,
      PGCONNECT_TIMEOUT: '10',
      PGAPPNAME: target.applicationName,
    };
    // Without a password libpq would try ~/.pgpass; an empty file keeps it
    // from reading anything else.
    const passFile = join(dir, 'pgpass');
    await writeFile(
      passFile,
      connection.password
        ? `*:*:*:*:${pgpassEscape(connection.password)}\n`
        : '',
      { mode: 0o600 },
    );
    env.PGPASSFILE = passFile;

    const { ssl } = connection;
    if (ssl === false) {
      env.PGSSLMODE = 'disable';
    } else if (!ssl.rejectUnauthorized) {
      env.PGSSLMODE = 'require';
      // libpq verifies `require` connections when a root certificate file
      // exists (~/.postgresql/root.crt); point it at one that cannot exist.
      env.PGSSLROOTCERT = join(dir, 'no-root-certificate');
    } else {
      env.PGSSLMODE =
        ssl.verifyHostname === false ? 'verify-ca' : 'verify-full';
      if (ssl.ca) {
        const caFile = join(dir, 'root.crt');
        await writeFile(caFile, ssl.ca, { mode: 0o600 });
        env.PGSSLROOTCERT = caFile;
      } else if (options.toolMajor >= 16) {
        env.PGSSLROOTCERT = 'system';
      } else {
        const bundle = SYSTEM_CA_BUNDLES.find(path => existsSync(path));
        if (!bundle) {
          throw new InputError(
            `The connection verifies the server certificate against the system CAs, but no CA bundle was found (${SYSTEM_CA_BUNDLES.join(
              ', ',
            )}); give the cluster connection a CA (sslrootcert)`,
          );
        }
        env.PGSSLROOTCERT = bundle;
      }
    }
    return { env, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
