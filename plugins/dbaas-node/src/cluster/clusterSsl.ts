import { readFileSync } from 'node:fs';
import { InputError } from '@backstage/errors';
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

/** Maps libpq's `sslmode` onto node-postgres' TLS options. */
export function sslFromMode(
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

export function readCertificate(path: string, where: string): string {
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
 * node-postgres' TLS options for `ssl`, always explicit (never left to
 * `PGSSLMODE` and friends in the environment).
 */
export function toPgSslOptions(ssl: ClusterSsl): ClientConfig['ssl'] {
  return ssl
    ? {
        rejectUnauthorized: ssl.rejectUnauthorized,
        ...(ssl.ca ? { ca: ssl.ca } : {}),
        ...(ssl.rejectUnauthorized && ssl.verifyHostname === false
          ? { checkServerIdentity: () => undefined }
          : {}),
      }
    : false;
}
