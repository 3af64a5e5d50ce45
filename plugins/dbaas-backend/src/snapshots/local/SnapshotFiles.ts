import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

/** Snapshot ids are UUIDs; anything else never names a file. */
const SNAPSHOT_ID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DUMP_SUFFIX = '.dump';
const PARTIAL_SUFFIX = '.dump.partial';

export function isSnapshotId(id: string): boolean {
  return SNAPSHOT_ID.test(id);
}

/** A file found under the snapshot directory. */
export interface SnapshotFileEntry {
  cluster: string;
  databaseName: string;
  id: string;
  path: string;
  partial: boolean;
}

/**
 * Where dump files live: `<directory>/<cluster>/<databaseName>/<id>.dump`,
 * written first as `<id>.dump.partial` and renamed when complete, so a
 * `.dump` file is always a whole dump. Directories are 0700 and files
 * 0600: they hold every tenant's data.
 */
export class SnapshotFiles {
  constructor(readonly directory: string) {}

  dumpPath(cluster: string, databaseName: string, id: string): string {
    return join(
      this.#databaseDir(cluster, databaseName),
      `${id}${DUMP_SUFFIX}`,
    );
  }

  partialPath(cluster: string, databaseName: string, id: string): string {
    return join(
      this.#databaseDir(cluster, databaseName),
      `${id}${PARTIAL_SUFFIX}`,
    );
  }

  /** Creates the snapshot directory tree; fails clearly when it cannot. */
  async prepare(cluster: string, databaseName: string): Promise<void> {
    await mkdir(this.#databaseDir(cluster, databaseName), {
      recursive: true,
      mode: 0o700,
    });
  }

  /** Makes a complete partial file the snapshot's dump file. */
  async publish(
    cluster: string,
    databaseName: string,
    id: string,
  ): Promise<string> {
    const target = this.dumpPath(cluster, databaseName, id);
    await rename(this.partialPath(cluster, databaseName, id), target);
    return target;
  }

  /** Removes a snapshot's dump and partial files; missing files are fine. */
  async remove(cluster: string, databaseName: string, id: string) {
    await rm(this.partialPath(cluster, databaseName, id), { force: true });
    await rm(this.dumpPath(cluster, databaseName, id), { force: true });
  }

  /** Size, or undefined when the file is not there. */
  async size(path: string): Promise<number | undefined> {
    try {
      return (await stat(path)).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return undefined;
      }
      throw error;
    }
  }

  /** Every snapshot file (complete or partial) under the directory. */
  async listAll(): Promise<SnapshotFileEntry[]> {
    const entries: SnapshotFileEntry[] = [];
    for (const cluster of await subdirectories(this.directory)) {
      const clusterDir = join(this.directory, cluster);
      for (const databaseName of await subdirectories(clusterDir)) {
        const databaseDir = join(clusterDir, databaseName);
        for (const file of await readdir(databaseDir)) {
          const partial = file.endsWith(PARTIAL_SUFFIX);
          const id = partial
            ? file.slice(0, -PARTIAL_SUFFIX.length)
            : file.endsWith(DUMP_SUFFIX) && file.slice(0, -DUMP_SUFFIX.length);
          // Files we did not write are none of our business.
          if (id && isSnapshotId(id)) {
            entries.push({
              cluster,
              databaseName,
              id,
              path: join(databaseDir, file),
              partial,
            });
          }
        }
      }
    }
    return entries;
  }

  #databaseDir(cluster: string, databaseName: string): string {
    return join(this.directory, cluster, databaseName);
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

/** `sha256:<hex>` of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return `sha256:${hash.digest('hex')}`;
}
