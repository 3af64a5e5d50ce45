// @ts-check

/**
 * Just-in-time personal access (`dbaas_access_grants`): one row per request
 * for temporary access to a database. A grant goes pending → approved (by
 * the policy or an approver) → active (the requester activated it: a
 * personal login role exists until `valid_until`) → expired or revoked, or
 * ends rejected, expired (nobody acted) or failed. Every transition is one
 * conditional UPDATE on `state`, so two approvals or activations at once
 * have exactly one winner. `role_dropped_at` is set once the login role is
 * gone; until then the expiry task keeps trying. No password is ever
 * stored here, not even hashed: it is shown once in the activation answer.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dbaas_access_grants', table => {
    table.comment('Temporary personal access to databases (no passwords)');
    table.uuid('id').primary();
    table.string('namespace', 63).notNullable();
    table.string('name', 63).notNullable();
    table.string('database_name', 63).notNullable();
    table.string('cluster', 255).notNullable();
    table.string('requested_by', 255).notNullable().comment('User entity ref');
    table.string('access', 8).notNullable().comment('read, write or admin');
    table.text('reason').notNullable();
    table.integer('duration_minutes').notNullable();
    table
      .string('state', 16)
      .notNullable()
      .comment('pending, approved, active, rejected, expired, revoked, failed');
    table.timestamp('requested_at', { useTz: true }).notNullable();
    table
      .timestamp('expires_at', { useTz: true })
      .nullable()
      .comment('A pending or approved grant not acted on expires then');
    table.boolean('auto_approved').notNullable().defaultTo(false);
    table.string('decided_by', 255).nullable();
    table.timestamp('decided_at', { useTz: true }).nullable();
    table.text('decision_comment').nullable();
    table
      .string('login_role', 63)
      .nullable()
      .comment('The personal login role, set on activation');
    table.timestamp('activated_at', { useTz: true }).nullable();
    table
      .timestamp('valid_until', { useTz: true })
      .nullable()
      .comment('VALID UNTIL of the login role');
    table.string('revoked_by', 255).nullable();
    table.timestamp('revoked_at', { useTz: true }).nullable();
    table.text('revoke_reason').nullable();
    table.timestamp('role_dropped_at', { useTz: true }).nullable();
    table.text('error').nullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['namespace', 'name'], 'dbaas_access_grants_database_idx');
    table.index(['state'], 'dbaas_access_grants_state_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dbaas_access_grants');
};
