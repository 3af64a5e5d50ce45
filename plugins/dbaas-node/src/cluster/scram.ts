import {
  createHash,
  createHmac,
  pbkdf2Sync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { InputError } from '@backstage/errors';

/** The iteration count PostgreSQL itself uses (`scram_iterations` default). */
const DEFAULT_ITERATIONS = 4096;
/** PostgreSQL generates 16-byte salts (SCRAM_DEFAULT_SALT_LEN). */
const SALT_BYTES = 16;
/**
 * Printable ASCII. For these characters SASLprep, which both the server and
 * libpq apply to passwords, changes nothing, so a verifier computed here
 * matches what any client computes. Other characters would need a full
 * SASLprep implementation, and our own passwords never contain them.
 */
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/** @public */
export interface ScramVerifierOptions {
  /** Random 16 bytes when not given; fixed only in tests. */
  salt?: Buffer;
  /** Defaults to 4096, as PostgreSQL does. */
  iterations?: number;
}

function hmac(key: Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

/**
 * Computes the SCRAM-SHA-256 verifier PostgreSQL stores for a password
 * (RFC 5802/7677), in the `pg_authid.rolpassword` format:
 * `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`.
 *
 * `CREATE ROLE ... PASSWORD '<verifier>'` stores it as is, so the cleartext
 * password never travels to the server and cannot end up in its log
 * (`log_statement`, error context) or in `pg_stat_statements`.
 *
 * @public
 */
export function scramSha256Verifier(
  password: string,
  options: ScramVerifierOptions = {},
): string {
  if (typeof password !== 'string' || !PRINTABLE_ASCII.test(password)) {
    // Never echo the password itself.
    throw new InputError(
      'A database password must be non-empty printable ASCII',
    );
  }
  const iterations = options.iterations ?? DEFAULT_ITERATIONS;
  if (!Number.isInteger(iterations) || iterations < 1) {
    throw new InputError(
      `SCRAM iterations must be a positive integer, not ${iterations}`,
    );
  }
  const salt = options.salt ?? randomBytes(SALT_BYTES);
  if (salt.length === 0) {
    throw new InputError('A SCRAM salt cannot be empty');
  }

  const saltedPassword = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = hmac(saltedPassword, 'Client Key');
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = hmac(saltedPassword, 'Server Key');
  return `SCRAM-SHA-256$${iterations}:${salt.toString(
    'base64',
  )}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

const VERIFIER =
  /^SCRAM-SHA-256\$(\d+):([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/;

/**
 * Whether a stored verifier (`pg_authid.rolpassword`) was made from this
 * password: recomputes it with the stored salt and iteration count. Lets
 * the provisioner notice a role whose password no longer matches its
 * secret without ever logging in. False for anything that is not a
 * SCRAM-SHA-256 verifier (MD5 hashes, NULL).
 *
 * @public
 */
export function scramVerifierMatches(
  verifier: string | null | undefined,
  password: string,
): boolean {
  const match = verifier ? VERIFIER.exec(verifier) : null;
  if (!match || !PRINTABLE_ASCII.test(password)) {
    return false;
  }
  const [, iterations, salt] = match;
  const expected = Buffer.from(
    scramSha256Verifier(password, {
      salt: Buffer.from(salt, 'base64'),
      iterations: Number(iterations),
    }),
  );
  const actual = Buffer.from(verifier!);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * A new random password: 32 random bytes as base64url (43 characters,
 * `A-Z a-z 0-9 - _`), safe in URLs, connection strings, shell snippets and
 * Kubernetes secrets without escaping.
 *
 * @public
 */
export function generatePassword(): string {
  return randomBytes(32).toString('base64url');
}
