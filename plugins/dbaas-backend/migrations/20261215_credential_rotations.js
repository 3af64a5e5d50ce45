// @ts-check

/**
 * Rotations of application credentials (`<db>-read`, `-write`, `-admin`):
 * requests, decisions and outcomes, one row per rotation.
 *
 * At most one active rotation (`pending-approval`, `approved`, `running`)
 * per database and role: a partial unique index, so two requests at once,
 * from two replicas too, leave one row and the other gets a conflict. No
 * column ever holds a password: `error` is a one-line message, `username`
 * the login user the secret names after the rotation.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dbaas_credential_rotations', table => {
    table.comment('Credential rotation requests and their history');
    table.uuid('id').primary();
    table.string('namespace', 63).notNullable();
    table.string('name', 63).notNullable();
    table.string('database_name', 63).notNullable();
    table.string('cluster', 255).notNullable();
    table.string('access', 8).notNullable().comment("'read', 'write', 'admin'");
    table
      .string('requested_by', 255)
      .notNullable()
      .comment("User entity ref, or 'schedule'");
    table.text('reason').nullable();
    table
      .string('state', 24)
      .notNullable()
      .comment(
        'pending-approval, approved, running, succeeded, failed, rejected',
      );
    table.string('decided_by', 255).nullable();
    table.text('decision_comment').nullable();
    table.string('username', 63).nullable();
    table
      .string('secret_version', 255)
      .nullable()
      .comment('Aurora: AWSPENDING version');
    table.text('error').nullable().comment('One line, never a password');
    table.timestamp('requested_at', { useTz: true }).notNullable();
    table.timestamp('decided_at', { useTz: true }).nullable();
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.index(['database_name', 'access', 'requested_at']);
    table.index(['state']);
  });
  await knex.raw(
    `CREATE UNIQUE INDEX dbaas_credential_rotations_one_active
       ON dbaas_credential_rotations (database_name, access)
       WHERE state IN ('pending-approval', 'approved', 'running')`,
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dbaas_credential_rotations');
};
