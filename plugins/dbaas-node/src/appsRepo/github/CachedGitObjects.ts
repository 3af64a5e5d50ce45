import type { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { mapLimit } from '../mapLimit';
import { GitHubApi } from './GitHubApi';
import { GitObjectCache, GitObjectCacheEntry, blobKey } from './GitObjectCache';
import { gitBlobSha } from './revision';

/** Blob requests in flight at once. */
const BLOB_CONCURRENCY = 8;

function describe(error: unknown): string {
  return isError(error) ? error.message : String(error);
}

/**
 * Git objects read through a {@link GitObjectCache}: what the cache holds
 * (and checks out) costs no call; the rest is read from GitHub and put in
 * the cache. The cache is only a saving: when it fails, the objects are
 * read from GitHub and the failure is logged.
 */
export class CachedGitObjects {
  constructor(
    private readonly api: GitHubApi,
    private readonly cache: GitObjectCache,
    private readonly logger?: LoggerService,
  ) {}

  /**
   * The contents of blobs by sha. A cached content is used only when it
   * hashes to its sha: a corrupted or foreign entry is deleted and the blob
   * read again.
   */
  async blobs(shas: readonly string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(shas)];
    const cached = await this.#get(wanted.map(blobKey));
    const contents = new Map<string, string>();
    const wrong: string[] = [];
    for (const sha of wanted) {
      const content = cached.get(blobKey(sha));
      if (content === undefined) continue;
      if (gitBlobSha(content) === sha) {
        contents.set(sha, content);
      } else {
        wrong.push(blobKey(sha));
      }
    }
    await this.#forget(wrong);
    const missing = wanted.filter(sha => !contents.has(sha));
    const read = await mapLimit(missing, BLOB_CONCURRENCY, sha =>
      this.api.getBlob(sha),
    );
    const fresh: GitObjectCacheEntry[] = [];
    missing.forEach((sha, i) => {
      contents.set(sha, read[i]);
      // A blob that is not valid UTF-8 does not survive decoding and would
      // never check out: not worth storing.
      if (gitBlobSha(read[i]) === sha) {
        fresh.push({ key: blobKey(sha), value: read[i] });
      }
    });
    await this.#put(fresh);
    return contents;
  }

  /**
   * A value derived from git objects alone (so it never changes for its
   * key): the cached one when `parse` accepts it, else `compute`d and
   * cached. An entry `parse` rejects is deleted.
   */
  async derived<T>(
    key: string,
    codec: {
      parse: (value: string) => T | undefined;
      serialize: (value: T) => string;
    },
    compute: () => Promise<T>,
  ): Promise<T> {
    const cached = (await this.#get([key])).get(key);
    if (cached !== undefined) {
      const parsed = codec.parse(cached);
      if (parsed !== undefined) return parsed;
      await this.#forget([key]);
    }
    const value = await compute();
    await this.#put([{ key, value: codec.serialize(value) }]);
    return value;
  }

  async #get(keys: string[]): Promise<Map<string, string>> {
    if (!keys.length) return new Map();
    try {
      return await this.cache.getMany(keys);
    } catch (error) {
      this.logger?.warn(
        `Could not read the git object cache, reading from GitHub: ${describe(
          error,
        )}`,
      );
      return new Map();
    }
  }

  async #put(entries: GitObjectCacheEntry[]) {
    if (!entries.length) return;
    try {
      await this.cache.putMany(entries);
    } catch (error) {
      this.logger?.warn(
        `Could not store ${entries.length} git objects in the cache: ${describe(
          error,
        )}`,
      );
    }
  }

  async #forget(keys: string[]) {
    if (!keys.length) return;
    this.logger?.warn(
      `The git object cache held ${keys.length} wrong entries (${keys
        .slice(0, 3)
        .join(', ')}${keys.length > 3 ? ', ...' : ''}); reading them again`,
    );
    try {
      await this.cache.deleteMany(keys);
    } catch (error) {
      this.logger?.warn(
        `Could not delete wrong git object cache entries: ${describe(error)}`,
      );
    }
  }
}
