import { execFile } from 'node:child_process';
import { access, constants, readdir } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { InputError } from '@backstage/errors';

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

/**
 * Finds a `pg_dump` (or `pg_restore`) able to work with a given server.
 * pg_dump refuses servers newer than itself, and an archive written by a
 * newer pg_dump may be unreadable by an older pg_restore, so the choice is
 * the OLDEST installed version that is at least the server's major.
 *
 * Candidates: only `binDirectory` when configured (an operator pinning a
 * version means it); otherwise `/usr/lib/postgresql/<major>/bin` and the
 * PATH. A found tool's version is read once.
 */
export class PgToolLocator {
  readonly #binDirectory?: string;
  readonly #searchRoot: string;
  readonly #versions = new Map<string, Promise<PgTool | undefined>>();

  constructor(options: { binDirectory?: string; searchRoot?: string } = {}) {
    this.#binDirectory = options.binDirectory;
    this.#searchRoot = options.searchRoot ?? DEFAULT_SEARCH_ROOT;
  }

  /**
   * The tool to use against a server; InputError naming what was found and
   * what is needed when nothing is recent enough (a preflight check: a too
   * old pg_dump never starts).
   */
  async find(
    tool: PgToolName,
    serverVersionNum: number,
    serverDescription: string,
  ): Promise<PgTool> {
    const needed = serverMajor(serverVersionNum);
    const found = (
      await Promise.all((await this.#candidates(tool)).map(p => this.#probe(p)))
    ).filter((t): t is PgTool => t !== undefined);
    const usable = found
      .filter(t => t.major >= needed)
      .sort((a, b) => a.major - b.major);
    if (usable.length > 0) {
      return usable[0];
    }
    const where = this.#binDirectory
      ? `dbaas.snapshots.local.binDirectory (${this.#binDirectory})`
      : `${this.#searchRoot}/*/bin or the PATH`;
    const seen =
      found.length > 0
        ? found.map(t => `${t.version} at ${t.path}`).join(', ')
        : 'none';
    throw new InputError(
      `${tool} ${needed} or newer is needed for ${serverDescription} (PostgreSQL ${needed}); found in ${where}: ${seen}. An older ${tool} cannot handle a newer server: install the PostgreSQL ${needed} client and set dbaas.snapshots.local.binDirectory to its bin directory.`,
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

  #probe(path: string): Promise<PgTool | undefined> {
    let probe = this.#versions.get(path);
    if (!probe) {
      probe = (async () => {
        try {
          await access(path, constants.X_OK);
          const { stdout } = await execFileAsync(path, ['--version'], {
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
