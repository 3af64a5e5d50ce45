import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { errorMessageLine, redactSecrets } from '@dbaas/plugin-dbaas-node';
import { libpqEnvironment, PgToolTarget } from './libpqEnvironment';
import { PgTool } from './PgToolLocator';
import { toolEnvironment } from './toolEnvironment';

/** One run of a PostgreSQL client tool. */
export interface PgToolRun {
  tool: PgTool;
  /** Never a password or a connection string: `ps` shows them to every user. */
  args: string[];
  /** What the tool does, for messages, e.g. `pg_restore into 'orders'`. */
  what: string;
  /**
   * The database it connects to, with the cluster's admin connection;
   * none for a tool that only reads files (`pg_restore --list`).
   */
  target?: PgToolTarget;
  /**
   * Consumes stdout (e.g. into a file); its failure stops the tool. Without
   * it, stdout is collected and returned.
   */
  readStdout?: (stdout: Readable) => Promise<void>;
  /** Stops the tool (SIGTERM) when aborted: lease lost, shutdown. */
  signal?: AbortSignal;
}

/** How much of a failing tool's stderr is kept for the error. */
const STDERR_LIMIT = 4_000;

/**
 * Runs a client tool the one way the plugin runs them: with the allowed
 * part of the backend's environment only, and, when it connects, the
 * cluster's connection settings in libpq variables and the password in a
 * temporary 0600 `.pgpass` that is removed when the tool has exited.
 * Resolves with the collected stdout (empty with `readStdout`); rejects
 * with the tool's exit code and the end of its stderr, the password
 * removed.
 */
export async function runPgTool(run: PgToolRun): Promise<string> {
  const { tool, args, what, target, signal } = run;
  const clean = (text: string) =>
    redactSecrets(text, [target?.connection.password])
      .trim()
      .replace(/\s*\n\s*/g, ' | ');
  if (signal?.aborted) {
    throw new Error(`${what} was not started: aborted`);
  }
  const libpq = target
    ? await libpqEnvironment(target, { toolMajor: tool.major })
    : undefined;
  try {
    const child = spawn(tool.path, args, {
      env: libpq?.env ?? toolEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_LIMIT);
    });
    const onAbort = () => child.kill('SIGTERM');
    signal?.addEventListener('abort', onAbort, { once: true });
    // 'close' comes after stdout and stderr have ended.
    const exited = new Promise<{
      code: number | null;
      killedBy: NodeJS.Signals | null;
    }>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, killedBy) => resolve({ code, killedBy }));
    });
    const stdout: Buffer[] = [];
    let consumed = Promise.resolve();
    if (run.readStdout) {
      consumed = run.readStdout(child.stdout).catch(error => {
        // Nobody reads the pipe any more: the tool would block on it.
        child.kill('SIGTERM');
        throw error;
      });
    } else {
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    }
    const [readOutcome, exitOutcome] = await Promise.allSettled([
      consumed,
      exited,
    ]);
    signal?.removeEventListener('abort', onAbort);

    if (exitOutcome.status === 'rejected') {
      throw new Error(
        `${what} could not start ${tool.path}: ${clean(
          errorMessageLine(exitOutcome.reason),
        )}`,
      );
    }
    if (readOutcome.status === 'rejected') {
      throw new Error(
        `${what}: ${clean(errorMessageLine(readOutcome.reason))}`,
      );
    }
    const { code, killedBy } = exitOutcome.value;
    if (code !== 0) {
      let how = `exited with code ${code}`;
      if (signal?.aborted) {
        how = 'was stopped (aborted)';
      } else if (killedBy) {
        how = `was stopped (killed by ${killedBy})`;
      }
      const detail = clean(stderr);
      throw new Error(`${what} ${how}${detail ? `: ${detail}` : ''}`);
    }
    return Buffer.concat(stdout).toString('utf8');
  } finally {
    await libpq?.dispose();
  }
}
