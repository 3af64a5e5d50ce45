import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import { applyDatabaseMigrations } from '../database/migrations';
import { DatabaseGitObjectCache } from './DatabaseGitObjectCache';

jest.setTimeout(60_000);

// Only PostgreSQL, as in production (SQLite does not run under Node 24 here).
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const TABLE = 'dbaas_git_object_cache';

const entry = (i: number, value = `content ${i}\n`) => ({
  key: `blob:${String(i).padStart(40, '0')}`,
  value,
});

describe('DatabaseGitObjectCache', () => {
  let knex: Knex;

  beforeAll(async () => {
    knex = await databases.init('POSTGRES_15');
    await applyDatabaseMigrations(mockServices.database({ knex }));
  });

  beforeEach(async () => {
    await knex(TABLE).delete();
  });

  /** Sets when entries were last used, `days` ago. */
  const usedDaysAgo = (keys: string[], days: number) =>
    knex(TABLE)
      .whereIn('key', keys)
      .update({
        last_used_at: knex.raw(`now() - ? * interval '1 day'`, [days]),
      });

  it('stores and returns entries by key, leaving out missing ones', async () => {
    const cache = new DatabaseGitObjectCache(knex);
    await cache.putMany([
      entry(1),
      entry(2),
      { key: 'unicode', value: 'ü ✓\n' },
    ]);

    const found = await cache.getMany([
      entry(1).key,
      'unicode',
      'missing',
      entry(1).key,
    ]);

    expect(found).toEqual(
      new Map([
        [entry(1).key, entry(1).value],
        ['unicode', 'ü ✓\n'],
      ]),
    );
    const row = await knex(TABLE).where({ key: 'unicode' }).first();
    expect(row.size_bytes).toBe('unicode'.length + Buffer.byteLength('ü ✓\n'));
  });

  it('never overwrites an entry; a deleted one can be stored again', async () => {
    const cache = new DatabaseGitObjectCache(knex);
    await cache.putMany([entry(1)]);
    await cache.putMany([entry(1, 'something else')]);
    expect((await cache.getMany([entry(1).key])).get(entry(1).key)).toBe(
      entry(1).value,
    );

    await cache.deleteMany([entry(1).key, 'never there']);
    await cache.putMany([entry(1, 'replaced')]);
    expect((await cache.getMany([entry(1).key])).get(entry(1).key)).toBe(
      'replaced',
    );
  });

  it('takes concurrent writers of the same keys, in any order, without an error', async () => {
    // One statement each (under the chunk size), in opposite orders: without
    // the writers' key order two inserts would wait on each other.
    const entries = Array.from({ length: 400 }, (_, i) => entry(i));
    const reversed = [...entries].reverse();
    const client = knex;
    for (let round = 0; round < 5; round++) {
      await client(TABLE).delete();
      const replicas = [0, 1, 2, 3].map(
        () => new DatabaseGitObjectCache(client),
      );
      await Promise.all(
        replicas.map((replica, i) =>
          replica.putMany(i % 2 ? reversed : entries),
        ),
      );
      expect(await knex(TABLE).count({ n: '*' })).toEqual([{ n: '400' }]);
    }
    const found = await new DatabaseGitObjectCache(knex).getMany(
      entries.map(e => e.key),
    );
    expect(found.size).toBe(400);
  });

  it('skips what PostgreSQL text cannot hold and what is too large, storing the rest', async () => {
    const cache = new DatabaseGitObjectCache(knex, { maxEntryBytes: 100 });
    await cache.putMany([
      { key: 'nul', value: 'a\u0000b' },
      { key: 'big', value: 'x'.repeat(200) },
      { key: `long:${'k'.repeat(600)}`, value: 'v' },
      entry(1),
    ]);
    expect(await knex(TABLE).pluck('key')).toEqual([entry(1).key]);
  });

  it('evicts entries unused for maxAge, and the least recently used beyond maxBytes', async () => {
    const entries = [1, 2, 3, 4, 5, 6].map(i => entry(i, `v${i}\n`));
    await new DatabaseGitObjectCache(knex).putMany(entries);
    const cache = new DatabaseGitObjectCache(knex, {
      maxAge: { days: 30 },
      // Room for three entries of 45 (key) + 3 (value) bytes.
      maxBytes: 3 * 48,
    });
    await usedDaysAgo([entries[0].key], 31);
    await usedDaysAgo([entries[1].key], 29);
    await usedDaysAgo([entries[2].key], 5);
    await usedDaysAgo([entries[3].key], 4);

    expect(await cache.prune()).toEqual({ expired: 1, overSize: 2 });

    // Kept: the three most recently used.
    expect((await knex(TABLE).pluck('key')).sort()).toEqual(
      [entries[3].key, entries[4].key, entries[5].key].sort(),
    );
  });

  it('prunes by itself after a put, at most once per interval', async () => {
    const cache = new DatabaseGitObjectCache(knex, {
      maxAge: { days: 30 },
      pruneInterval: { hours: 1 },
    });
    await cache.putMany([entry(1)]);
    await usedDaysAgo([entry(1).key], 40);
    await cache.putMany([entry(2)]);
    // Pruned at the first put, not again within the hour.
    expect(await knex(TABLE).count({ n: '*' })).toEqual([{ n: '2' }]);

    const restarted = new DatabaseGitObjectCache(knex, {
      maxAge: { days: 30 },
    });
    await restarted.putMany([entry(3)]);
    expect((await knex(TABLE).pluck('key')).sort()).toEqual([
      entry(2).key,
      entry(3).key,
    ]);
  });

  it('marks entries used when read, at most once a day', async () => {
    const cache = new DatabaseGitObjectCache(knex, { maxAge: { days: 30 } });
    await cache.putMany([entry(1), entry(2)]);
    await usedDaysAgo([entry(1).key], 20);
    const recent = new Date(Date.now() - 60 * 60 * 1000);
    await knex(TABLE)
      .where({ key: entry(2).key })
      .update({ last_used_at: recent });

    await cache.getMany([entry(1).key, entry(2).key]);

    const rows = await knex(TABLE).select('key', 'last_used_at');
    const usedAt = new Map(
      rows.map(r => [r.key, new Date(r.last_used_at).getTime()]),
    );
    expect(Date.now() - usedAt.get(entry(1).key)!).toBeLessThan(60_000);
    // Read an hour ago: not written again.
    expect(usedAt.get(entry(2).key)).toBe(recent.getTime());
    // The one read 20 days ago survives the next prune.
    await cache.prune();
    expect(await knex(TABLE).count({ n: '*' })).toEqual([{ n: '2' }]);
  });

  it('reads its bounds from config and refuses bad ones', async () => {
    const config = (objectCache: object) =>
      new ConfigReader({ dbaas: { gitops: { objectCache } } });
    const small = DatabaseGitObjectCache.fromConfig(
      config({ maxAge: '1d', maxMegabytes: 0.0001 }),
      knex,
    );
    await small.putMany([entry(1, 'x'.repeat(50)), entry(2, 'y'.repeat(50))]);
    await small.prune();
    // 0.0001 MiB = 105 bytes: one entry of 95 bytes fits, not two.
    expect(await knex(TABLE).count({ n: '*' })).toEqual([{ n: '1' }]);

    expect(() =>
      DatabaseGitObjectCache.fromConfig(config({ maxMegabytes: -1 }), knex),
    ).toThrow(
      /dbaas.gitops.objectCache.maxMegabytes must be a positive number/,
    );
    expect(() =>
      DatabaseGitObjectCache.fromConfig(config({ maxAge: 'soon' }), knex),
    ).toThrow(/dbaas.gitops.objectCache.maxAge/);
    expect(() =>
      DatabaseGitObjectCache.fromConfig(config({ maxAge: '0s' }), knex),
    ).toThrow(/must be longer than 0/);
  });
});
