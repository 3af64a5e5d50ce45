// @ts-check

/**
 * Preview before an in-place swap: an in-place restore stops in
 * `awaiting-finalize` once the snapshot is restored and verified in its
 * scratch copy, and swaps only when someone finalizes it in time.
 *
 * - `dbaas_restore_requests` gains what the request was made with
 *   (`finalize_required`, `finalize_time_limit_ms`, from
 *   `dbaas.restore.finalize.<mode>` at request time, so that approvers see
 *   what they approve), the deadline set on entering `awaiting-finalize`,
 *   the finalize decision, and `cleanup_outcome`: a request cancelled or
 *   expired while its scratch copy exists runs the cleanup first
 *   (`running`, phase `cleanup`) and then ends in that state.
 * - `awaiting-finalize` is an active state: the two partial unique indexes
 *   (one active restore per database, one per new target) now include it.
 * - `dbaas_restore_previews`: per request, the tables of the restored copy
 *   (columns and exact rows, counted once) and of the live database (counted
 *   again on request), as JSON.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('dbaas_restore_requests', table => {
    table
      .boolean('finalize_required')
      .notNullable()
      .defaultTo(false)
      .comment('In place: stop in awaiting-finalize after the preview');
    table
      .bigInteger('finalize_time_limit_ms')
      .nullable()
      .comment('How long awaiting-finalize lasts before the copy is dropped');
    table.timestamp('finalize_deadline', { useTz: true }).nullable();
    table.string('finalized_by', 255).nullable();
    table.timestamp('finalized_at', { useTz: true }).nullable();
    table.text('finalize_comment').nullable();
    table
      .string('cleanup_outcome', 16)
      .nullable()
      .comment("'expired' or 'cancelled': the state after the cleanup phase");
    table.index(
      ['state', 'finalize_deadline'],
      'dbaas_restore_requests_finalize_idx',
    );
  });
  await recreateActiveIndexes(knex, [
    'pending-approval',
    'approved',
    'running',
    'awaiting-finalize',
  ]);

  await knex.schema.createTable('dbaas_restore_previews', table => {
    table.comment('What an in-place swap would change, per table');
    table
      .string('request_id', 36)
      .primary()
      .references('id')
      .inTable('dbaas_restore_requests')
      .onDelete('CASCADE');
    table.string('scratch_database', 63).notNullable();
    table
      .text('snapshot_tables')
      .notNullable()
      .comment('JSON: tables of the restored copy, columns, exact rows');
    table.timestamp('snapshot_counted_at', { useTz: true }).notNullable();
    table
      .text('live_tables')
      .nullable()
      .comment('JSON: the same of the live database');
    table.timestamp('live_counted_at', { useTz: true }).nullable();
    table.text('live_error').nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 * @param {string[]} states
 */
async function recreateActiveIndexes(knex, states) {
  const list = states.map(s => `'${s}'`).join(', ');
  await knex.raw('DROP INDEX dbaas_restore_requests_one_active_idx');
  await knex.raw('DROP INDEX dbaas_restore_requests_active_target_idx');
  await knex.raw(`
    CREATE UNIQUE INDEX dbaas_restore_requests_one_active_idx
      ON dbaas_restore_requests (cluster, database_name)
      WHERE state IN (${list})`);
  await knex.raw(`
    CREATE UNIQUE INDEX dbaas_restore_requests_active_target_idx
      ON dbaas_restore_requests (cluster, target_database_name)
      WHERE state IN (${list})
        AND target = 'new-database'`);
}

/**
 * Requests still awaiting finalize go back to `failed` (their scratch copy
 * stays for a person to drop): the earlier schema has no such state.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dbaas_restore_previews');
  await knex('dbaas_restore_requests')
    .where('state', 'awaiting-finalize')
    .update({
      state: 'failed',
      error:
        'Awaiting finalize when the schema was rolled back: drop the scratch copy by hand',
    });
  await recreateActiveIndexes(knex, [
    'pending-approval',
    'approved',
    'running',
  ]);
  await knex.schema.alterTable('dbaas_restore_requests', table => {
    table.dropIndex(
      ['state', 'finalize_deadline'],
      'dbaas_restore_requests_finalize_idx',
    );
    table.dropColumns(
      'finalize_required',
      'finalize_time_limit_ms',
      'finalize_deadline',
      'finalized_by',
      'finalized_at',
      'finalize_comment',
      'cleanup_outcome',
    );
  });
};
