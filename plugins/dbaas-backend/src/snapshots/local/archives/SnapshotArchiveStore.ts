import { Readable } from 'node:stream';

/** What a finished write stored. */
export interface WrittenArchive {
  sizeBytes: number;
  /** `sha256:<hex>` of the bytes, computed while they were written. */
  checksum: string;
}

/** What a store knows about an archive without reading it. */
export interface ArchiveFacts {
  sizeBytes: number;
  /**
   * `sha256:<hex>` kept with the archive where the store can (an object
   * tag); a directory keeps none (the snapshot's row has it).
   */
  checksum?: string;
}

/** One thing found under the store: an archive or an unfinished write. */
export interface ArchiveEntry {
  key: string;
  /** An unfinished write: a `.partial` file, a pending multipart upload. */
  partial: boolean;
  /** For logs: a path, an `s3://` URL. */
  location: string;
}

/**
 * Where logical snapshots (pg_dump archives) are kept: a local directory
 * or an S3-compatible bucket. Keys are `<cluster>/<database>/<id>.dump`
 * (see archiveKeys.ts); the store does not read them.
 *
 * Whatever the store, an archive is visible under its key only once it is
 * whole: a write whose source fails (pg_dump exited non-zero, the
 * connection to the bucket broke) leaves nothing listed as complete, and
 * what it had stored is removed, or at least listed as partial for the
 * cleanup to remove.
 */
export interface SnapshotArchiveStore {
  /** For messages: where `key` is kept (a path, an `s3://` URL). */
  locate(key: string): string;
  /**
   * Streams `source` into a new archive at `key`, hashing it on the way;
   * never replaces an existing one. Resolves once the archive is complete
   * and visible; rejects (and stores nothing complete) if `source` errors.
   */
  write(
    key: string,
    source: Readable,
    options?: { signal?: AbortSignal },
  ): Promise<WrittenArchive>;
  /** Size (and stored checksum) of a complete archive; undefined if absent. */
  stat(key: string): Promise<ArchiveFacts | undefined>;
  /** The archive's bytes from the start. NotFoundError if absent. */
  read(key: string, options?: { signal?: AbortSignal }): Promise<Readable>;
  /**
   * A local file holding the archive, for readers that need to seek (a
   * parallel pg_restore); undefined when the store keeps no local files.
   */
  localFile(key: string): string | undefined;
  /** Removes the archive and any unfinished write of it; absent is fine. */
  delete(key: string): Promise<void>;
  /** Removes only unfinished writes of `key`, never a complete archive. */
  discardPartial(key: string): Promise<void>;
  /** Every archive and unfinished write the store holds. */
  list(): Promise<ArchiveEntry[]>;
}
