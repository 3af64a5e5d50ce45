// @ts-check

/**
 * Requests for an inventory sync (`POST /refresh`, GitHub webhooks) and the
 * cycles that served them, shared by every replica.
 *
 * `dbaas_inventory_sync_requests` has one row per scheduled task (today
 * only `dbaas-inventory-sync`). Requests are counted, not timed, so that a
 * request and the start of a cycle racing on two replicas are ordered by
 * the row lock rather than by clocks: a cycle takes in every request made
 * before it started (`served` := `requested`), and a request counted after
 * that is still waiting (`requested` > `served`) for the next cycle.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dbaas_inventory_sync_requests', table => {
    table.comment('Requests for an inventory sync and the cycles serving them');
    table.string('task_id', 255).primary();
    table
      .bigInteger('requested')
      .notNullable()
      .defaultTo(0)
      .comment('Requests made so far (refresh calls and webhooks)');
    table
      .bigInteger('last_webhook_request')
      .notNullable()
      .defaultTo(0)
      .comment('Value of requested at the latest webhook request');
    table
      .bigInteger('served')
      .notNullable()
      .defaultTo(0)
      .comment('Value of requested taken in by the latest cycle started');
    table.timestamp('last_requested_at', { useTz: true }).nullable();
    table
      .timestamp('webhook_cycle_at', { useTz: true })
      .nullable()
      .comment(
        'Start of the latest completed cycle that served a webhook (quiet period)',
      );
    table
      .bigInteger('cycles')
      .notNullable()
      .defaultTo(0)
      .comment('Cycles started');
    table
      .bigInteger('skipped')
      .notNullable()
      .defaultTo(0)
      .comment('Scheduled cycles skipped in the webhook quiet period');
    table.timestamp('last_cycle_at', { useTz: true }).nullable();
    table
      .string('last_cycle_reason', 16)
      .nullable()
      .comment("'schedule', 'refresh' or 'webhook'");
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dbaas_inventory_sync_requests');
};
