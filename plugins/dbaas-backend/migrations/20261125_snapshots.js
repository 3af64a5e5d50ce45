// @ts-check

/**
 * Logical snapshots (pg_dump) of databases on self-hosted clusters.
 *
 * One row per snapshot. `status`:
 * - `creating`: a replica is dumping; it refreshes `heartbeat_at` while
 *   pg_dump runs, so a row whose heartbeat stopped is a crashed replica's
 *   leftover, which the maintenance task (or the next `take`) marks failed.
 * - `available`: the dump file is complete; `size_bytes` and `checksum`
 *   describe it.
 * - `failed`: `error` says why; no file is kept.
 * - `deleted`: pruned (file removed, `deleted_at` set). The row stays a
 *   while so that billing can still tell which snapshots existed at a past
 *   moment; it is never listed.
 *
 * At most one `creating` row per database (partial unique index): that is
 * what makes "one snapshot of a database at a time" hold across replicas.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dbaas_snapshots', table => {
    table.comment('Logical (pg_dump) snapshots of self-hosted databases');
    table.string('id', 36).primary().comment('UUID; the file is <id>.dump');
    table.string('cluster', 255).notNullable();
    table.string('database_name', 63).notNullable();
    table.string('namespace', 63).notNullable();
    table.string('name', 63).notNullable();
    table
      .string('type', 16)
      .notNullable()
      .comment("'scheduled', 'on-demand' or 'final'");
    table
      .string('status', 16)
      .notNullable()
      .comment("'creating', 'available', 'failed' or 'deleted'");
    table
      .timestamp('created_at', { useTz: true })
      .notNullable()
      .comment('When pg_dump started: the moment the data is from');
    table
      .timestamp('completed_at', { useTz: true })
      .nullable()
      .comment('When the file became available (or the attempt failed)');
    table
      .timestamp('expires_at', { useTz: true })
      .notNullable()
      .comment("created_at + the environment's retention");
    table
      .timestamp('heartbeat_at', { useTz: true })
      .notNullable()
      .comment('Refreshed while pg_dump runs; stale means a crashed replica');
    table.timestamp('deleted_at', { useTz: true }).nullable();
    table.bigInteger('size_bytes').nullable();
    table.string('checksum', 80).nullable().comment('sha256:<hex>');
    table.string('engine_version', 64).nullable();
    table.text('error').nullable();
    table.index(
      ['cluster', 'database_name', 'created_at'],
      'dbaas_snapshots_database_idx',
    );
    table.index(['status', 'expires_at'], 'dbaas_snapshots_status_idx');
    table.unique(['cluster', 'database_name'], {
      indexName: 'dbaas_snapshots_one_creating_idx',
      predicate: knex.whereRaw("status = 'creating'"),
    });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dbaas_snapshots');
};
