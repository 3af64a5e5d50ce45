import type { GitObjectCache, GitObjectCacheEntry } from './GitObjectCache';

/** 32 MiB: some tens of thousands of `values.yaml` files. */
const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

/**
 * The default {@link GitObjectCache}: in this process, least recently used
 * entries dropped beyond `maxBytes` (UTF-16 size of keys and values, 32 MiB
 * by default). Lost on restart and not shared: give
 * {@link GitHubAppsRepository} a shared one (the dbaas backend's
 * `DatabaseGitObjectCache`) for that.
 *
 * @public
 */
export class InMemoryGitObjectCache implements GitObjectCache {
  readonly #entries = new Map<string, string>();
  readonly #maxBytes: number;
  #bytes = 0;

  constructor(options: { maxBytes?: number } = {}) {
    this.#maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  }

  async getMany(keys: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const key of keys) {
      const value = this.#entries.get(key);
      if (value === undefined) continue;
      // Move to the end: the most recently used.
      this.#entries.delete(key);
      this.#entries.set(key, value);
      found.set(key, value);
    }
    return found;
  }

  async putMany(entries: readonly GitObjectCacheEntry[]): Promise<void> {
    for (const { key, value } of entries) {
      if (this.#entries.has(key)) continue;
      const size = 2 * (key.length + value.length);
      if (size > this.#maxBytes) continue;
      this.#entries.set(key, value);
      this.#bytes += size;
    }
    for (const [key, value] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#remove(key, value);
    }
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      const value = this.#entries.get(key);
      if (value !== undefined) this.#remove(key, value);
    }
  }

  /** Entries held, for tests and diagnostics. */
  get size(): number {
    return this.#entries.size;
  }

  #remove(key: string, value: string) {
    this.#entries.delete(key);
    this.#bytes -= 2 * (key.length + value.length);
  }
}
