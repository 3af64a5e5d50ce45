import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { SnapshotSubject } from '../SnapshotCatalog';
import { DatabaseSnapshotStore } from '../DatabaseSnapshotStore';
import {
  TEST_PG_BIN,
  createDatabaseWithData,
  dropDatabase,
  migrated,
  testLocalCluster,
  uniqueNamespace,
} from '../__testUtils__/testCluster';
import { LocalSnapshotCatalog } from './LocalSnapshotCatalog';
import { PgToolLocator } from '../../pgTools';
import { DirectoryArchiveStore } from './archives/DirectoryArchiveStore';

jest.setTimeout(60_000);

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const execFileAsync = promisify(execFile);
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const DAY = 24 * 3_600_000;
const RETENTION = { production: 35, staging: 35, test: 7, dev: 7 };

describe('LocalSnapshotCatalog (real PostgreSQL and pg_dump)', () => {
  let knex: Knex;
  let directory: string;
  let namespace: string;
  let subject: SnapshotSubject;
  let store: DatabaseSnapshotStore;
  let archives: DirectoryArchiveStore;
  const created: string[] = [];

  function catalog(
    options: Partial<
      ConstructorParameters<typeof LocalSnapshotCatalog>[0]
    > = {},
  ) {
    return new LocalSnapshotCatalog({
      store,
      archives,
      tools: new PgToolLocator({
        setting: 'dbaas.snapshots.local.binDirectory',
      }),
      retentionDays: RETENTION,
      schedule: { cron: '0 2 * * *' },
      logger: mockServices.logger.mock(),
      ...options,
    });
  }

  beforeAll(async () => {
    knex = await migrated(await databases.init('POSTGRES_15'));
  });

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'dbaas-snapshots-'));
    namespace = uniqueNamespace();
    const databaseName = await createDatabaseWithData(namespace, 'ledger');
    created.push(databaseName);
    subject = {
      namespace,
      name: 'ledger',
      databaseName,
      cluster: testLocalCluster(),
    };
    store = new DatabaseSnapshotStore(knex);
    archives = new DirectoryArchiveStore(directory);
  });

  afterEach(() => rm(directory, { recursive: true, force: true }));
  afterAll(async () => {
    for (const name of created) {
      await dropDatabase(name);
    }
  });

  it('dumps the database to <dir>/<cluster>/<database>/<id>.dump with its checksum and size', async () => {
    const snapshot = await catalog().take(subject, 'on-demand');

    const path = join(
      directory,
      'local',
      subject.databaseName,
      `${snapshot.id}.dump`,
    );
    const bytes = await readFile(path);
    expect(snapshot).toMatchObject({
      source: 'pg_dump',
      type: 'on-demand',
      status: 'available',
      cluster: 'local',
      sizeBytes: bytes.length,
      checksum: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
      engineVersion: expect.stringMatching(/^15\.\d+/),
    });
    expect(
      Date.parse(snapshot.expiresAt!) - Date.parse(snapshot.createdAt),
    ).toBe(7 * DAY);
    // Nothing else was left behind (no partial file).
    expect(
      await readdir(join(directory, 'local', subject.databaseName)),
    ).toEqual([`${snapshot.id}.dump`]);

    const { stdout } = await execFileAsync(join(TEST_PG_BIN, 'pg_restore'), [
      '--list',
      path,
    ]);
    expect(stdout).toMatch(/TABLE public ledger_entries/);
    expect(stdout).toMatch(/TABLE DATA public ledger_entries/);

    const listed = await catalog().list(subject);
    expect(listed).toMatchObject({
      namespace,
      name: 'ledger',
      databaseName: subject.databaseName,
      cluster: 'local',
      retentionDays: 7,
      restoreWindow: {
        earliest: snapshot.createdAt,
        latest: snapshot.createdAt,
      },
      items: [snapshot],
    });
    expect(Date.parse(listed.nextScheduledAt!)).toBeGreaterThan(Date.now());
  });

  // pgTools/libpqEnvironment.test.ts checks that TLS is really used; here, that a
  // dump over a TLS connection works end to end.
  it('dumps over a TLS connection', async () => {
    const snapshot = await catalog().take(
      { ...subject, cluster: testLocalCluster({ query: 'sslmode=require' }) },
      'scheduled',
    );
    expect(snapshot.status).toBe('available');
  });

  it('lets one snapshot of a database run at a time', async () => {
    const results = await Promise.allSettled([
      catalog().take(subject, 'on-demand'),
      catalog().take(subject, 'scheduled'),
    ]);
    const rejected = results.filter(r => r.status === 'rejected');
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(
      ConflictError,
    );
    expect((rejected[0] as PromiseRejectedResult).reason.message).toMatch(
      /already being taken/,
    );
    // Once done, the next one may start.
    await expect(catalog().take(subject, 'on-demand')).resolves.toMatchObject({
      status: 'available',
    });
  });

  it('takes over a snapshot whose backend stopped (no heartbeat)', async () => {
    const stale = new Date(Date.now() - 10 * 60_000);
    const crashedId = '00000000-0000-4000-8000-00000000c4a5';
    await store.begin({
      id: crashedId,
      cluster: 'local',
      databaseName: subject.databaseName,
      namespace,
      name: 'ledger',
      type: 'scheduled',
      createdAt: stale,
      expiresAt: new Date(stale.getTime() + 7 * DAY),
    });
    await mkdir(join(directory, 'local', subject.databaseName), {
      recursive: true,
    });
    await writeFile(
      join(
        directory,
        'local',
        subject.databaseName,
        `${crashedId}.dump.partial`,
      ),
      'half',
    );

    const snapshot = await catalog().take(subject, 'on-demand');
    expect(snapshot.status).toBe('available');
    expect(await store.get(crashedId)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^abandoned/),
    });
    expect(
      await readdir(join(directory, 'local', subject.databaseName)),
    ).toEqual([`${snapshot.id}.dump`]);
  });

  it('records a failed dump with its reason, keeps no file, and never shows the password', async () => {
    const missing = { ...subject, databaseName: `${namespace}-missing` };
    const error = await catalog()
      .take(missing, 'scheduled')
      .catch(e => e);
    expect(error.message).toMatch(/does not exist/);
    const password = testLocalCluster().connection.password!;
    expect(error.message).not.toContain(password);
    const [row] = await store.listForDatabase('local', missing.databaseName);
    expect(row).toMatchObject({ status: 'failed', error: expect.any(String) });
    expect(row.error).not.toContain(password);
    expect(await archives.list()).toEqual([]);
  });

  it('refuses a pg_dump older than the server before dumping (QUALITY 26)', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'dbaas-no-pg-'));
    try {
      const error = await catalog({
        tools: new PgToolLocator({
          binDirectory: empty,
          setting: 'dbaas.snapshots.local.binDirectory',
        }),
      })
        .take(subject, 'on-demand')
        .catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(/pg_dump 15 or newer is needed/);
      const [row] = await store.listForDatabase('local', subject.databaseName);
      expect(row.status).toBe('failed');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  describe('getRestorable and openDump', () => {
    async function insert(
      overrides: Partial<{
        id: string;
        databaseName: string;
        status: string;
        createdAt: Date;
        expiresAt: Date;
      }>,
    ) {
      const createdAt = overrides.createdAt ?? new Date();
      const row = {
        id: overrides.id ?? '11111111-1111-4111-8111-111111111111',
        cluster: 'local',
        database_name: overrides.databaseName ?? subject.databaseName,
        namespace,
        name: 'ledger',
        type: 'scheduled',
        status: overrides.status ?? 'available',
        created_at: createdAt,
        completed_at: createdAt,
        heartbeat_at: createdAt,
        expires_at:
          overrides.expiresAt ?? new Date(createdAt.getTime() + 7 * DAY),
        size_bytes: 1,
        checksum: 'sha256:00',
        error: overrides.status === 'failed' ? 'pg_dump failed' : null,
      };
      await knex('dbaas_snapshots').insert(row);
      return row.id;
    }

    it('is 404 for an unknown or malformed id and for another database’s snapshot', async () => {
      const other = await insert({
        id: '22222222-2222-4222-8222-222222222222',
        databaseName: `${namespace}-other`,
      });
      for (const id of [
        '33333333-3333-4333-8333-333333333333',
        '../../etc/passwd',
        other,
      ]) {
        await expect(catalog().getRestorable(subject, id)).rejects.toThrow(
          NotFoundError,
        );
        await expect(catalog().openDump(subject, id)).rejects.toThrow(
          NotFoundError,
        );
      }
    });

    it('is 400 for a failed, running or expired snapshot', async () => {
      const failed = await insert({
        id: '44444444-4444-4444-8444-444444444444',
        status: 'failed',
      });
      await expect(catalog().getRestorable(subject, failed)).rejects.toThrow(
        /is failed \(pg_dump failed\)/,
      );
      const running = await insert({
        id: '77777777-7777-4777-8777-777777777777',
        status: 'creating',
      });
      await expect(catalog().getRestorable(subject, running)).rejects.toThrow(
        InputError,
      );
      await expect(catalog().openDump(subject, running)).rejects.toThrow(
        /is creating; it has no dump file/,
      );
      const old = new Date(Date.now() - 10 * DAY);
      const expired = await insert({
        id: '55555555-5555-4555-8555-555555555555',
        createdAt: old,
        expiresAt: new Date(old.getTime() + 7 * DAY),
      });
      // The only available snapshot is kept as the last copy: restorable.
      await expect(
        catalog().getRestorable(subject, expired),
      ).resolves.toMatchObject({ id: expired });
      await insert({ id: '66666666-6666-4666-8666-666666666666' });
      const error = await catalog()
        .getRestorable(subject, expired)
        .catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(/expired on .* \(retention 7 days\)/);
      const listed = await catalog().list(subject);
      expect(listed.restoreWindow).toEqual({
        earliest: listed.items[0].createdAt,
        latest: listed.items[0].createdAt,
      });
    });

    it('hands out a verified dump file and refuses a tampered one', async () => {
      const snapshot = await catalog().take(subject, 'on-demand');
      await expect(
        catalog().getRestorable(subject, snapshot.id),
      ).resolves.toEqual(snapshot);
      const dump = await catalog().openDump(subject, snapshot.id);
      const path = join(
        directory,
        'local',
        subject.databaseName,
        `${snapshot.id}.dump`,
      );
      expect(dump).toEqual({
        location: path,
        path,
        checksum: snapshot.checksum,
        sizeBytes: snapshot.sizeBytes,
        read: expect.any(Function),
      });
      const read = await readAll(await dump.read());
      expect(read.length).toBe(snapshot.sizeBytes);

      const bytes = await readFile(path);
      bytes[bytes.length - 10] ^= 0xff;
      await writeFile(path, bytes);
      const error = await catalog()
        .openDump(subject, snapshot.id)
        .catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(/does not match what was recorded/);
      // A reader that opened it before it was damaged fails at its end.
      await expect(readAll(await dump.read())).rejects.toThrow(
        /does not match what was recorded/,
      );

      await rm(path);
      await expect(catalog().openDump(subject, snapshot.id)).rejects.toThrow(
        /is missing/,
      );
    });
  });
});
