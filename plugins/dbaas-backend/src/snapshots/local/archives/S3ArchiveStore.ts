import { Readable, pipeline } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  paginateListObjectsV2,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ForwardedError, NotFoundError } from '@backstage/errors';
import { errorMessageLine } from '@dbaas/plugin-dbaas-node';
import { parseArchiveKey } from './archiveKeys';
import { digestingTap } from './archiveDigest';
import { S3ArchiveSettings } from './S3ArchiveSettings';
import {
  ArchiveEntry,
  ArchiveFacts,
  SnapshotArchiveStore,
  WrittenArchive,
} from './SnapshotArchiveStore';

/**
 * The object tag holding an archive's sha256 (hex). A tag, not `x-amz-meta`
 * metadata: metadata is fixed when the upload starts, before the hash of a
 * streamed dump is known, and only tags can be added afterwards without
 * copying the object.
 */
export const SHA256_TAG = 'sha256';

/** Parts uploaded at once: memory in use is about this times the part size. */
const QUEUE_SIZE = 4;

/**
 * Archives as objects in an S3-compatible bucket (`dbaas.snapshots.local.s3`):
 * `<prefix><key>`. pg_dump's output is streamed into a multipart upload
 * (never a whole local copy); S3 shows an object only once the upload is
 * complete, and a failed upload is aborted, so no partial object is ever
 * listed. An upload whose abort failed too (the bucket unreachable) stays
 * pending until the snapshot cleanup aborts it (`list` shows it as
 * partial); a lifecycle rule that aborts incomplete uploads is the last net.
 */
export class S3ArchiveStore implements SnapshotArchiveStore {
  readonly #client: S3Client;
  readonly #settings: S3ArchiveSettings;

  constructor(options: { client: S3Client; settings: S3ArchiveSettings }) {
    this.#client = options.client;
    this.#settings = options.settings;
  }

  locate(key: string): string {
    return `s3://${this.#settings.bucket}/${this.#objectKey(key)}`;
  }

  localFile(): undefined {
    return undefined;
  }

  async write(
    key: string,
    source: Readable,
    options: { signal?: AbortSignal } = {},
  ): Promise<WrittenArchive> {
    const { bucket, serverSideEncryption, kmsKeyId, partSizeBytes } =
      this.#settings;
    const Key = this.#objectKey(key);
    const digest = digestingTap();
    // An error of the source (pg_dump failed) becomes the body's error,
    // which fails the upload before it is completed.
    const body = pipeline(source, digest.tap, () => {});
    const upload = new Upload({
      client: this.#client,
      params: {
        Bucket: bucket,
        Key,
        Body: body,
        ContentType: 'application/octet-stream',
        ...(serverSideEncryption
          ? { ServerSideEncryption: serverSideEncryption }
          : {}),
        ...(kmsKeyId ? { SSEKMSKeyId: kmsKeyId } : {}),
      },
      partSize: partSizeBytes,
      queueSize: QUEUE_SIZE,
      // Parts of a failed upload are deleted (AbortMultipartUpload).
      leavePartsOnError: false,
    });
    const onAbort = () => void upload.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await upload.done();
    } catch (error) {
      body.destroy();
      // lib-storage aborts the multipart upload itself; when that abort
      // failed too, this is the second try (the cleanup is the third).
      await this.discardPartial(key).catch(() => {});
      throw new Error(
        `uploading ${this.locate(key)} failed: ${errorMessageLine(error)}`,
      );
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
    const written = digest.result();
    try {
      await this.#client.send(
        new PutObjectTaggingCommand({
          Bucket: bucket,
          Key,
          Tagging: {
            TagSet: [{ Key: SHA256_TAG, Value: hexOf(written.checksum) }],
          },
        }),
      );
    } catch (error) {
      await this.#deleteObject(Key).catch(() => {});
      throw new ForwardedError(
        `tagging ${this.locate(
          key,
        )} with its sha256 failed; the object was deleted`,
        error,
      );
    }
    return written;
  }

  async stat(key: string): Promise<ArchiveFacts | undefined> {
    const { bucket } = this.#settings;
    const Key = this.#objectKey(key);
    try {
      const head = await this.#client.send(
        new HeadObjectCommand({ Bucket: bucket, Key }),
      );
      const tags = await this.#client.send(
        new GetObjectTaggingCommand({ Bucket: bucket, Key }),
      );
      const sha256 = tags.TagSet?.find(t => t.Key === SHA256_TAG)?.Value;
      return {
        sizeBytes: head.ContentLength ?? 0,
        ...(sha256 ? { checksum: `sha256:${sha256}` } : {}),
      };
    } catch (error) {
      if (isNotFound(error)) {
        return undefined;
      }
      throw new ForwardedError(`Cannot read ${this.locate(key)}`, error);
    }
  }

  async read(
    key: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<Readable> {
    try {
      const object = await this.#client.send(
        new GetObjectCommand({
          Bucket: this.#settings.bucket,
          Key: this.#objectKey(key),
        }),
        { abortSignal: options.signal },
      );
      // In Node.js the body is the response stream itself.
      return object.Body as Readable;
    } catch (error) {
      if (isNotFound(error)) {
        throw new NotFoundError(`${this.locate(key)} is missing`);
      }
      throw new ForwardedError(`Cannot read ${this.locate(key)}`, error);
    }
  }

  async delete(key: string): Promise<void> {
    await this.#deleteObject(this.#objectKey(key));
    await this.discardPartial(key);
  }

  async discardPartial(key: string): Promise<void> {
    const Key = this.#objectKey(key);
    for (const upload of await this.#pendingUploads(Key)) {
      if (upload.key === Key) {
        await this.#abortUpload(upload.key, upload.uploadId);
      }
    }
  }

  async list(): Promise<ArchiveEntry[]> {
    const { bucket, prefix } = this.#settings;
    const entries: ArchiveEntry[] = [];
    const add = (objectKey: string, partial: boolean, location: string) => {
      const key = objectKey.slice(prefix.length);
      // Objects we did not write are none of our business.
      if (objectKey.startsWith(prefix) && parseArchiveKey(key)) {
        entries.push({ key, partial, location });
      }
    };
    try {
      for await (const page of paginateListObjectsV2(
        { client: this.#client },
        { Bucket: bucket, Prefix: prefix },
      )) {
        for (const object of page.Contents ?? []) {
          if (object.Key) {
            add(object.Key, false, `s3://${bucket}/${object.Key}`);
          }
        }
      }
    } catch (error) {
      throw new ForwardedError(`Cannot list s3://${bucket}/${prefix}`, error);
    }
    for (const upload of await this.#pendingUploads(prefix)) {
      add(
        upload.key,
        true,
        `s3://${bucket}/${upload.key} (upload ${upload.uploadId})`,
      );
    }
    return entries;
  }

  /** Multipart uploads started under `prefix` and neither completed nor aborted. */
  async #pendingUploads(
    prefix: string,
  ): Promise<Array<{ key: string; uploadId: string }>> {
    const { bucket } = this.#settings;
    const uploads: Array<{ key: string; uploadId: string }> = [];
    let KeyMarker: string | undefined;
    let UploadIdMarker: string | undefined;
    try {
      for (;;) {
        const page = await this.#client.send(
          new ListMultipartUploadsCommand({
            Bucket: bucket,
            Prefix: prefix,
            KeyMarker,
            UploadIdMarker,
          }),
        );
        for (const upload of page.Uploads ?? []) {
          if (upload.Key && upload.UploadId) {
            uploads.push({ key: upload.Key, uploadId: upload.UploadId });
          }
        }
        if (!page.IsTruncated) {
          return uploads;
        }
        KeyMarker = page.NextKeyMarker;
        UploadIdMarker = page.NextUploadIdMarker;
      }
    } catch (error) {
      throw new ForwardedError(
        `Cannot list the unfinished uploads of s3://${bucket}/${prefix}`,
        error,
      );
    }
  }

  async #abortUpload(Key: string, UploadId: string): Promise<void> {
    const { bucket } = this.#settings;
    try {
      await this.#client.send(
        new AbortMultipartUploadCommand({ Bucket: bucket, Key, UploadId }),
      );
    } catch (error) {
      if (!isNotFound(error)) {
        throw new ForwardedError(
          `Cannot abort upload ${UploadId} of s3://${bucket}/${Key}`,
          error,
        );
      }
    }
  }

  async #deleteObject(Key: string): Promise<void> {
    const { bucket } = this.#settings;
    try {
      await this.#client.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
    } catch (error) {
      if (!isNotFound(error)) {
        throw new ForwardedError(`Cannot delete s3://${bucket}/${Key}`, error);
      }
    }
  }

  #objectKey(key: string): string {
    return `${this.#settings.prefix}${key}`;
  }
}

function hexOf(checksum: string): string {
  return checksum.replace(/^sha256:/, '');
}

/** S3 says 404 as NoSuchKey, NotFound (HEAD) or NoSuchUpload. */
function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    e?.name === 'NoSuchKey' ||
    e?.name === 'NotFound' ||
    e?.name === 'NoSuchUpload' ||
    e?.$metadata?.httpStatusCode === 404
  );
}
