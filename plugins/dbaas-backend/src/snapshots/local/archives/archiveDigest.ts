import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InputError } from '@backstage/errors';
import { WrittenArchive } from './SnapshotArchiveStore';

/**
 * A pass-through that hashes and counts what flows through it, so an
 * archive is hashed while it is written, not read again afterwards.
 */
export function digestingTap(): {
  tap: Transform;
  result(): WrittenArchive;
} {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      sizeBytes += chunk.length;
      callback(null, chunk);
    },
  });
  return {
    tap,
    result: () => ({ sizeBytes, checksum: `sha256:${hash.digest('hex')}` }),
  };
}

/**
 * `source` passed through, failing at its end (before it ends) when its
 * bytes do not match what was recorded when the snapshot was taken. A
 * reader that consumed the whole stream without an error has read exactly
 * the recorded archive.
 */
export function verifiedArchive(
  source: Readable,
  expected: WrittenArchive,
  what: string,
): Readable {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const checked = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      sizeBytes += chunk.length;
      callback(null, chunk);
    },
    flush(callback) {
      const checksum = `sha256:${hash.digest('hex')}`;
      callback(archiveMismatch(what, { checksum, sizeBytes }, expected));
    },
  });
  source.once('error', error => checked.destroy(error));
  // Stopping the reader stops the download (or the file read).
  checked.once('close', () => source.destroy());
  return source.pipe(checked);
}

/**
 * The error for an archive that is not what its snapshot recorded;
 * undefined when it is. `what` names it, e.g. `The dump file of snapshot
 * <id> of <database>`.
 */
export function archiveMismatch(
  what: string,
  actual: { checksum?: string; sizeBytes: number },
  expected: WrittenArchive,
): InputError | undefined {
  if (
    actual.checksum === expected.checksum &&
    actual.sizeBytes === expected.sizeBytes
  ) {
    return undefined;
  }
  return new InputError(
    `${what} does not match what was recorded when it was taken (checksum ${
      actual.checksum ?? 'none'
    } instead of ${expected.checksum}, ${actual.sizeBytes} bytes instead of ${
      expected.sizeBytes
    }); it was changed or damaged and is not restored`,
  );
}

/** `sha256:<hex>` of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return `sha256:${hash.digest('hex')}`;
}
