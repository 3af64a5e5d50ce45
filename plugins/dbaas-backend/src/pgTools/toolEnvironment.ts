/**
 * The only variables of the backend's environment a PostgreSQL client tool
 * (pg_dump, pg_restore, their `--version`) inherits. Everything else stays
 * behind: cloud credentials, tokens, the backend's secrets, and every
 * `PG*` variable (PGPASSWORD, PGSERVICE, PGHOST, ...), which could hand
 * the tool a password or point it at another server. What the tool needs
 * to connect is set by {@link libpqEnvironment}, from the cluster's
 * configuration only.
 *
 * Why each is here:
 * - `PATH`: the locator finds tools on it, and a tool found there may be a
 *   wrapper that runs the real binary by name (Debian's pg_wrapper,
 *   Homebrew or Nix shims).
 * - `LANG`, `LANGUAGE`, `LC_ALL`, `LC_CTYPE`, `LC_MESSAGES`: the tools'
 *   messages (which end up in snapshot errors and restore step logs) use
 *   the backend's language and character set, like its own log.
 * - `TZ`: times the tools print (`pg_restore --list` shows when a dump was
 *   made) are in the backend's time zone, like its own log.
 *
 * Left out on purpose:
 * - `HOME`: libpq would look there for `.pgpass`, `.pg_service.conf` and
 *   `.postgresql/root.crt`; the password file and root certificate are
 *   given explicitly instead, and libpq finds the home directory from the
 *   user database anyway when it needs it.
 * - `TMPDIR`: neither tool writes temporary files (pg_dump streams, and
 *   pg_restore reads the dump in place).
 */
export const INHERITED_VARIABLES: readonly string[] = [
  'PATH',
  'LANG',
  'LANGUAGE',
  'LC_ALL',
  'LC_CTYPE',
  'LC_MESSAGES',
  'TZ',
];

/** The allowed part of the backend's environment, for a child process. */
export function toolEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of INHERITED_VARIABLES) {
    const value = process.env[name];
    if (value !== undefined) {
      env[name] = value;
    }
  }
  return env;
}
