import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { NotFoundError } from '@backstage/errors';
import { archiveKey } from './archiveKeys';
import { DirectoryArchiveStore } from './DirectoryArchiveStore';

const ID = '0a1b2c3d-0000-4000-8000-000000000001';
const KEY = archiveKey('local', 'payments-ledger', ID);

describe('DirectoryArchiveStore', () => {
  let directory: string;
  let archives: DirectoryArchiveStore;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'dbaas-archives-'));
    archives = new DirectoryArchiveStore(directory);
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('writes a private file via .partial, and reads, lists and deletes it', async () => {
    const bytes = randomBytes(300_000);
    const written = await archives.write(KEY, Readable.from([bytes]));

    const path = join(directory, KEY);
    expect(written).toEqual({
      sizeBytes: bytes.length,
      checksum: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
    });
    expect(await readFile(path)).toEqual(bytes);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(dirname(path))).mode & 0o777).toBe(0o700);
    expect(await readdir(dirname(path))).toEqual([`${ID}.dump`]);
    expect(archives.localFile(KEY)).toBe(path);
    expect(await archives.stat(KEY)).toEqual({ sizeBytes: bytes.length });
    const chunks: Buffer[] = [];
    for await (const chunk of await archives.read(KEY)) {
      chunks.push(chunk);
    }
    expect(Buffer.concat(chunks)).toEqual(bytes);
    // Files the suite did not write are left alone.
    await writeFile(join(dirname(path), 'README'), 'notes');
    expect(await archives.list()).toEqual([
      { key: KEY, partial: false, location: path },
    ]);

    await archives.delete(KEY);
    await archives.delete(KEY);
    expect(existsSync(path)).toBe(false);
    expect(await archives.stat(KEY)).toBeUndefined();
    await expect(archives.read(KEY)).rejects.toThrow(NotFoundError);
  });

  it('keeps nothing of a write whose source fails', async () => {
    async function* failing() {
      yield randomBytes(1000);
      throw new Error('pg_dump exited with code 1');
    }
    await expect(archives.write(KEY, Readable.from(failing()))).rejects.toThrow(
      /writing .*\.partial failed: pg_dump exited with code 1/,
    );
    expect(await archives.list()).toEqual([]);
  });

  it('tells partial files apart and discards only them', async () => {
    await archives.write(KEY, Readable.from([Buffer.from('dump')]));
    const partial = `${join(directory, KEY)}.partial`;
    await writeFile(partial, 'half');
    expect(await archives.list()).toEqual(
      expect.arrayContaining([
        { key: KEY, partial: true, location: partial },
        { key: KEY, partial: false, location: join(directory, KEY) },
      ]),
    );
    await archives.discardPartial(KEY);
    expect(await archives.list()).toEqual([
      { key: KEY, partial: false, location: join(directory, KEY) },
    ]);
  });

  it('refuses a key that would leave the directory', async () => {
    await expect(
      archives.write('../outside.dump', Readable.from([Buffer.from('x')])),
    ).rejects.toThrow(/Archive key '..\/outside.dump' is outside/);
    expect(existsSync(join(directory, '..', 'outside.dump'))).toBe(false);
  });
});
