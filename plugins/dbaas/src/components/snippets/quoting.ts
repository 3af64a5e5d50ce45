/**
 * Quoting for the languages snippets are written in. Names of databases and
 * roles are plain (`[a-z0-9-]`), but hosts, paths and commands come from
 * configuration, so every value is quoted as the language needs.
 */

const PLAIN_CONNINFO_VALUE = /^[^\s'\\]+$/;

/** A value of a libpq keyword/value connection string (`host=... port=...`). */
export function conninfoValue(value: string | number): string {
  const text = String(value);
  if (PLAIN_CONNINFO_VALUE.test(text)) {
    return text;
  }
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A libpq keyword/value connection string. */
export function conninfo(
  entries: ReadonlyArray<readonly [string, string | number | undefined]>,
): string {
  return entries
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${conninfoValue(value!)}`)
    .join(' ');
}

const SAFE_IN_DOUBLE_QUOTES = /^[^"$`\\!]*$/;

/** One argument of a POSIX shell command line. */
export function shellArgument(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) {
    return value;
  }
  if (SAFE_IN_DOUBLE_QUOTES.test(value)) {
    return `"${value}"`;
  }
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

const PLAIN_YAML_SCALAR = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

/** A YAML scalar: plain when it cannot be misread, else double-quoted. */
export function yamlScalar(value: string): string {
  if (
    PLAIN_YAML_SCALAR.test(value) &&
    !/^(true|false|yes|no|on|off|null|~|[-+]?[0-9][0-9._]*)$/i.test(value)
  ) {
    return value;
  }
  return JSON.stringify(value);
}

/** A single-quoted JavaScript string literal. */
export function javascriptString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * A double-quoted string literal for Java, JavaScript, Python, Go and C#:
 * JSON's escapes mean the same in all of them.
 */
export function stringLiteral(value: string): string {
  return JSON.stringify(value);
}
