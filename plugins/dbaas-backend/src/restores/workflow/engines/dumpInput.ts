import { Readable, Writable } from 'node:stream';

/**
 * The custom-format dump pg_restore reads: a local file (seekable, so
 * pg_restore can restore in parallel), or a stream opened anew by each
 * step that reads it (a snapshot in object storage; pg_restore reads it
 * from stdin, one job, in order).
 */
export type DumpInput =
  | { file: string }
  | {
      /** For logs: where the stream comes from (an `s3://` URL). */
      location: string;
      open(signal?: AbortSignal): Promise<Readable>;
    };

/** pg_restore's arguments for reading `dump`: the file, or nothing (stdin). */
export function dumpArgs(dump: DumpInput): string[] {
  return 'file' in dump ? [dump.file] : [];
}

/**
 * Writes `source` into a tool's stdin. With `readToEnd`, the source is
 * read to its very end even after the tool stopped reading (pg_restore
 * need not read the last bytes of an archive), so the source's own check
 * at its end (the checksum) always runs; without it, reading stops when
 * the tool closes its stdin (`pg_restore --list` reads only the table of
 * contents) and the rest is never downloaded. Rejects with the source's
 * error.
 */
export async function feedStdin(
  source: Readable,
  stdin: Writable,
  options: { readToEnd: boolean },
): Promise<void> {
  let open = true;
  const closed = () => {
    open = false;
  };
  stdin.once('error', closed);
  stdin.once('close', closed);
  try {
    for await (const chunk of source) {
      if (open) {
        if (!stdin.write(chunk)) {
          await waitForDrain(stdin);
        }
      } else if (!options.readToEnd) {
        break;
      }
    }
    if (open) {
      stdin.end();
    }
  } catch (error) {
    // The tool must not take a broken stream's end for the archive's end.
    stdin.destroy();
    throw error;
  } finally {
    source.destroy();
  }
}

/** Until the tool reads again, or will never read again. */
function waitForDrain(stdin: Writable): Promise<void> {
  if (stdin.destroyed) {
    return Promise.resolve();
  }
  return new Promise(resolve => {
    const done = () => {
      stdin.off('drain', done);
      stdin.off('close', done);
      stdin.off('error', done);
      resolve();
    };
    stdin.on('drain', done);
    stdin.on('close', done);
    stdin.on('error', done);
  });
}
