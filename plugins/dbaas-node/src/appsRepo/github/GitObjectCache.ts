/**
 * One entry of a {@link GitObjectCache}.
 *
 * @public
 */
export interface GitObjectCacheEntry {
  key: string;
  value: string;
}

/**
 * A store of git objects read from GitHub, and of what is derived from
 * them, by sha: what {@link GitHubAppsRepository} reads once need not be
 * read again, by this process after a restart or by another replica. Keys:
 *
 * - `blob:<sha>`: a blob's content (UTF-8);
 * - `definitions:<tree sha>:<base path>`: the database definition files of
 *   a tree (JSON `[[path, blob sha], ...]`), so that an unchanged tree
 *   costs no tree listing.
 *
 * A sha names one content forever, so an entry never becomes stale and is
 * never invalidated, only evicted (by whatever bound the implementation
 * keeps). The repository does not trust what it gets back blindly: it
 * recomputes a blob's sha and checks a listing's shape, treats anything
 * wrong as missing (reading it from GitHub again) and deletes it. Errors of
 * the cache are logged and never fail a read.
 *
 * Implementations: {@link InMemoryGitObjectCache} (the default, per
 * process) and the dbaas backend's `DatabaseGitObjectCache` (PostgreSQL,
 * shared by replicas).
 *
 * @public
 */
export interface GitObjectCache {
  /** The entries of those keys that are stored; the others are left out. */
  getMany(keys: readonly string[]): Promise<Map<string, string>>;
  /**
   * Stores entries. A key already stored keeps its value (the same one,
   * since keys are content addresses); several writers may put the same
   * keys at the same time.
   */
  putMany(entries: readonly GitObjectCacheEntry[]): Promise<void>;
  /** Deletes entries a reader found wrong, so that the next put replaces them. */
  deleteMany(keys: readonly string[]): Promise<void>;
}

/** Key of a blob's content. */
export const blobKey = (sha: string) => `blob:${sha}`;

/** Key of the definition files of a tree under a base path. */
export const definitionsKey = (treeSha: string, basePath: string) =>
  `definitions:${treeSha}:${basePath}`;
