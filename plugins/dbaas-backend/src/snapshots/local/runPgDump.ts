import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ClusterConnection, redactSecrets } from '@dbaas/plugin-dbaas-node';
import { libpqEnvironment } from './libpqEnvironment';
import { PgTool } from './PgToolLocator';

/** What a finished dump wrote. */
export interface DumpResult {
  sizeBytes: number;
  /** `sha256:<hex>` */
  checksum: string;
}

/** pg_dump's stderr kept for the error message (its last lines matter). */
const STDERR_LIMIT = 4_000;

/**
 * Waiting longer than this for a lock (e.g. behind a long ALTER TABLE)
 * fails the dump instead of hanging the scheduled cycle.
 */
const LOCK_WAIT_TIMEOUT = '300000';

/**
 * `pg_dump --format=custom` of one database into `outputPath` (created,
 * never overwritten), hashing the bytes as they are written so the file is
 * read only once. Rejects with pg_dump's own message (passwords removed)
 * when it exits non-zero; the partial file is the caller's to remove.
 */
export async function runPgDump(options: {
  tool: PgTool;
  connection: ClusterConnection;
  database: string;
  outputPath: string;
  signal?: AbortSignal;
}): Promise<DumpResult> {
  const { tool, connection, database, outputPath, signal } = options;
  const libpq = await libpqEnvironment(connection, database, {
    toolMajor: tool.major,
  });
  try {
    const child = spawn(
      tool.path,
      [
        '--format=custom',
        '--no-password',
        `--lock-wait-timeout=${LOCK_WAIT_TIMEOUT}`,
      ],
      { env: libpq.env, stdio: ['ignore', 'pipe', 'pipe'], signal },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_LIMIT);
    });
    const exited = new Promise<{
      code: number | null;
      signal: NodeJS.Signals | null;
    }>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, killedBy) =>
        resolve({ code, signal: killedBy }),
      );
    });

    const hash = createHash('sha256');
    let sizeBytes = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        sizeBytes += chunk.length;
        callback(null, chunk);
      },
    });
    const written = pipeline(
      child.stdout,
      tap,
      createWriteStream(outputPath, { flags: 'wx', mode: 0o600 }),
    );

    const [writeOutcome, exitOutcome] = await Promise.allSettled([
      written,
      exited,
    ]);
    const describe = `pg_dump ${tool.version} of database '${database}'`;
    const clean = (text: string) =>
      redactSecrets(text, [connection.password]).trim();
    if (exitOutcome.status === 'rejected') {
      throw new Error(
        `${describe} did not run: ${clean(String(exitOutcome.reason))}`,
      );
    }
    if (writeOutcome.status === 'rejected') {
      throw new Error(
        `${describe}: writing ${outputPath} failed: ${clean(
          String(writeOutcome.reason),
        )}`,
      );
    }
    const { code, signal: killedBy } = exitOutcome.value;
    if (code !== 0) {
      const how = killedBy ? `killed by ${killedBy}` : `exit code ${code}`;
      throw new Error(
        `${describe} failed (${how}): ${clean(stderr) || 'no message'}`,
      );
    }
    return { sizeBytes, checksum: `sha256:${hash.digest('hex')}` };
  } finally {
    await libpq.dispose();
  }
}
