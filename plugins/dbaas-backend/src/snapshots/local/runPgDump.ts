import { Readable } from 'node:stream';
import { ClusterConnection } from '@dbaas/plugin-dbaas-node';
import { PgTool, runPgTool } from '../../pgTools';
import { WrittenArchive } from './archives/SnapshotArchiveStore';

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
 * `pg_dump --format=custom` of one database, its output streamed into
 * `write` (an archive store's write, which hashes it on the way, so it is
 * read only once). The stream handed to `write` ends only once pg_dump
 * has exited with 0, and errors when it failed, so a store never completes
 * an archive of a dump that stopped half-way (a killed pg_dump closes its
 * output like a finished one). Rejects with pg_dump's own message
 * (passwords removed) when it exits non-zero.
 */
export async function runPgDump(options: {
  tool: PgTool;
  connection: ClusterConnection;
  database: string;
  write: (dump: Readable) => Promise<WrittenArchive>;
  /**
   * A snapshot exported by a transaction that stays open until pg_dump
   * has exited (`pg_export_snapshot()`): the dump reads exactly what that
   * transaction sees.
   */
  snapshot?: string;
  /** @defaultValue `backstage-dbaas-snapshot` */
  applicationName?: string;
  signal?: AbortSignal;
}): Promise<DumpResult> {
  const { tool, connection, database, signal } = options;
  let written: WrittenArchive | undefined;
  await runPgTool({
    tool,
    args: [
      '--format=custom',
      '--no-password',
      `--lock-wait-timeout=${LOCK_WAIT_TIMEOUT}`,
      ...(options.snapshot ? [`--snapshot=${options.snapshot}`] : []),
    ],
    what: `pg_dump ${tool.version} of database '${database}'`,
    target: {
      connection,
      database,
      applicationName: options.applicationName ?? 'backstage-dbaas-snapshot',
    },
    readStdout: async (stdout, succeeded) => {
      written = await options.write(
        Readable.from(untilSuccess(stdout, succeeded), { objectMode: false }),
      );
    },
    signal,
  });
  return written!;
}

/** The tool's output, ending only when the tool succeeded. */
async function* untilSuccess(
  stdout: Readable,
  succeeded: Promise<void>,
): AsyncGenerator<Buffer> {
  for await (const chunk of stdout) {
    yield chunk as Buffer;
  }
  await succeeded;
}
