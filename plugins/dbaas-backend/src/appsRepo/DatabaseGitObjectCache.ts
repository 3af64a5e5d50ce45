import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import type {
  GitObjectCache,
  GitObjectCacheEntry,
} from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import { readOptionalDuration } from '../config/readOptionalDuration';

const TABLE = 'dbaas_git_object_cache';
/** Keys and rows per statement. */
const CHUNK = 500;
/** Longer keys are not stored (a btree entry must stay well under 2.7 kB). */
const MAX_KEY_LENGTH = 512;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Bounds of a {@link DatabaseGitObjectCache}. */
export interface GitObjectCacheLimits {
  /** Entries nobody read or wrote for this long are deleted (default 30 days). */
  maxAge: HumanDuration;
  /** Beyond this many bytes the least recently used entries are deleted (default 256 MiB). */
  maxBytes: number;
  /** Larger values are not stored (default 1 MiB, GitHub's limit for file contents). */
  maxEntryBytes: number;
  /** How often one instance prunes, at most, after it stored something (default 1 hour). */
  pruneInterval: HumanDuration;
}

const DEFAULT_LIMITS: GitObjectCacheLimits = {
  maxAge: { days: 30 },
  maxBytes: 256 * 1024 * 1024,
  maxEntryBytes: 1024 * 1024,
  pruneInterval: { hours: 1 },
};

/**
 * The git object cache of the GitHub apps repository in the plugin's
 * PostgreSQL database (`dbaas_git_object_cache`), shared by every replica
 * and kept across restarts: the first sync after a start, and every sync
 * on a new replica, reads from GitHub only what changed since some replica
 * last read it.
 *
 * Entries are content-addressed (a sha names one content forever), so
 * nothing is ever invalidated or updated: concurrent writers insert with
 * `ON CONFLICT DO NOTHING`, in key order so that two batches never wait on
 * each other in a cycle. Readers verify what they get (see
 * `GitObjectCache`).
 *
 * Bounded two ways, pruned by whichever instance stored something and has
 * not pruned for `pruneInterval`:
 * - by age: entries nobody used for `maxAge` go. Old versions of files
 *   and old tree listings stop being used as soon as the branch moves past
 *   them, while the sync uses every current one each cycle, so age alone
 *   keeps the table at about the current tree plus recent history;
 * - by size: beyond `maxBytes` the least recently used go, a guard against
 *   a repository that changes faster than `maxAge` expects. It must stay
 *   well above one tree's definitions (about 1 kB per `values.yaml`), or
 *   every cycle would read them again.
 *
 * `last_used_at` is refreshed on reads at most once per tenth of `maxAge`
 * (at most daily), so that a sync every minute does not rewrite every row.
 */
export class DatabaseGitObjectCache implements GitObjectCache {
  /**
   * Reads `dbaas.gitops.objectCache.maxAge` (a duration) and
   * `dbaas.gitops.objectCache.maxMegabytes`.
   */
  static fromConfig(
    config: Config,
    knex: Knex,
    logger?: LoggerService,
  ): DatabaseGitObjectCache {
    const key = 'dbaas.gitops.objectCache';
    const megabytes = config.getOptionalNumber(`${key}.maxMegabytes`);
    if (megabytes !== undefined && !(megabytes > 0)) {
      throw new InputError(
        `${key}.maxMegabytes must be a positive number, got ${megabytes}`,
      );
    }
    return new DatabaseGitObjectCache(knex, {
      logger,
      maxAge: readOptionalDuration(
        config,
        `${key}.maxAge`,
        DEFAULT_LIMITS.maxAge,
      ),
      ...(megabytes ? { maxBytes: Math.round(megabytes * 1024 * 1024) } : {}),
    });
  }

  readonly #logger?: LoggerService;
  readonly #limits: GitObjectCacheLimits;
  readonly #maxAgeMs: number;
  readonly #touchAfterMs: number;
  #lastPrune?: number;

  constructor(
    private readonly knex: Knex,
    options: Partial<GitObjectCacheLimits> & { logger?: LoggerService } = {},
  ) {
    const { logger, ...limits } = options;
    this.#logger = logger;
    this.#limits = { ...DEFAULT_LIMITS, ...limits };
    this.#maxAgeMs = durationToMilliseconds(this.#limits.maxAge);
    if (!(this.#maxAgeMs > 0)) {
      throw new InputError(
        'dbaas.gitops.objectCache.maxAge must be longer than 0',
      );
    }
    this.#touchAfterMs = Math.min(DAY_MS, this.#maxAgeMs / 10);
  }

  async getMany(keys: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const chunk of chunks([...new Set(keys)])) {
      const rows: { key: string; value: string }[] = await this.knex(TABLE)
        .select('key', 'value')
        .whereIn('key', chunk);
      for (const row of rows) found.set(row.key, row.value);
    }
    await this.#touch([...found.keys()]);
    return found;
  }

  async putMany(entries: readonly GitObjectCacheEntry[]): Promise<void> {
    const rows = new Map<
      string,
      { key: string; value: string; size_bytes: number }
    >();
    for (const { key, value } of entries) {
      const size = Buffer.byteLength(key) + Buffer.byteLength(value);
      // PostgreSQL text cannot hold NUL; such an entry is simply not kept.
      if (
        key.length > MAX_KEY_LENGTH ||
        size > this.#limits.maxEntryBytes ||
        key.includes('\u0000') ||
        value.includes('\u0000')
      ) {
        continue;
      }
      rows.set(key, { key, value, size_bytes: size });
    }
    // Every writer inserts in key order (keys are unique: a Map's), else two
    // writers of the same keys can deadlock on each other's rows.
    const sorted = [...rows.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
    for (const chunk of chunks(sorted)) {
      await this.knex(TABLE).insert(chunk).onConflict('key').ignore();
    }
    if (sorted.length) await this.#pruneNowAndThen();
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    for (const chunk of chunks([...new Set(keys)])) {
      await this.knex(TABLE).whereIn('key', chunk).delete();
    }
  }

  /**
   * Deletes entries unused for `maxAge`, then the least recently used
   * beyond `maxBytes`. Safe on several replicas at once.
   */
  async prune(): Promise<{ expired: number; overSize: number }> {
    const expired = await this.knex(TABLE)
      .where(
        'last_used_at',
        '<',
        this.knex.raw(`now() - ? * interval '1 millisecond'`, [this.#maxAgeMs]),
      )
      .delete();
    // Keep the most recently used entries whose sizes add up to maxBytes.
    const overSize = await this.knex(TABLE)
      .whereIn(
        'key',
        this.knex
          .select('key')
          .from(
            this.knex(TABLE)
              .select(
                'key',
                this.knex.raw(
                  'sum(size_bytes) over (order by last_used_at desc, key) as running',
                ),
              )
              .as('ranked'),
          )
          .where('running', '>', this.#limits.maxBytes),
      )
      .delete();
    return { expired, overSize };
  }

  /** Marks entries used, unless they were marked recently. */
  async #touch(keys: string[]) {
    for (const chunk of chunks(keys)) {
      await this.knex(TABLE)
        .whereIn('key', chunk)
        .where(
          'last_used_at',
          '<',
          this.knex.raw(`now() - ? * interval '1 millisecond'`, [
            this.#touchAfterMs,
          ]),
        )
        .update({ last_used_at: this.knex.fn.now() });
    }
  }

  async #pruneNowAndThen() {
    const now = Date.now();
    const interval = durationToMilliseconds(this.#limits.pruneInterval);
    if (this.#lastPrune !== undefined && now - this.#lastPrune < interval) {
      return;
    }
    this.#lastPrune = now;
    const { expired, overSize } = await this.prune();
    if (expired || overSize) {
      this.#logger?.info(
        `Git object cache: deleted ${expired} entries unused for ${Math.round(
          this.#maxAgeMs / DAY_MS,
        )} days and ${overSize} beyond ${this.#limits.maxBytes} bytes`,
      );
    }
  }
}

function chunks<T>(items: T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    result.push(items.slice(i, i + CHUNK));
  }
  return result;
}
