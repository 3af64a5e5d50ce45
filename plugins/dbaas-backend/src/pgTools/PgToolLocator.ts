import { execFile } from 'node:child_process';
import { access, constants, readdir } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { InputError } from '@backstage/errors';
import { toolEnvironment } from './toolEnvironment';

const execFileAsync = promisify(execFile);

/** A PostgreSQL client program and its version. */
export interface PgTool {
  path: string;
  /** e.g. 15 */
  major: number;
  /** e.g. `15.8` */
  version: string;
}

export type PgToolName = 'pg_dump' | 'pg_restore';

/** The server a tool is meant for, for the version check. */
export interface PgToolServer {
  /** `server_version_num`, e.g. 150008 */
  versionNum: number;
  /** For messages, e.g. `cluster 'eu' (PostgreSQL 15.8)`. */
  description: string;
}

/** Where Debian/Ubuntu (PGDG) packages install each major version. */
const DEFAULT_SEARCH_ROOT = '/usr/lib/postgresql';

/** `pg_dump (PostgreSQL) 15.8 (Debian 15.8-1.pgdg120+1)` -> 15, `15.8`. */
export function parseToolVersion(
  output: string,
): { major: number; version: string } | undefined {
  const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(output);
  if (!match) {
    return undefined;
  }
  const major = Number(match[1]);
  return {
    major,
    version: match[2] === undefined ? `${major}` : `${major}.${match[2]}`,
  };
}

/** `server_version_num` (e.g. 150008) -> 15. */
export function serverMajor(serverVersionNum: number): number {
  return Math.floor(serverVersionNum / 10_000);
}

export interface PgToolLocatorOptions {
  /** A pinned bin directory: the only place looked at when set. */
  binDirectory?: string;
  /**
   * The configuration key that pins the directory, named in refusals, e.g.
   * `dbaas.snapshots.local.binDirectory`.
   */
  setting: string;
  /** Where one folder per major version lives. @defaultValue /usr/lib/postgresql */
  searchRoot?: string;
}

/**
 * Finds the `pg_dump` or `pg_restore` to use with a server. pg_dump
 * refuses servers newer than itself, and an archive written by a newer
 * pg_dump may be unreadable by an older pg_restore, so the choice is the
 * OLDEST installed version that is at least the server's major: dumps and
 * restores of one server then use the same version.
 *
 * Candidates: only `binDirectory` when configured (an operator pinning a
 * version means it); otherwise `<searchRoot>/<major>/bin` and the PATH. A
 * found tool's version is read once (with the same scrubbed environment
 * the tools always run with).
 */
export class PgToolLocator {
  readonly #binDirectory?: string;
  readonly #setting: string;
  readonly #searchRoot: string;
  readonly #versions = new Map<string, Promise<PgTool | undefined>>();

  constructor(options: PgToolLocatorOptions) {
    this.#binDirectory = options.binDirectory;
    this.#setting = options.setting;
    this.#searchRoot = options.searchRoot ?? DEFAULT_SEARCH_ROOT;
  }

  /**
   * The tool to use against a server; an InputError naming what was found
   * and what is needed when nothing is recent enough (a preflight check: a
   * too old pg_dump never starts).
   */
  async find(tool: PgToolName, server: PgToolServer): Promise<PgTool> {
    const found = await this.#probeAll(await this.#candidates(tool));
    const needed = serverMajor(server.versionNum);
    const usable = found
      .filter(t => t.major >= needed)
      .sort((a, b) => a.major - b.major);
    if (usable.length > 0) {
      return usable[0];
    }
    throw this.#tooOld(
      tool,
      server,
      found,
      this.#binDirectory
        ? `${this.#setting} (${this.#binDirectory})`
        : `${this.#searchRoot}/*/bin or the PATH`,
    );
  }

  /**
   * The tool in a directory chosen earlier (by {@link find}, for the later
   * steps of a restore), checked against `server` when given.
   */
  async at(
    directory: string,
    tool: PgToolName,
    server?: PgToolServer,
  ): Promise<PgTool> {
    const found = await this.#probeAll([join(directory, tool)]);
    if (
      found.length > 0 &&
      (!server || found[0].major >= serverMajor(server.versionNum))
    ) {
      return found[0];
    }
    if (!server) {
      throw new InputError(
        `No usable ${tool} in ${directory}; install the PostgreSQL client there or set ${
          this.#setting
        }`,
      );
    }
    throw this.#tooOld(tool, server, found, directory);
  }

  #tooOld(
    tool: PgToolName,
    server: PgToolServer,
    found: PgTool[],
    where: string,
  ): InputError {
    const needed = serverMajor(server.versionNum);
    const seen =
      found.length > 0
        ? found.map(t => `${t.version} at ${t.path}`).join(', ')
        : 'none';
    return new InputError(
      `${tool} ${needed} or newer is needed for ${
        server.description
      }; found in ${where}: ${seen}. A ${tool} older than the server cannot be used with it: install the PostgreSQL ${needed} client and set ${
        this.#setting
      } to its bin directory.`,
    );
  }

  async #candidates(tool: PgToolName): Promise<string[]> {
    if (this.#binDirectory) {
      return [join(this.#binDirectory, tool)];
    }
    const paths: string[] = [];
    try {
      for (const version of await readdir(this.#searchRoot)) {
        paths.push(join(this.#searchRoot, version, 'bin', tool));
      }
    } catch {
      // No PGDG layout on this machine; the PATH may still have one.
    }
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      if (dir) {
        paths.push(join(dir, tool));
      }
    }
    return [...new Set(paths)];
  }

  async #probeAll(paths: string[]): Promise<PgTool[]> {
    const tools = await Promise.all(paths.map(path => this.#probe(path)));
    return tools.filter((t): t is PgTool => t !== undefined);
  }

  #probe(path: string): Promise<PgTool | undefined> {
    let probe = this.#versions.get(path);
    if (!probe) {
      probe = (async () => {
        try {
          await access(path, constants.X_OK);
          const { stdout } = await execFileAsync(path, ['--version'], {
            env: toolEnvironment(),
            timeout: 10_000,
          });
          const parsed = parseToolVersion(stdout);
          return parsed ? { path, ...parsed } : undefined;
        } catch {
          return undefined;
        }
      })();
      this.#versions.set(path, probe);
      // Only found tools are remembered: one installed later is then seen.
      probe.then(tool => tool || this.#versions.delete(path));
    }
    return probe;
  }
}
