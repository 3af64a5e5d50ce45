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

/** Many blobs read at once (a commit's archive) instead of one call each. */
export interface BulkBlobRead {
  /** Used when more than this many blobs are missing from the cache. */
  threshold: number;
  /**
   * Reads some or all of the `missing` blobs; those it cannot give (or
   * that do not hash to their sha) are read one by one.
   */
  read(missing: ReadonlySet<string>): Promise<Map<string, string>>;
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
   * read again. With `bulk`, when more than its threshold are missing, they
   * are read through it first.
   */
  async blobs(
    shas: readonly string[],
    bulk?: BulkBlobRead,
  ): Promise<Map<string, string>> {
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
    const fresh: GitObjectCacheEntry[] = [];
    if (bulk && wanted.length - contents.size > bulk.threshold) {
      const got = await this.#bulk(
        bulk,
        new Set(wanted.filter(sha => !contents.has(sha))),
      );
      for (const [sha, content] of got) {
        if (contents.has(sha) || gitBlobSha(content) !== sha) continue;
        contents.set(sha, content);
        fresh.push({ key: blobKey(sha), value: content });
      }
    }
    const missing = wanted.filter(sha => !contents.has(sha));
    const read = await mapLimit(missing, BLOB_CONCURRENCY, sha =>
      this.api.getBlob(sha),
    );
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

  /** A bulk read is only a saving too: when it fails, blobs are read one by one. */
  async #bulk(
    bulk: BulkBlobRead,
    missing: Set<string>,
  ): Promise<Map<string, string>> {
    try {
      return await bulk.read(missing);
    } catch (error) {
      this.logger?.warn(
        `Could not read ${
          missing.size
        } blobs at once, reading them one by one: ${describe(error)}`,
      );
      return new Map();
    }
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
