import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { NotFoundError } from '@backstage/errors';
import { S3TestServer } from '../../__testUtils__/s3TestServer';
import { archiveKey } from './archiveKeys';
import { createS3Client, S3ArchiveSettings } from './S3ArchiveSettings';
import { S3ArchiveStore } from './S3ArchiveStore';

jest.setTimeout(60_000);

const MIB = 1024 * 1024;
const KEY = archiveKey('local', 'payments-ledger', randomId());

function randomId() {
  const hex = randomBytes(16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(
    13,
    16,
  )}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `size` random bytes in 64 KiB chunks, counting what was read. */
function source(size: number, failAt?: number) {
  const read = { bytes: 0 };
  async function* chunks() {
    while (read.bytes < size) {
      if (failAt !== undefined && read.bytes >= failAt) {
        throw new Error('pg_dump exited with code 1');
      }
      const chunk = randomBytes(Math.min(64 * 1024, size - read.bytes));
      read.bytes += chunk.length;
      yield chunk;
    }
  }
  return { stream: Readable.from(chunks(), { objectMode: false }), read };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

describe('S3ArchiveStore (s3rver)', () => {
  let s3: S3TestServer;

  beforeAll(async () => {
    s3 = await S3TestServer.start();
  });
  afterAll(() => s3?.close());
  afterEach(() => {
    s3.cutPartUploadsAfter(undefined);
    s3.refuseRequests(undefined);
  });

  function store(overrides: Partial<S3ArchiveSettings> = {}) {
    const settings = s3.settings(overrides);
    const client = createS3Client(settings);
    const objects = async () =>
      (
        await client.send(
          new ListObjectsV2Command({
            Bucket: settings.bucket,
            Prefix: settings.prefix,
          }),
        )
      ).Contents?.map(o => o.Key) ?? [];
    const uploads = async () =>
      (
        await client.send(
          new ListMultipartUploadsCommand({
            Bucket: settings.bucket,
            Prefix: settings.prefix,
          }),
        )
      ).Uploads?.map(u => u.Key) ?? [];
    return {
      settings,
      client,
      archives: new S3ArchiveStore({ client, settings }),
      objects,
      uploads,
    };
  }

  it('writes, describes, reads, lists and deletes an archive under its prefix', async () => {
    const { settings, client, archives, objects } = store();
    const { stream } = source(12 * MIB);
    const hash = createHash('sha256');
    stream.on('data', chunk => hash.update(chunk));

    const written = await archives.write(KEY, stream);

    expect(written).toEqual({
      sizeBytes: 12 * MIB,
      checksum: `sha256:${hash.digest('hex')}`,
    });
    expect(await archives.stat(KEY)).toEqual(written);
    const bytes = await readAll(await archives.read(KEY));
    expect(`sha256:${createHash('sha256').update(bytes).digest('hex')}`).toBe(
      written.checksum,
    );
    expect(archives.locate(KEY)).toBe(
      `s3://${settings.bucket}/${settings.prefix}${KEY}`,
    );
    expect(archives.localFile()).toBeUndefined();
    // Objects the suite did not write are none of its business.
    await client.send(
      new PutObjectCommand({
        Bucket: settings.bucket,
        Key: `${settings.prefix}local/payments-ledger/notes.txt`,
        Body: 'x',
      }),
    );
    expect(await archives.list()).toEqual([
      { key: KEY, partial: false, location: archives.locate(KEY) },
    ]);

    await archives.delete(KEY);
    await archives.delete(KEY);
    expect(await objects()).toEqual([
      `${settings.prefix}local/payments-ledger/notes.txt`,
    ]);
    expect(await archives.stat(KEY)).toBeUndefined();
    await expect(archives.read(KEY)).rejects.toThrow(NotFoundError);
  });

  it('never completes an upload whose source fails, and leaves no parts', async () => {
    const { archives, objects, uploads } = store();
    const before = s3.requests.length;
    const { stream } = source(20 * MIB, 7 * MIB);

    await expect(archives.write(KEY, stream)).rejects.toThrow(
      /^uploading s3:\/\/.* failed: pg_dump exited with code 1$/,
    );

    const requests = s3.requests.slice(before);
    expect(requests.some(r => /partNumber=1\b/.test(r.url))).toBe(true);
    expect(
      requests.filter(r => r.method === 'POST' && r.url.includes('uploadId=')),
    ).toEqual([]);
    expect(await objects()).toEqual([]);
    expect(await uploads()).toEqual([]);
  });

  it('fails at the first part lost for good instead of reading the whole dump', async () => {
    const { archives, objects, uploads } = store();
    // Only part 1 is lost; lib-storage's uploaders share one reader of the
    // source, which the failing one closes, so the others stop too.
    s3.cutPartUploadsAfter(256 * 1024, 1);
    const { stream, read } = source(200 * MIB);

    const error = await archives.write(KEY, stream).catch(e => e);

    expect(error.message).toMatch(
      /^uploading s3:\/\/.* failed: (a part upload failed: )?.*(socket hang up|ECONNRESET|EPIPE)/,
    );
    // At most the parts in flight and the stream's buffers were read.
    expect(read.bytes).toBeLessThan(60 * MIB);
    expect(await objects()).toEqual([]);
    expect(await uploads()).toEqual([]);
  });

  it('lists an upload whose abort failed as partial, for the cleanup to discard', async () => {
    const { archives, uploads } = store();
    s3.cutPartUploadsAfter(256 * 1024);
    // The bucket stops answering the aborts and upload listings too.
    s3.refuseRequests(
      r =>
        (r.method === 'DELETE' && r.url.includes('uploadId=')) ||
        (r.method === 'GET' && r.url.includes('uploads')),
    );
    await expect(archives.write(KEY, source(12 * MIB).stream)).rejects.toThrow(
      /^uploading s3:\/\/.* failed/,
    );
    s3.cutPartUploadsAfter(undefined);
    s3.refuseRequests(undefined);

    expect(await uploads()).toEqual([expect.stringMatching(KEY)]);
    expect(await archives.list()).toEqual([
      {
        key: KEY,
        partial: true,
        location: expect.stringMatching(
          new RegExp(`^${archives.locate(KEY)} \\(upload \\w+\\)$`),
        ),
      },
    ]);
    await archives.discardPartial(KEY);
    expect(await uploads()).toEqual([]);
    expect(await archives.list()).toEqual([]);
  });

  it('says which bucket it could not write to, and stops reading the dump', async () => {
    const { archives } = store({ bucket: 'no-such-bucket' });
    const { stream, read } = source(100 * MIB);

    await expect(archives.write(KEY, stream)).rejects.toThrow(
      /^uploading s3:\/\/no-such-bucket\/.* failed: .*bucket does not exist/,
    );
    expect(read.bytes).toBeLessThan(60 * MIB);
    expect(stream.destroyed).toBe(true);
  });
});
