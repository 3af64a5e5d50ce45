import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ClusterConnection, errorMessageLine } from '@dbaas/plugin-dbaas-node';
import { PgTool, runPgTool } from '../../pgTools';

/** What a finished dump wrote. */
export interface DumpResult {
  sizeBytes: number;
  /** `sha256:<hex>` */
  checksum: string;
}

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
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      sizeBytes += chunk.length;
      callback(null, chunk);
    },
  });
  await runPgTool({
    tool,
    args: [
      '--format=custom',
      '--no-password',
      `--lock-wait-timeout=${LOCK_WAIT_TIMEOUT}`,
    ],
    what: `pg_dump ${tool.version} of database '${database}'`,
    target: {
      connection,
      database,
      applicationName: 'backstage-dbaas-snapshot',
    },
    readStdout: stdout =>
      pipeline(
        stdout,
        tap,
        createWriteStream(outputPath, { flags: 'wx', mode: 0o600 }),
      ).catch(error => {
        throw new Error(
          `writing ${outputPath} failed: ${errorMessageLine(error)}`,
        );
      }),
    signal,
  });
  return { sizeBytes, checksum: `sha256:${hash.digest('hex')}` };
}
