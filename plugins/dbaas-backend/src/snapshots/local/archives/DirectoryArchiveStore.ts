import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { NotFoundError } from '@backstage/errors';
import { errorMessageLine } from '@dbaas/plugin-dbaas-node';
import { parseArchiveKey } from './archiveKeys';
import { digestingTap } from './archiveDigest';
import {
  ArchiveEntry,
  ArchiveFacts,
  SnapshotArchiveStore,
  WrittenArchive,
} from './SnapshotArchiveStore';

const PARTIAL_SUFFIX = '.partial';

/**
 * Archives as files under a directory (`dbaas.snapshots.local.directory`):
 * `<directory>/<key>`, written first as `<key>.partial` and renamed when
 * complete, so a file without the suffix is always a whole dump.
 * Directories are 0700 and files 0600: they hold every tenant's data.
 */
export class DirectoryArchiveStore implements SnapshotArchiveStore {
  readonly #root: string;

  constructor(readonly directory: string) {
    this.#root = resolve(directory);
  }

  locate(key: string): string {
    return this.#path(key);
  }

  localFile(key: string): string {
    return this.#path(key);
  }

  async write(key: string, source: Readable): Promise<WrittenArchive> {
    const path = this.#path(key);
    const partial = `${path}${PARTIAL_SUFFIX}`;
    const digest = digestingTap();
    try {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await pipeline(
        source,
        digest.tap,
        createWriteStream(partial, { flags: 'wx', mode: 0o600 }),
      ).catch(error => {
        throw new Error(
          `writing ${partial} failed: ${errorMessageLine(error)}`,
        );
      });
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true }).catch(() => {});
      throw error;
    }
    return digest.result();
  }

  async stat(key: string): Promise<ArchiveFacts | undefined> {
    try {
      return { sizeBytes: (await stat(this.#path(key))).size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return undefined;
      }
      throw error;
    }
  }

  async read(key: string): Promise<Readable> {
    const path = this.#path(key);
    try {
      // Opened here so that a missing file is an error now, not a stream event.
      return (await open(path)).createReadStream();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new NotFoundError(`${path} is missing`);
      }
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.discardPartial(key);
    await rm(this.#path(key), { force: true });
  }

  async discardPartial(key: string): Promise<void> {
    await rm(`${this.#path(key)}${PARTIAL_SUFFIX}`, { force: true });
  }

  async list(): Promise<ArchiveEntry[]> {
    const entries: ArchiveEntry[] = [];
    for (const cluster of await subdirectories(this.#root)) {
      const clusterDir = join(this.#root, cluster);
      for (const databaseName of await subdirectories(clusterDir)) {
        const databaseDir = join(clusterDir, databaseName);
        for (const file of await readdir(databaseDir)) {
          const partial = file.endsWith(PARTIAL_SUFFIX);
          const name = partial ? file.slice(0, -PARTIAL_SUFFIX.length) : file;
          const key = `${cluster}/${databaseName}/${name}`;
          // Files we did not write are none of our business.
          if (parseArchiveKey(key)) {
            entries.push({
              key,
              partial,
              location: join(databaseDir, file),
            });
          }
        }
      }
    }
    return entries;
  }

  /** `<directory>/<key>`; a key that would leave the directory is refused. */
  #path(key: string): string {
    const path = resolve(this.#root, key);
    if (!path.startsWith(`${this.#root}${sep}`)) {
      throw new Error(`Archive key '${key}' is outside ${this.#root}`);
    }
    return path;
  }
}

async function subdirectories(path: string): Promise<string[]> {
  try {
    const entries = await readdir(path, { withFileTypes: true });
    return entries.filter(e => e.isDirectory()).map(e => e.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw error;
  }
}
