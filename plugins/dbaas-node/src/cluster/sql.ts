import { InputError } from '@backstage/errors';

/**
 * PostgreSQL keeps identifiers up to NAMEDATALEN - 1 bytes and silently
 * truncates longer ones (with only a NOTICE). A truncated role or database
 * name would point at a different object than the one we meant, so longer
 * names are refused instead.
 */
const MAX_IDENTIFIER_BYTES = 63;

/**
 * Quotes an identifier (database, role or schema name) for SQL: wrapped in
 * double quotes with inner double quotes doubled, so any name, including
 * `a"; DROP ...`, stays one identifier. Every identifier that goes into SQL
 * text passes through here; names are never concatenated raw.
 *
 * @public
 */
export function quoteIdent(name: string): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new InputError('An SQL identifier must be a non-empty string');
  }
  if (name.includes('\0')) {
    throw new InputError('An SQL identifier cannot contain a NUL character');
  }
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_IDENTIFIER_BYTES) {
    throw new InputError(
      `The SQL identifier '${name}' is ${bytes} bytes long; PostgreSQL would truncate it to ${MAX_IDENTIFIER_BYTES}`,
    );
  }
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Quotes a string literal for SQL, for the few statements that cannot take
 * bind parameters (utility statements such as `CREATE ROLE ... PASSWORD`).
 * Single quotes are doubled; a value with backslashes uses the `E''` form
 * with doubled backslashes, which reads the same whatever
 * `standard_conforming_strings` is set to.
 *
 * @public
 */
export function quoteLiteral(value: string): string {
  if (typeof value !== 'string') {
    throw new InputError('An SQL literal must be a string');
  }
  if (value.includes('\0')) {
    throw new InputError('An SQL literal cannot contain a NUL character');
  }
  const quoted = `'${value.replace(/'/g, "''")}'`;
  return value.includes('\\') ? `E${quoted.replace(/\\/g, '\\\\')}` : quoted;
}
