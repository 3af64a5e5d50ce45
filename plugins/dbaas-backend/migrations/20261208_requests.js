// @ts-check

/**
 * `dbaas_apps_repo_views`: what the inventory last read of the apps
 * repository, so that a database request can be checked against the
 * inventory (no GitHub call) and built on the base head it saw.
 *
 * One row per apps repository the plugin syncs (`repository`: today only
 * `default`), written at the end of every completed inventory cycle:
 * - `synced_at`: when the cycle completed; no row means the inventory has
 *   never synced and a request is checked against the repository itself;
 * - `base_branch` / `base_sha`: the base branch and the head whose
 *   definitions the cycle read (null when the repository cannot tell).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dbaas_apps_repo_views', table => {
    table.comment(
      'What the inventory last read of the apps repository: when, and at which base head',
    );
    table.string('repository', 255).primary();
    table.timestamp('synced_at', { useTz: true }).notNullable();
    table.string('base_branch', 255).notNullable();
    table
      .string('base_sha', 64)
      .nullable()
      .comment('Head of the base branch whose definitions were read');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dbaas_apps_repo_views');
};
