// @ts-check

/**
 * `dbaas_git_object_cache`: git objects read from the GitHub apps
 * repository, and what is derived from them, by sha (see `GitObjectCache`
 * in `@dbaas/plugin-dbaas-node`), shared by every replica so that a restart
 * or a new replica reads only what changed.
 *
 * - `key`: `blob:<sha>` (a blob's content) or `definitions:<tree sha>:<base
 *   path>` (the definition files of a tree, JSON). A sha names one content
 *   forever, so a row is never updated or invalidated: writers insert with
 *   `ON CONFLICT DO NOTHING`, readers verify what they read.
 * - `size_bytes`: bytes of key and value, for the size bound.
 * - `last_used_at`: last read or write (refreshed at most once per touch
 *   interval), for evicting what nobody has used for a while and, beyond the
 *   size bound, the least recently used.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dbaas_git_object_cache', table => {
    table.comment(
      'Git objects of the GitHub apps repository by sha (content-addressed, never stale), shared by replicas',
    );
    table.text('key').notNullable().primary();
    table.text('value').notNullable();
    table.integer('size_bytes').notNullable();
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table
      .timestamp('last_used_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.index(['last_used_at'], 'dbaas_git_object_cache_last_used_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dbaas_git_object_cache');
};
