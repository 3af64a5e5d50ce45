import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer, IncomingHttpHeaders, request, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import S3rver from 's3rver';
import { S3ArchiveSettings } from '../local/archives/S3ArchiveSettings';

/** One request as it went through the proxy to s3rver. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** Set when the proxy cut the request's connection. */
  cut?: boolean;
  /** Set when the proxy answered 503 itself. */
  refused?: boolean;
}

/**
 * s3rver (a real S3-speaking server, in process, on a free port, in a
 * temporary directory) behind a small HTTP proxy that records every
 * request and, when told to, resets the connection of part uploads after
 * some bytes, as a broken network does.
 *
 * s3rver 3.7 answers AbortMultipartUpload with 405 and
 * ListMultipartUploads with 501. Both are added here, working on s3rver's
 * own record of unfinished uploads (`<bucket>/._S3rver_uploads/<uploadId>/`,
 * with the upload's key in `key`), so what the tests see as pending is
 * what s3rver holds.
 */
export class S3TestServer {
  readonly bucket = 'dbaas-snapshots';
  readonly requests: RecordedRequest[] = [];
  #cutAfter: number | undefined;
  #cutPart: number | undefined;
  #onRequest: ((request: RecordedRequest) => void) | undefined;
  #refuse: ((request: RecordedRequest) => boolean) | undefined;

  private constructor(
    readonly directory: string,
    private readonly s3rver: S3rver,
    private readonly proxy: Server,
    readonly endpoint: string,
  ) {}

  static async start(): Promise<S3TestServer> {
    const directory = await mkdtemp(join(tmpdir(), 'dbaas-s3rver-'));
    const s3rver = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory,
      configureBuckets: [{ name: 'dbaas-snapshots', configs: [] }],
    });
    // s3rver is a Koa application; its types do not show it.
    (s3rver as unknown as { middleware: unknown[] }).middleware.unshift(
      multipartUploadListing(directory),
    );
    const { port: s3Port } = await s3rver.run();
    // The proxy is listening before the server object (which needs its
    // port) exists; no request comes before start() returns.
    const started: { server?: S3TestServer } = {};
    const proxy = createServer((req, res) =>
      started.server!.forward(req, res, s3Port),
    );
    await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.address() as AddressInfo;
    started.server = new S3TestServer(
      directory,
      s3rver,
      proxy,
      `http://127.0.0.1:${port}`,
    );
    return started.server;
  }

  /** Settings of a store on this server (`prefix` unique per call). */
  settings(overrides: Partial<S3ArchiveSettings> = {}): S3ArchiveSettings {
    return {
      bucket: this.bucket,
      prefix: `t${randomBytes(4).toString('hex')}/`,
      region: 'us-east-1',
      endpoint: this.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      // The smallest S3 allows: a few MiB of dump make a multipart upload.
      partSizeBytes: 5 * 1024 * 1024,
      ...overrides,
    };
  }

  /**
   * From now on the connection of every part upload (or only of part
   * `onlyPart`) is destroyed after `bytes` of its body, every retry too;
   * undefined stops that.
   */
  cutPartUploadsAfter(bytes: number | undefined, onlyPart?: number): void {
    this.#cutAfter = bytes;
    this.#cutPart = onlyPart;
  }

  /**
   * Answers the requests `refuse` picks with 503 ServiceUnavailable (S3's
   * "try again", which the SDK retries) without passing them on; undefined
   * stops that.
   */
  refuseRequests(refuse: ((request: RecordedRequest) => boolean) | undefined) {
    this.#refuse = refuse;
  }

  /** Called with each request as it arrives. */
  onRequest(listener: ((request: RecordedRequest) => void) | undefined) {
    this.#onRequest = listener;
  }

  /** Keys of the uploads s3rver still holds parts of. */
  async pendingUploads(): Promise<string[]> {
    return (await readPendingUploads(this.directory, this.bucket)).map(
      u => u.key,
    );
  }

  async close(): Promise<void> {
    await new Promise<void>(resolve => {
      this.proxy.close(() => resolve());
      this.proxy.closeAllConnections();
    });
    // Streams a test left unread must not keep s3rver from closing.
    (
      this.s3rver as unknown as { httpServer?: Server }
    ).httpServer?.closeAllConnections();
    await this.s3rver.close();
    await rm(this.directory, { recursive: true, force: true });
  }

  private forward(
    req: import('node:http').IncomingMessage,
    res: import('node:http').ServerResponse,
    s3Port: number,
  ) {
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
    };
    this.requests.push(recorded);
    this.#onRequest?.(recorded);
    if (this.#refuse?.(recorded)) {
      recorded.refused = true;
      req.resume();
      res.writeHead(503, { 'content-type': 'application/xml' });
      res.end(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>ServiceUnavailable</Code><Message>Refused by the test</Message></Error>',
      );
      return;
    }
    const upstream = request(
      {
        host: '127.0.0.1',
        port: s3Port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        // No kept-alive sockets to s3rver: close() must not wait on them.
        agent: false,
      },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    // A client that went away must not leave s3rver writing to nobody.
    res.on('close', () => upstream.destroy());
    const part = /[?&]partNumber=(\d+)/.exec(req.url ?? '')?.[1];
    const cutAfter =
      req.method === 'PUT' &&
      part !== undefined &&
      (this.#cutPart === undefined || Number(part) === this.#cutPart)
        ? this.#cutAfter
        : undefined;
    let forwarded = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        forwarded += chunk.length;
        if (cutAfter !== undefined && forwarded > cutAfter) {
          recorded.cut = true;
          // A reset mid-body: the client sees its connection die.
          req.socket.destroy();
          upstream.destroy();
          callback();
          return;
        }
        callback(null, chunk);
      },
    });
    req.pipe(counter).pipe(upstream);
  }
}

async function readPendingUploads(
  directory: string,
  bucket: string,
): Promise<Array<{ key: string; uploadId: string; initiated: Date }>> {
  const uploadsDir = join(directory, bucket, '._S3rver_uploads');
  const ids = await readdir(uploadsDir).catch(() => [] as string[]);
  const uploads = [];
  for (const uploadId of ids) {
    const key = await readFile(join(uploadsDir, uploadId, 'key'), 'utf8').catch(
      () => undefined,
    );
    if (key !== undefined) {
      const { birthtime } = await stat(join(uploadsDir, uploadId));
      uploads.push({ key, uploadId, initiated: birthtime });
    }
  }
  return uploads;
}

const xml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** ListMultipartUploads and AbortMultipartUpload on s3rver's own files. */
function multipartUploadListing(directory: string) {
  return async (
    ctx: {
      method: string;
      path: string;
      query: Record<string, unknown>;
      status: number;
      type: string;
      body: unknown;
    },
    next: () => Promise<unknown>,
  ) => {
    const [, bucket, ...keyParts] = ctx.path.split('/');
    const key = decodeURIComponent(keyParts.join('/'));
    if (ctx.method === 'GET' && !key && 'uploads' in ctx.query) {
      const prefix = String(ctx.query.prefix ?? '');
      const uploads = (await readPendingUploads(directory, bucket)).filter(u =>
        u.key.startsWith(prefix),
      );
      ctx.type = 'application/xml';
      ctx.body = `<?xml version="1.0" encoding="UTF-8"?>
<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>${xml(
        bucket,
      )}</Bucket><Prefix>${xml(
        prefix,
      )}</Prefix><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>${uploads
        .map(
          u =>
            `<Upload><Key>${xml(u.key)}</Key><UploadId>${
              u.uploadId
            }</UploadId><Initiated>${u.initiated.toISOString()}</Initiated></Upload>`,
        )
        .join('')}</ListMultipartUploadsResult>`;
      return undefined;
    }
    if (ctx.method === 'DELETE' && key && 'uploadId' in ctx.query) {
      const uploadId = String(ctx.query.uploadId);
      const upload = (await readPendingUploads(directory, bucket)).find(
        u => u.uploadId === uploadId && u.key === key,
      );
      if (!upload) {
        ctx.status = 404;
        ctx.type = 'application/xml';
        ctx.body = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message></Error>`;
        return undefined;
      }
      await rm(join(directory, bucket, '._S3rver_uploads', uploadId), {
        recursive: true,
        force: true,
      });
      ctx.status = 204;
      return undefined;
    }
    return next();
  };
}
