// @ts-check

/**
 * Restore requests, their approvals and step logs, and the durable state of
 * the restore workflow.
 *
 * - `dbaas_restore_requests`: one row per request. Besides what the API
 *   shows, it holds the workflow's persisted state (`work_state`, the
 *   planned `steps`, `current_step`), the lease of the replica driving it
 *   (`lease_owner`, `lease_expires_at`), when to try again after a `wait`
 *   (`next_attempt_at`) and the in-place safety copy's life.
 * - `dbaas_restore_approvals`: one row per approver and request, bound to
 *   the request's fingerprint at the time.
 * - `dbaas_restore_log`: the readable step log.
 *
 * Two partial unique indexes make "one active restore per database" hold
 * even when requests race on several replicas: at most one request per
 * (cluster, database) in `pending-approval`, `approved` or `running`, and
 * no two active new-database restores into the same target database.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dbaas_restore_requests', table => {
    table.comment('Restore requests and the durable state of their workflow');
    table.string('id', 36).primary();
    table.string('namespace', 63).notNullable();
    table.string('name', 63).notNullable();
    table.string('database_name', 63).notNullable();
    table.string('cluster', 255).notNullable();
    table.string('mode', 16).notNullable();
    table.string('snapshot_id', 1024).notNullable();
    table.timestamp('snapshot_created_at', { useTz: true }).notNullable();
    table.string('target', 16).notNullable();
    table.string('target_database_name', 63).notNullable();
    table.text('reason').notNullable();
    table.string('state', 32).notNullable();
    table.string('requested_by', 255).notNullable();
    table.timestamp('requested_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.string('fingerprint', 64).notNullable();
    table.integer('approvals_required').notNullable();
    table.string('rejected_by', 255).nullable();
    table.timestamp('rejected_at', { useTz: true }).nullable();
    table.text('rejection_reason').nullable();
    table.string('cancelled_by', 255).nullable();
    table.timestamp('cancelled_at', { useTz: true }).nullable();
    table.text('cancellation_reason').nullable();
    table
      .text('steps')
      .nullable()
      .comment('JSON array: the steps planned when the run started');
    table
      .string('current_step', 32)
      .nullable()
      .comment('The step running (re-run on resume) or the one that failed');
    table
      .string('phase', 16)
      .nullable()
      .comment("'steps' while running steps, 'cleanup' after a step failed");
    table
      .integer('step_attempts')
      .notNullable()
      .defaultTo(0)
      .comment('Attempts of the current step that never reported back');
    table
      .text('work_state')
      .notNullable()
      .defaultTo('{}')
      .comment('JSON the engine steps hand to each other');
    table.text('error').nullable();
    table.string('lease_owner', 255).nullable();
    table.timestamp('lease_expires_at', { useTz: true }).nullable();
    table.timestamp('next_attempt_at', { useTz: true }).nullable();
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.string('safety_copy_name', 63).nullable();
    table.timestamp('safety_copy_drop_after', { useTz: true }).nullable();
    table.timestamp('safety_copy_dropped_at', { useTz: true }).nullable();
    table.index(['state', 'next_attempt_at'], 'dbaas_restore_requests_due_idx');
    table.index(
      ['namespace', 'name', 'requested_at'],
      'dbaas_restore_requests_database_idx',
    );
  });
  await knex.raw(`
    CREATE UNIQUE INDEX dbaas_restore_requests_one_active_idx
      ON dbaas_restore_requests (cluster, database_name)
      WHERE state IN ('pending-approval', 'approved', 'running')`);
  await knex.raw(`
    CREATE UNIQUE INDEX dbaas_restore_requests_active_target_idx
      ON dbaas_restore_requests (cluster, target_database_name)
      WHERE state IN ('pending-approval', 'approved', 'running')
        AND target = 'new-database'`);

  await knex.schema.createTable('dbaas_restore_approvals', table => {
    table.comment('Approvals of restore requests, bound to a fingerprint');
    table
      .string('request_id', 36)
      .notNullable()
      .references('id')
      .inTable('dbaas_restore_requests')
      .onDelete('CASCADE');
    table.string('approved_by', 255).notNullable();
    table.timestamp('approved_at', { useTz: true }).notNullable();
    table.text('comment').nullable();
    table.string('fingerprint', 64).notNullable();
    table.primary(['request_id', 'approved_by'], {
      constraintName: 'dbaas_restore_approvals_pkey',
    });
  });

  await knex.schema.createTable('dbaas_restore_log', table => {
    table.comment('Readable step log of restore requests');
    table.bigIncrements('id').primary();
    table
      .string('request_id', 36)
      .notNullable()
      .references('id')
      .inTable('dbaas_restore_requests')
      .onDelete('CASCADE');
    table.timestamp('at', { useTz: true }).notNullable();
    table.string('step', 32).nullable();
    table.string('level', 8).notNullable();
    table.text('message').notNullable();
    table.index(['request_id', 'id'], 'dbaas_restore_log_request_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dbaas_restore_log');
  await knex.schema.dropTable('dbaas_restore_approvals');
  await knex.schema.dropTable('dbaas_restore_requests');
};
