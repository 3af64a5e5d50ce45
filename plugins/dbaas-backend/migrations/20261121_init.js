// @ts-check

/**
 * The inventory: one row per (namespace, name) the suite knows about, from
 * the apps repo, its pull requests or a cluster, and every status change.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dbaas_databases', table => {
    table.comment(
      'Databases known from the apps repo, pull requests and clusters',
    );
    table
      .string('namespace', 63)
      .notNullable()
      .comment('Tenant (Kubernetes namespace)');
    table
      .string('name', 63)
      .notNullable()
      .comment('Database name inside the namespace');
    // '<namespace>-<name>' is what exists in the cluster; two pairs that
    // produce the same one must never both exist.
    table.string('database_name', 63).notNullable().unique();
    table.string('mode', 16).notNullable().defaultTo('standard');
    table.string('status', 32).notNullable();
    table.timestamp('status_since', { useTz: true }).notNullable();
    table.text('status_reason').nullable();
    table.string('cluster', 255).nullable();
    table.string('folder', 255).nullable().comment('Folder in the apps repo');
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.primary(['namespace', 'name']);
    table.index(['status'], 'dbaas_databases_status_idx');
  });

  await knex.schema.createTable('dbaas_database_status_history', table => {
    table.comment('Every status change of a database, with its reason');
    table.bigIncrements('id').primary();
    table.string('namespace', 63).notNullable();
    table.string('name', 63).notNullable();
    table.string('from_status', 32).nullable();
    table.string('to_status', 32).notNullable();
    table.text('reason').nullable();
    table
      .timestamp('changed_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table
      .foreign(['namespace', 'name'])
      .references(['namespace', 'name'])
      .inTable('dbaas_databases')
      .onDelete('CASCADE');
    table.index(
      ['namespace', 'name', 'changed_at'],
      'dbaas_status_history_db_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dbaas_database_status_history');
  await knex.schema.dropTable('dbaas_databases');
};
