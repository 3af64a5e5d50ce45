import { spawn } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
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
   * Consumes stdout (e.g. into a file or an upload); its failure stops the
   * tool. Without it, stdout is collected and returned. `succeeded`
   * resolves once the tool has exited with 0 and rejects when it failed:
   * a reader that must not keep a partial output (an upload that would
   * complete at the end of the stream) waits for it before it finishes.
   */
  readStdout?: (stdout: Readable, succeeded: Promise<void>) => Promise<void>;
  /**
   * Feeds stdin (e.g. a dump streamed into pg_restore); its failure stops
   * the tool. The tool may exit before it read everything (`pg_restore
   * --list` reads only the table of contents): writes after that fail with
   * EPIPE, which the writer handles. Without it, stdin is closed.
   */
  writeStdin?: (stdin: Writable) => Promise<void>;
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
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // EPIPE once the tool stopped reading is the writer's to handle (its
    // writes fail); as an unhandled 'error' event it would end the process.
    child.stdin.on('error', () => {});
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
    const succeeded = exited.then(({ code }) => {
      if (code !== 0) {
        throw new Error(`${what} failed`);
      }
    });
    // Only for readers that wait on it: never an unhandled rejection.
    succeeded.catch(() => {});
    // Set when a failing reader or writer stopped the tool: its failure is
    // then the cause, not the tool's exit code.
    let stoppedBy: unknown;
    const stopFor = (error: unknown) => {
      if (child.exitCode === null && child.signalCode === null) {
        stoppedBy ??= error;
        // Nobody reads or feeds the pipe any more: the tool would block.
        child.kill('SIGTERM');
      }
      throw error;
    };
    const stdout: Buffer[] = [];
    let consumed = Promise.resolve();
    if (run.readStdout) {
      consumed = run.readStdout(child.stdout, succeeded).catch(stopFor);
    } else {
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    }
    let fed = Promise.resolve();
    if (run.writeStdin) {
      fed = run.writeStdin(child.stdin).catch(stopFor);
    } else {
      child.stdin.end();
    }
    const [readOutcome, writeOutcome, exitOutcome] = await Promise.allSettled([
      consumed,
      fed,
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
    const { code, killedBy } = exitOutcome.value;
    const ioFailure = [readOutcome, writeOutcome].find(
      (o): o is PromiseRejectedResult => o.status === 'rejected',
    );
    // A tool that failed on its own (or was stopped by the signal, which
    // also stops readers and writers) says why in its stderr; a reader or
    // writer that failed and stopped it, or failed after it succeeded,
    // says why.
    if (
      ioFailure &&
      (code === 0 || (stoppedBy !== undefined && !signal?.aborted))
    ) {
      throw new Error(`${what}: ${clean(errorMessageLine(ioFailure.reason))}`);
    }
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
