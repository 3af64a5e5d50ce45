import { createHash } from 'node:crypto';
import {
  CreateMultipartUploadCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { Knex } from 'knex';
import { PgToolLocator } from '../../pgTools';
import { LocalRestoreEngine } from '../../restores/workflow/engines/LocalRestoreEngine';
import { restoreNames } from '../../restores/workflow/engines/restoreNames';
import {
  connectAsRole,
  databasesLike,
  dropNamespace,
  MemorySecretStore,
  newJob,
  query,
  StepRunner,
  testCluster,
  testProvisioner,
  uniqueNamespace,
} from '../../restores/workflow/engines/testFixtures';
import { DatabaseSnapshotStore } from '../DatabaseSnapshotStore';
import { SnapshotSubject } from '../SnapshotCatalog';
import { S3TestServer } from '../__testUtils__/s3TestServer';
import { migrated, TEST_PG_BIN } from '../__testUtils__/testCluster';
import { archiveKey } from './archives/archiveKeys';
import {
  S3ArchiveSettings,
  createS3Client,
} from './archives/S3ArchiveSettings';
import { S3ArchiveStore } from './archives/S3ArchiveStore';
import { LocalSnapshotCatalog } from './LocalSnapshotCatalog';
import { LocalSnapshotMaintenance } from './LocalSnapshotMaintenance';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const DAY = 24 * 3_600_000;
/** Rows of 32 random bytes: a dump of about 8 MiB, two 5 MiB parts. */
const ROWS = 220_000;

/**
 * Logical snapshots kept in an S3 bucket: real PostgreSQL and pg_dump /
 * pg_restore (DBAAS_TEST_PG_BIN), and s3rver in process behind a
 * recording proxy that can reset connections (S3TestServer).
 */
describe('LocalSnapshotCatalog with S3 storage (real PostgreSQL, s3rver)', () => {
  let knex: Knex;
  let s3: S3TestServer;
  const namespaces: string[] = [];

  beforeAll(async () => {
    knex = await migrated(await databases.init('POSTGRES_15'));
    s3 = await S3TestServer.start();
  });
  afterAll(async () => {
    await s3?.close();
    for (const namespace of namespaces) {
      await dropNamespace(namespace);
    }
  });

  function bucket(overrides: Partial<S3ArchiveSettings> = {}) {
    const settings = s3.settings(overrides);
    const client = createS3Client(settings);
    return {
      settings,
      client,
      archives: new S3ArchiveStore({ client, settings }),
    };
  }

  function catalogOn(archives: S3ArchiveStore, now?: () => Date) {
    return new LocalSnapshotCatalog({
      store: new DatabaseSnapshotStore(knex),
      archives,
      tools: new PgToolLocator({
        binDirectory: TEST_PG_BIN,
        setting: 'dbaas.snapshots.local.binDirectory',
      }),
      retentionDays: { production: 35, staging: 35, test: 7, dev: 7 },
      schedule: { cron: '0 2 * * *' },
      logger: mockServices.logger.mock(),
      ...(now ? { now } : {}),
    });
  }

  /** Where the archive of a snapshot of `subject` lies in the bucket. */
  const objectKey = (
    settings: S3ArchiveSettings,
    subject: SnapshotSubject,
    snapshotId: string,
  ) =>
    `${settings.prefix}${archiveKey(
      'local-test',
      subject.databaseName,
      snapshotId,
    )}`;

  /** The local restore engine, its dumps read from `catalog`'s bucket. */
  function restoreEngine(
    catalog: LocalSnapshotCatalog,
    secrets: MemorySecretStore,
    namespace: string,
    parallelJobs: number,
  ) {
    return new LocalRestoreEngine({
      settings: {
        parallelJobs,
        binDirectory: TEST_PG_BIN,
        workDirectory: `/tmp/dbaas-restore-work-${namespace}`,
      },
      provisionerFor: () => testProvisioner(secrets),
      openDump: (s, id) => catalog.openDump(s, id),
    });
  }

  /** A provisioned `<ns>-orders` with ROWS rows of random bytes. */
  async function orders() {
    const namespace = uniqueNamespace();
    namespaces.push(namespace);
    const secrets = new MemorySecretStore();
    await testProvisioner(secrets).ensure({
      namespace,
      name: 'orders',
      mode: 'standard',
    });
    const admin = await connectAsRole(secrets, namespace, 'orders', 'admin');
    try {
      await admin.query(
        'CREATE TABLE items (id int PRIMARY KEY, payload bytea NOT NULL)',
      );
      await admin.query(
        `INSERT INTO items SELECT g, decode(md5(random()::text) || md5(random()::text), 'hex') FROM generate_series(1, $1) g`,
        [ROWS],
      );
    } finally {
      await admin.end();
    }
    const subject: SnapshotSubject = {
      namespace,
      name: 'orders',
      databaseName: `${namespace}-orders`,
      cluster: testCluster(),
    };
    return { namespace, secrets, subject };
  }

  /** A digest of every row of `items`: equal digests, equal rows. */
  async function rowsDigest(database: string): Promise<string> {
    const [row] = await query<{ n: number; digest: string }>(
      database,
      `SELECT count(*)::int AS n, md5(string_agg(id || ':' || encode(payload, 'hex'), ',' ORDER BY id)) AS digest FROM items`,
    );
    return `${row.n}:${row.digest}`;
  }

  async function objectKeys(client: S3Client, prefix: string) {
    const listed = await client.send(
      new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }),
    );
    return (listed.Contents ?? []).map(o => o.Key!);
  }

  async function pendingUploads(client: S3Client, prefix: string) {
    const listed = await client.send(
      new ListMultipartUploadsCommand({ Bucket: s3.bucket, Prefix: prefix }),
    );
    return (listed.Uploads ?? []).map(u => u.Key!);
  }

  async function objectSha256(client: S3Client, key: string) {
    const object = await client.send(
      new GetObjectCommand({ Bucket: s3.bucket, Key: key }),
    );
    const bytes = Buffer.from(await object.Body!.transformToByteArray());
    return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  }

  it('streams a snapshot into a multipart upload with its sha256 tag and SSE, and restores from it in place', async () => {
    const { settings, client, archives } = bucket({
      serverSideEncryption: 'aws:kms',
      kmsKeyId: 'alias/dbaas-snapshots',
    });
    const { namespace, secrets, subject } = await orders();
    const before = await rowsDigest(subject.databaseName);
    const catalog = catalogOn(archives);
    const requestsBefore = s3.requests.length;

    const snapshot = await catalog.take(subject, 'on-demand');

    const key = objectKey(settings, subject, snapshot.id);
    expect(snapshot).toMatchObject({
      status: 'available',
      checksum: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
    expect(snapshot.sizeBytes).toBeGreaterThan(settings.partSizeBytes);
    expect(await objectKeys(client, settings.prefix)).toEqual([key]);
    // The object is the dump recorded, and carries its sha256.
    expect(await objectSha256(client, key)).toBe(snapshot.checksum);
    const tags = await client.send(
      new GetObjectTaggingCommand({ Bucket: s3.bucket, Key: key }),
    );
    expect(tags.TagSet).toEqual([
      { Key: 'sha256', Value: snapshot.checksum!.slice('sha256:'.length) },
    ]);
    // Streamed: a multipart upload (not one PUT of a whole copy), which
    // asked for server-side encryption. s3rver ignores SSE headers (it
    // neither stores nor returns them), so the proxy's record shows that
    // they reached the server.
    const requests = s3.requests.slice(requestsBefore);
    const created = requests.filter(
      r => r.method === 'POST' && r.url.includes('?uploads'),
    );
    expect(created).toHaveLength(1);
    expect(created[0].headers).toMatchObject({
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': 'alias/dbaas-snapshots',
    });
    expect(
      requests.filter(r => r.method === 'PUT' && /partNumber=/.test(r.url))
        .length,
    ).toBeGreaterThanOrEqual(2);
    expect(await pendingUploads(client, settings.prefix)).toEqual([]);

    // Changed after the snapshot; the restore brings back the snapshot.
    const writer = await connectAsRole(secrets, namespace, 'orders', 'write');
    await writer.query('DELETE FROM items WHERE id <= 1000');
    await writer.end();
    expect(await rowsDigest(subject.databaseName)).not.toBe(before);

    const job = newJob(namespace, 'in-place', { snapshotId: snapshot.id });
    const engine = restoreEngine(catalog, secrets, namespace, 4);
    const runner = new StepRunner(engine, job);
    await runner.runAll();

    expect(await rowsDigest(subject.databaseName)).toBe(before);
    expect(runner.messages()).toContain(`s3://${s3.bucket}/${key}`);
    expect(runner.messages()).toMatch(/streaming .* into pg_restore \(one job/);
    expect(runner.messages()).toMatch(/verified .* 1 tables/);
    expect(runner.state.dumpFile).toBeUndefined();
  });

  it('fails a restore from a changed object at the restore step, before the swap, and leaves the original', async () => {
    const { settings, client, archives } = bucket();
    const { namespace, secrets, subject } = await orders();
    const catalog = catalogOn(archives);
    const snapshot = await catalog.take(subject, 'on-demand');
    const key = objectKey(settings, subject, snapshot.id);
    const original = await client.send(
      new GetObjectCommand({ Bucket: s3.bucket, Key: key }),
    );
    const bytes = Buffer.from(await original.Body!.transformToByteArray());
    // Same size, same sha256 tag: only reading the bytes tells.
    bytes[bytes.length - 100] ^= 0xff;
    await client.send(
      new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: bytes }),
    );
    await client.send(
      new PutObjectTaggingCommand({
        Bucket: s3.bucket,
        Key: key,
        Tagging: {
          TagSet: [
            {
              Key: 'sha256',
              Value: snapshot.checksum!.slice('sha256:'.length),
            },
          ],
        },
      }),
    );
    const writer = await connectAsRole(secrets, namespace, 'orders', 'write');
    await writer.query('DELETE FROM items WHERE id <= 10');
    await writer.end();
    const current = await rowsDigest(subject.databaseName);

    const job = newJob(namespace, 'in-place', { snapshotId: snapshot.id });
    const engine = restoreEngine(catalog, secrets, namespace, 2);
    const runner = new StepRunner(engine, job);
    await runner.run('preflight');
    const error = await runner.run('restore').catch(e => e);
    expect(error.message).toMatch(
      /does not match what was recorded when it was taken \(checksum sha256:[0-9a-f]+ instead of sha256:/,
    );
    await runner.cleanup();
    expect(await rowsDigest(subject.databaseName)).toBe(current);
    expect(await databasesLike(namespace)).toEqual([subject.databaseName]);
    expect(await databasesLike(restoreNames(job).scratch)).toEqual([]);
  });

  it('refuses an object whose size or sha256 tag differs before reading it, and checks an untagged one by its bytes', async () => {
    const { settings, client, archives } = bucket();
    const { subject } = await orders();
    const catalog = catalogOn(archives);
    const snapshot = await catalog.take(subject, 'on-demand');
    const key = objectKey(settings, subject, snapshot.id);
    const object = await client.send(
      new GetObjectCommand({ Bucket: s3.bucket, Key: key }),
    );
    const bytes = Buffer.from(await object.Body!.transformToByteArray());
    // (s3rver ignores PutObject's tagging header: tags are set apart.)
    const put = async (body: Buffer, sha256?: string) => {
      await client.send(
        new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body }),
      );
      await client.send(
        new PutObjectTaggingCommand({
          Bucket: s3.bucket,
          Key: key,
          Tagging: { TagSet: sha256 ? [{ Key: 'sha256', Value: sha256 }] : [] },
        }),
      );
    };

    await put(bytes, 'ab'.repeat(32));
    await expect(catalog.openDump(subject, snapshot.id)).rejects.toThrow(
      /does not match what was recorded when it was taken \(checksum sha256:(ab){32} instead of/,
    );
    await put(bytes.subarray(1), snapshot.checksum!.slice(7));
    await expect(catalog.openDump(subject, snapshot.id)).rejects.toThrow(
      /bytes instead of/,
    );

    // Copied in by hand (e.g. `aws s3 sync` of the snapshot directory):
    // no tag; the bytes are checked as they are read.
    await put(bytes);
    const dump = await catalog.openDump(subject, snapshot.id);
    expect(dump.path).toBeUndefined();
    expect(dump.location).toBe(`s3://${s3.bucket}/${key}`);
    const read = await dump.read();
    let size = 0;
    for await (const chunk of read) {
      size += chunk.length;
    }
    expect(size).toBe(snapshot.sizeBytes);
    const changed = Buffer.from(bytes);
    changed[100] ^= 0xff;
    await put(changed);
    const reader = await (await catalog.openDump(subject, snapshot.id)).read();
    await expect(
      (async () => {
        for await (const _chunk of reader) {
          // read to the end
        }
      })(),
    ).rejects.toThrow(/does not match what was recorded/);
  });

  it('stores a small dump with one PUT, encrypted with AES256', async () => {
    const { settings, client, archives } = bucket({
      serverSideEncryption: 'AES256',
    });
    const namespace = uniqueNamespace();
    namespaces.push(namespace);
    await testProvisioner(new MemorySecretStore()).ensure({
      namespace,
      name: 'orders',
      mode: 'standard',
    });
    const subject = {
      namespace,
      name: 'orders',
      databaseName: `${namespace}-orders`,
      cluster: testCluster(),
    };
    const requestsBefore = s3.requests.length;
    const snapshot = await catalogOn(archives).take(subject, 'scheduled');
    const puts = s3.requests
      .slice(requestsBefore)
      .filter(
        r => r.method === 'PUT' && !/[?&](partNumber|tagging)/.test(r.url),
      );
    expect(puts).toHaveLength(1);
    expect(puts[0].headers['x-amz-server-side-encryption']).toBe('AES256');
    const [key] = await objectKeys(client, settings.prefix);
    expect(await objectSha256(client, key)).toBe(snapshot.checksum);
  });

  it('fails a snapshot whose upload connection is reset, leaves no object and no pending upload, and the next one succeeds', async () => {
    const { settings, client, archives } = bucket();
    const { subject } = await orders();
    const catalog = catalogOn(archives);
    const requestsBefore = s3.requests.length;

    s3.cutPartUploadsAfter(1024 * 1024);
    let error: Error;
    try {
      error = await catalog.take(subject, 'scheduled').catch(e => e);
    } finally {
      s3.cutPartUploadsAfter(undefined);
    }

    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/^The scheduled snapshot of .* failed: /);
    const requests = s3.requests.slice(requestsBefore);
    expect(requests.some(r => r.cut)).toBe(true);
    // The multipart upload was aborted, so s3rver keeps none of its parts.
    const created = requests.find(
      r => r.method === 'POST' && r.url.includes('?uploads'),
    );
    expect(created).toBeDefined();
    expect(
      requests.some(r => r.method === 'DELETE' && r.url.includes('uploadId=')),
    ).toBe(true);
    const [row] = await new DatabaseSnapshotStore(knex).listForDatabase(
      'local-test',
      subject.databaseName,
    );
    expect(row).toMatchObject({ status: 'failed' });
    expect(await objectKeys(client, settings.prefix)).toEqual([]);
    expect(await pendingUploads(client, settings.prefix)).toEqual([]);
    expect(await s3.pendingUploads()).not.toContainEqual(
      expect.stringMatching(settings.prefix),
    );
    expect(await archives.list()).toEqual([]);

    const next = await catalog.take(subject, 'scheduled');
    expect(next.status).toBe('available');
    expect(await objectKeys(client, settings.prefix)).toEqual([
      objectKey(settings, subject, next.id),
    ]);
  });

  it('never completes the upload of a dump that was stopped half-way', async () => {
    const { settings, client, archives } = bucket();
    const { subject } = await orders();
    const stop = new AbortController();
    const requestsBefore = s3.requests.length;
    // pg_dump is stopped once its first part is on its way: a killed
    // pg_dump closes its output like a finished one.
    s3.onRequest(r => {
      if (r.method === 'PUT' && /partNumber=1\b/.test(r.url)) {
        stop.abort();
      }
    });
    try {
      const error = await catalogOn(archives)
        .take(subject, 'scheduled', { signal: stop.signal })
        .catch(e => e);
      expect(error.message).toMatch(
        /^The scheduled snapshot of .* failed: pg_dump .* was stopped \(aborted\)/,
      );
    } finally {
      s3.onRequest(undefined);
    }
    const requests = s3.requests.slice(requestsBefore);
    expect(requests.some(r => /partNumber=1\b/.test(r.url))).toBe(true);
    // No CompleteMultipartUpload was ever sent, nor a single PUT.
    expect(
      requests.filter(
        r =>
          (r.method === 'POST' && r.url.includes('uploadId=')) ||
          (r.method === 'PUT' && !/[?&](partNumber|tagging)/.test(r.url)),
      ),
    ).toEqual([]);
    expect(await objectKeys(client, settings.prefix)).toEqual([]);
    expect(await pendingUploads(client, settings.prefix)).toEqual([]);
  });

  it('deletes expired snapshots’ objects, and cleans up objects and uploads no snapshot owns', async () => {
    const { settings, client, archives } = bucket();
    const { subject } = await orders();
    const store = new DatabaseSnapshotStore(knex);
    const first = await catalogOn(archives).take(subject, 'scheduled');
    const second = await catalogOn(archives).take(subject, 'scheduled');
    const keyOf = (id: string) => objectKey(settings, subject, id);
    expect((await objectKeys(client, settings.prefix)).sort()).toEqual(
      [keyOf(first.id), keyOf(second.id)].sort(),
    );

    const later = new Date(Date.now() + 8 * DAY);
    const catalog = catalogOn(archives, () => later);
    const maintenance = new LocalSnapshotMaintenance({
      store,
      archives,
      catalog,
      logger: mockServices.logger.mock(),
    });
    const live = new Set([`local-test/${subject.databaseName}`]);
    // (Other tests' snapshots in the plugin database expire too.)
    const pruned = await maintenance.prune(later, live);
    // The newest is kept as the database's last copy; the older is gone.
    expect(pruned.pruned).toContain(first.id);
    expect(pruned.pruned).not.toContain(second.id);
    expect(pruned.keptAsLastCopy).toContain(second.id);
    expect(await objectKeys(client, settings.prefix)).toEqual([
      keyOf(second.id),
    ]);
    expect((await store.get(first.id))?.status).toBe('deleted');

    // The database is gone: its last snapshot goes too once expired.
    expect((await maintenance.prune(later, new Set())).pruned).toContain(
      second.id,
    );
    expect(await objectKeys(client, settings.prefix)).toEqual([]);

    // Left by crashes: the object of a snapshot whose row was deleted,
    // and a pending multipart upload of a failed snapshot.
    const orphan = keyOf('00000000-0000-4000-8000-0000000000aa');
    await client.send(
      new PutObjectCommand({ Bucket: s3.bucket, Key: orphan, Body: 'x' }),
    );
    await client.send(
      new CreateMultipartUploadCommand({
        Bucket: s3.bucket,
        Key: keyOf(first.id),
      }),
    );
    expect(await pendingUploads(client, settings.prefix)).toEqual([
      keyOf(first.id),
    ]);
    const cleaned = await maintenance.cleanUp(later);
    expect(cleaned.removedFiles).toHaveLength(2);
    expect(cleaned.removedFiles).toEqual(
      expect.arrayContaining([
        `s3://${s3.bucket}/${orphan}`,
        expect.stringMatching(
          new RegExp(
            `^s3://${s3.bucket}/${keyOf(first.id)} \\(upload \\w+\\)$`,
          ),
        ),
      ]),
    );
    expect(await objectKeys(client, settings.prefix)).toEqual([]);
    expect(await pendingUploads(client, settings.prefix)).toEqual([]);
  });

  it('goes on when the cleanup cannot list the bucket, and cleans up on a later cycle', async () => {
    const { settings, client, archives } = bucket();
    const { subject } = await orders();
    const store = new DatabaseSnapshotStore(knex);
    const logger = mockServices.logger.mock();
    const catalog = catalogOn(archives);
    const maintenance = new LocalSnapshotMaintenance({
      store,
      archives,
      catalog,
      logger,
    });
    // A replica stopped while uploading an hour ago: its row and its upload.
    const crashed = '00000000-0000-4000-8000-0000000000cc';
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await store.begin({
      id: crashed,
      cluster: 'local-test',
      databaseName: subject.databaseName,
      namespace: subject.namespace,
      name: 'orders',
      type: 'scheduled',
      createdAt: anHourAgo,
      expiresAt: new Date(anHourAgo.getTime() + 7 * DAY),
    });
    await store.heartbeat(crashed, anHourAgo);
    const key = objectKey(settings, subject, crashed);
    await client.send(
      new CreateMultipartUploadCommand({ Bucket: s3.bucket, Key: key }),
    );
    // The bucket policy lacks s3:ListBucketMultipartUploads.
    s3.refuseRequests(r => r.method === 'GET' && r.url.includes('uploads'));
    try {
      const result = await maintenance.cleanUp(new Date());
      expect(result.abandoned).toEqual([crashed]);
      expect(result.removedFiles).toEqual([]);
      expect(logger.error).toHaveBeenCalledWith(
        expect.stringMatching(
          /^Cannot look for left-over snapshot archives; the snapshots go on: .*unfinished uploads/,
        ),
      );
      // The snapshot itself does not need the listing.
      await expect(catalog.take(subject, 'scheduled')).resolves.toMatchObject({
        status: 'available',
      });
    } finally {
      s3.refuseRequests(undefined);
    }
    expect(await pendingUploads(client, settings.prefix)).toEqual([key]);

    const later = await maintenance.cleanUp(new Date());
    expect(later.removedFiles).toEqual([
      expect.stringMatching(new RegExp(`^s3://${s3.bucket}/${key} \\(upload`)),
    ]);
    expect(await pendingUploads(client, settings.prefix)).toEqual([]);
  });

  it('takes one snapshot of a database at a time across replicas, each under its own key', async () => {
    const { settings, client } = bucket();
    const { subject } = await orders();
    // Two replicas: their own S3 clients and catalogs, one bucket, one
    // plugin database.
    const replicas = [0, 1].map(() =>
      catalogOn(
        new S3ArchiveStore({ client: createS3Client(settings), settings }),
      ),
    );
    const results = await Promise.allSettled(
      replicas.map(r => r.take(subject, 'on-demand')),
    );
    const taken = results.flatMap(r =>
      r.status === 'fulfilled' ? [r.value] : [],
    );
    const refused = results.flatMap(r =>
      r.status === 'rejected' ? [r.reason] : [],
    );
    expect(taken).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBeInstanceOf(ConflictError);

    const second = await replicas[1].take(subject, 'on-demand');
    const keys = (await objectKeys(client, settings.prefix)).sort();
    expect(keys).toHaveLength(2);
    // Each object is still the dump its own record describes.
    for (const snapshot of [taken[0], second]) {
      const key = objectKey(settings, subject, snapshot.id);
      expect(keys).toContain(key);
      expect(await objectSha256(client, key)).toBe(snapshot.checksum);
    }
  });
});
