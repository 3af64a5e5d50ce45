// @ts-check

/**
 * Restored copies: the databases `new-database` restores create, what
 * becomes of them (expiry, keep, delete now).
 *
 * - `dbaas_restored_copies`: one row per succeeded `new-database` restore
 *   (`restore_id`). `expires_at` is set when the row is recorded (the
 *   restore's end + `dbaas.restore.copies.expireAfter`); a copy whose
 *   `keep_requested_at` is set is never dropped by the expiry. A drop is
 *   claimed by setting `dropping_since` (one conditional update, so two
 *   replicas never drop the same copy, and a keep and a drop exclude each
 *   other); `dropped_at` once the database, its roles and secrets are gone.
 * - Copies of restores that succeeded before this migration are recorded
 *   without `expires_at`: they were made when copies did not expire, so
 *   they are never dropped unless someone deletes them.
 * - A database name can be restored into again once its copy is gone: the
 *   newer copy is recorded and the older row marked dropped.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dbaas_restored_copies', table => {
    table.comment('Databases created by new-database restores, and their fate');
    table
      .string('restore_id', 36)
      .primary()
      .references('id')
      .inTable('dbaas_restore_requests')
      .onDelete('CASCADE');
    table.string('namespace', 63).notNullable();
    table.string('name', 63).notNullable();
    table.string('database_name', 63).notNullable();
    table.string('cluster', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table
      .timestamp('expires_at', { useTz: true })
      .nullable()
      .comment('Dropped then unless kept; null: never expires');
    table
      .timestamp('expiry_warned_at', { useTz: true })
      .nullable()
      .comment('When the owners were told it expires soon');
    table.string('keep_requested_by', 255).nullable();
    table.timestamp('keep_requested_at', { useTz: true }).nullable();
    table.string('keep_branch', 255).nullable();
    table.integer('keep_pr_number').nullable();
    table.text('keep_pr_url').nullable();
    table.boolean('keep_merged').nullable();
    table
      .timestamp('dropping_since', { useTz: true })
      .nullable()
      .comment('A drop claimed it (retried when older than the claim time)');
    table
      .string('drop_reason', 16)
      .nullable()
      .comment("'expired' or 'deleted'");
    table.string('dropped_by', 255).nullable();
    table.timestamp('dropped_at', { useTz: true }).nullable();
    table.text('last_error').nullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['namespace', 'name'], 'dbaas_restored_copies_ref_idx');
    table.index(['expires_at'], 'dbaas_restored_copies_expiry_idx');
    table.index(
      ['cluster', 'database_name'],
      'dbaas_restored_copies_database_idx',
    );
  });
  // Earlier copies: known, never expired.
  await knex.raw(`
    INSERT INTO dbaas_restored_copies
      (restore_id, namespace, name, database_name, cluster, created_at, updated_at)
    SELECT DISTINCT ON (r.cluster, r.target_database_name)
      r.id, r.namespace,
      substr(r.target_database_name, length(r.namespace) + 2),
      r.target_database_name, r.cluster,
      coalesce(r.finished_at, r.updated_at), now()
    FROM dbaas_restore_requests r
    WHERE r.target = 'new-database' AND r.state = 'succeeded'
      AND r.target_database_name LIKE r.namespace || '-%'
    ORDER BY r.cluster, r.target_database_name, r.finished_at DESC NULLS LAST`);
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dbaas_restored_copies');
};
