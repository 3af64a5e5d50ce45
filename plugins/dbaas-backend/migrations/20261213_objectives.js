// @ts-check

/**
 * Recovery objectives (RPO/RTO) and restore drills.
 *
 * - `dbaas_recovery_status`: one row per database, written by the
 *   objectives task: the newest point the database can be restored to
 *   (newest available snapshot, or Aurora's latest restorable time), the
 *   measured recovery time, and the RPO miss being notified. The age of the
 *   recovery point is computed when read, so a miss shows at once; the
 *   notification is sent once per miss: `rpo_notified_at` is set by one
 *   conditional UPDATE and cleared when the objective is met again.
 * - `dbaas_restore_drills`: one row per drill (or skipped attempt). At most
 *   one `running` drill per database (partial unique index): with the
 *   claim's advisory lock, two replicas never drill a database twice at
 *   once. `heartbeat_at` is refreshed while a drill runs; a `running` row
 *   whose heartbeat stopped is a crashed replica's, failed by the next
 *   cycle, which also drops its scratch database.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dbaas_recovery_status', table => {
    table.comment('Recovery points and measured recovery times per database');
    table.string('namespace', 63).notNullable();
    table.string('name', 63).notNullable();
    table.string('database_name', 63).notNullable();
    table.string('cluster', 255).notNullable();
    table
      .timestamp('recovery_point_at', { useTz: true })
      .nullable()
      .comment('Newest moment the data can be restored to; null: none yet');
    table
      .string('recovery_point_source', 32)
      .nullable()
      .comment("'snapshot' or 'restorable-time' (Aurora)");
    table.string('recovery_point_id', 1024).nullable().comment('Snapshot id');
    table
      .bigInteger('snapshot_size_bytes')
      .nullable()
      .comment('Size of that snapshot (logical snapshots): scales the RTO');
    table
      .text('recovery_point_error')
      .nullable()
      .comment('Why the recovery point could not be read this time');
    table
      .timestamp('exposed_since', { useTz: true })
      .notNullable()
      .comment('Without a recovery point: since when the data exists');
    table.bigInteger('rto_estimate_ms').nullable();
    table
      .text('rto_basis')
      .nullable()
      .comment('JSON: scope, runs, newestRunAt, method');
    table
      .text('rto_failure')
      .nullable()
      .comment('Set while the newest drill failed and nothing restored since');
    table.string('last_drill_state', 16).nullable();
    table.timestamp('last_drill_at', { useTz: true }).nullable();
    table.timestamp('evaluated_at', { useTz: true }).notNullable();
    table.timestamp('rpo_missed_since', { useTz: true }).nullable();
    table
      .timestamp('rpo_notified_at', { useTz: true })
      .nullable()
      .comment('The current miss was notified (cleared once met again)');
    table.primary(['namespace', 'name'], {
      constraintName: 'dbaas_recovery_status_pkey',
    });
  });

  await knex.schema.createTable('dbaas_restore_drills', table => {
    table.comment('Restore drills: newest snapshot restored into a scratch DB');
    table.string('id', 36).primary();
    table.string('namespace', 63).notNullable();
    table.string('name', 63).notNullable();
    table.string('database_name', 63).notNullable();
    table.string('cluster', 255).notNullable();
    table
      .string('state', 16)
      .notNullable()
      .comment("'running', 'passed', 'failed' or 'skipped'");
    table.string('scratch_database', 63).nullable();
    table.string('snapshot_id', 1024).nullable();
    table.timestamp('snapshot_created_at', { useTz: true }).nullable();
    table.bigInteger('snapshot_size_bytes').nullable();
    table.string('owner', 255).nullable().comment('Replica running it');
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('heartbeat_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table
      .bigInteger('duration_ms')
      .nullable()
      .comment('Restore and verification: the measured recovery time');
    table.bigInteger('restored_size_bytes').nullable();
    table.text('verification').nullable();
    table.text('error').nullable();
    table
      .text('log')
      .notNullable()
      .defaultTo('[]')
      .comment('JSON array of {at, level, message}');
    table.index(
      ['namespace', 'name', 'started_at'],
      'dbaas_restore_drills_database_idx',
    );
    table.index(['state', 'heartbeat_at'], 'dbaas_restore_drills_state_idx');
  });
  await knex.raw(`
    CREATE UNIQUE INDEX dbaas_restore_drills_one_running_idx
      ON dbaas_restore_drills (namespace, name)
      WHERE state = 'running'`);
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dbaas_restore_drills');
  await knex.schema.dropTable('dbaas_recovery_status');
};
