// @ts-check

/**
 * What the inventory sync keeps per database beyond its status, and the
 * table of the local secret store (embedded default).
 *
 * - `pull_requests`: JSON array of the suite's pull requests about the
 *   database (`DatabasePullRequest[]`), newest first. Text rather than a
 *   JSON column type so that every database Backstage supports reads it the
 *   same way.
 * - `folder_path` replaces the unused `folder`: `<basePath>/<namespace>/<folder>`.
 * - `managed_since`: first time the definition was seen on the base branch;
 *   never cleared, so that a database removed from the repository is known
 *   to have been managed (standard -> dropped, protected -> orphaned) and is
 *   never mistaken for an unmanaged one.
 * - `unknown_since` / `unknown_reason`: set while the database's cluster
 *   cannot be reached; the status is then the last one known.
 * - `database_name` stays unique only among databases that may exist: a
 *   `deleted` or `abandoned` `a-b`/`c` must not block a later `a`/`b-c`
 *   (on PostgreSQL and SQLite, with a partial unique index).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dbaas_databases', table => {
    table.dropColumn('folder');
    table
      .text('folder_path')
      .nullable()
      .comment(
        '<basePath>/<namespace>/<folder> in the apps repo, once defined',
      );
    table
      .text('pull_requests')
      .notNullable()
      .defaultTo('[]')
      .comment('JSON array of the pull requests about it, newest first');
    table
      .timestamp('managed_since', { useTz: true })
      .nullable()
      .comment('First time it was defined on the base branch');
    table.text('last_error').nullable();
    table.bigInteger('size_bytes').nullable();
    table
      .timestamp('unknown_since', { useTz: true })
      .nullable()
      .comment('Set while its cluster cannot be reached');
    table.text('unknown_reason').nullable();
    table.index(['cluster'], 'dbaas_databases_cluster_idx');
  });

  if (supportsPartialIndexes(knex)) {
    await knex.schema.alterTable('dbaas_databases', table => {
      table.dropUnique(['database_name']);
    });
    await knex.raw(
      `CREATE UNIQUE INDEX dbaas_databases_active_name_idx
         ON dbaas_databases (database_name)
         WHERE status NOT IN ('deleted', 'abandoned')`,
    );
  }

  await knex.schema.createTable('dbaas_local_secrets', table => {
    table.comment(
      'Role credentials of the local secret store (embedded default); never served to browsers',
    );
    table
      .string('path', 512)
      .primary()
      .comment('Secret path, e.g. customer/<namespace>/<role>');
    table.string('username', 63).notNullable();
    table.text('password').notNullable();
    table.string('endpoint', 255).notNullable();
    table.integer('port').notNullable();
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
  });
};

/**
 * Restoring the full unique constraint fails if a deleted and an active
 * database share a name; drop the deleted row first in that case.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dbaas_local_secrets');

  if (supportsPartialIndexes(knex)) {
    await knex.raw('DROP INDEX dbaas_databases_active_name_idx');
    await knex.schema.alterTable('dbaas_databases', table => {
      table.unique(['database_name']);
    });
  }

  await knex.schema.alterTable('dbaas_databases', table => {
    table.dropIndex(['cluster'], 'dbaas_databases_cluster_idx');
    table.dropColumn('unknown_reason');
    table.dropColumn('unknown_since');
    table.dropColumn('size_bytes');
    table.dropColumn('last_error');
    table.dropColumn('managed_since');
    table.dropColumn('pull_requests');
    table.dropColumn('folder_path');
    table.string('folder', 255).nullable().comment('Folder in the apps repo');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
function supportsPartialIndexes(knex) {
  const client = String(knex.client.config.client);
  return /pg|postgres|sqlite/.test(client);
}
