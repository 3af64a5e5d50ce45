import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ForwardedError, InputError } from '@backstage/errors';
import { ClusterConnection, redactSecrets } from '@dbaas/plugin-dbaas-node';

export type PostgresTool = 'pg_dump' | 'pg_restore';

/** Reads the major version of a client tool (`pg_restore --version`). */
export type ToolVersionReader = (binaryPath: string) => Promise<number>;

/** Where Debian/Ubuntu install one folder per PostgreSQL major version. */
const DEBIAN_BIN_ROOT = '/usr/lib/postgresql';

/** How much of a failing tool's stderr is kept for the error. */
const STDERR_TAIL_BYTES = 4000;

export const readToolVersion: ToolVersionReader = async binaryPath => {
  const output = await runTool({ binary: binaryPath, args: ['--version'] });
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(output);
  if (!match) {
    throw new InputError(
      `Cannot tell the version of ${binaryPath} from '${output.trim()}'`,
    );
  }
  return Number(match[1]);
};

/**
 * Candidate bin folders, newest major first: the configured one alone, or
 * every /usr/lib/postgresql/<major>/bin. Newer pg_dump/pg_restore read and
 * write older servers, so the newest one is the best default.
 */
export async function candidateBinDirectories(
  configured?: string,
): Promise<string[]> {
  if (configured) {
    return [configured];
  }
  const majors = await readdir(DEBIAN_BIN_ROOT).catch(() => [] as string[]);
  return majors
    .filter(entry => /^\d+$/.test(entry))
    .sort((a, b) => Number(b) - Number(a))
    .map(major => join(DEBIAN_BIN_ROOT, major, 'bin'));
}

/**
 * Picks the bin folder whose `tool` is at least `serverMajor`, refusing
 * with a message that says which versions were found.
 */
export async function chooseBinDirectory(options: {
  tool: PostgresTool;
  serverMajor: number;
  configured?: string;
  readVersion: ToolVersionReader;
}): Promise<{ binDirectory: string; toolMajor: number }> {
  const { tool, serverMajor, readVersion } = options;
  const found: string[] = [];
  for (const dir of await candidateBinDirectories(options.configured)) {
    let major: number;
    try {
      major = await readVersion(join(dir, tool));
    } catch {
      continue;
    }
    found.push(`${join(dir, tool)} is ${major}`);
    if (major >= serverMajor) {
      return { binDirectory: dir, toolMajor: major };
    }
  }
  throw new InputError(
    `${tool} must be at least as new as the server (PostgreSQL ${serverMajor}): ${
      found.length > 0 ? found.join(', ') : 'no usable binary found'
    }; install a newer client or set dbaas.restore.binDirectory`,
  );
}

/** libpq's sslmode for a connection's TLS settings. */
function sslMode(connection: ClusterConnection): string {
  const { ssl } = connection;
  if (!ssl) {
    return 'disable';
  }
  if (!ssl.rejectUnauthorized) {
    return 'require';
  }
  return ssl.verifyHostname === false ? 'verify-ca' : 'verify-full';
}

/**
 * The environment a libpq tool connects with. The password travels in
 * PGPASSWORD (never on a command line, which any user can read in `ps`);
 * inherited PG* variables are removed so they cannot redirect the tool.
 */
export async function libpqEnvironment(
  connection: ClusterConnection,
  workDirectory: string,
): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('PG')) {
      env[key] = value;
    }
  }
  env.PGHOST = connection.host;
  env.PGPORT = String(connection.port);
  env.PGUSER = connection.user;
  env.PGSSLMODE = sslMode(connection);
  env.PGCONNECT_TIMEOUT = '10';
  env.PGAPPNAME = 'backstage-dbaas-restore';
  if (connection.password !== undefined) {
    env.PGPASSWORD = connection.password;
  }
  if (connection.ssl && connection.ssl.ca) {
    // libpq reads the root certificate from a file only.
    const ca = connection.ssl.ca;
    const file = join(
      workDirectory,
      `ca-${createHash('sha256').update(ca).digest('hex').slice(0, 16)}.pem`,
    );
    await mkdir(workDirectory, { recursive: true });
    await writeFile(file, ca, { mode: 0o600 });
    env.PGSSLROOTCERT = file;
  }
  return env;
}

export interface RunToolOptions {
  binary: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Kills the tool when aborted (lease lost, shutdown). */
  signal?: AbortSignal;
  /** Removed from any error message (the password, at least). */
  secrets?: Array<string | undefined>;
  /** What the tool was doing, for the error message. */
  what?: string;
}

/**
 * Runs a client tool; resolves with its stdout, or rejects with its exit
 * code and the end of its stderr (secrets removed).
 */
export function runTool(options: RunToolOptions): Promise<string> {
  const { binary, args, env, signal, secrets = [] } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error(`${options.what ?? binary}: aborted before it started`));
      return;
    }
    const child = spawn(binary, args, {
      env: env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', chunk => stdout.push(chunk));
    child.stderr.on('data', chunk => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    });
    const onAbort = () => child.kill('SIGTERM');
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', error => {
      signal?.removeEventListener('abort', onAbort);
      reject(new ForwardedError(`Could not start ${binary}`, error as Error));
    });
    child.on('close', (code, killedBy) => {
      signal?.removeEventListener('abort', onAbort);
      if (code === 0) {
        resolve(Buffer.concat(stdout).toString('utf8'));
        return;
      }
      let how = `exited with code ${code}`;
      if (signal?.aborted) {
        how = 'was stopped (the restore was aborted)';
      } else if (killedBy) {
        how = `was stopped (${killedBy})`;
      }
      const detail = redactSecrets(stderr.trim(), secrets).replace(
        /\s*\n\s*/g,
        ' | ',
      );
      reject(
        new Error(
          `${options.what ?? binary} ${how}${detail ? `: ${detail}` : ''}`,
        ),
      );
    });
  });
}
