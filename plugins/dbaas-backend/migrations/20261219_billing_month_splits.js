// @ts-check

/**
 * A tenant's month of billing without reading every tenant's rows.
 *
 * A cluster's month is split into cents by largest remainder over all its
 * databases' daily rows, so one tenant's cents depend on every other
 * tenant's remainders. `dbaas_billing_month_splits` keeps, per month and
 * cluster, the outcome of that split in three numbers (the remainder above
 * which a part gets a cent, and where the cents for parts exactly at it
 * run out: a namespace and how many of its parts there), enough for a
 * tenant to get its exact cents from its own rows.
 *
 * Freshness: every write to a cluster's month (an hour written, daily rows
 * pruned) sets `version` to a new value of `dbaas_billing_month_version_seq`
 * in the same transaction; a split is used only while `split_version`, the
 * version it was computed from, equals `version`. Otherwise it is computed
 * again (by the billing task after its run, or by the first reader).
 *
 * `dbaas_billing_daily_databases` gains an index on (namespace, day): the
 * tenant's rows of a month.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw('CREATE SEQUENCE dbaas_billing_month_version_seq');
  await knex.schema.createTable('dbaas_billing_month_splits', table => {
    table.comment(
      'How the cents of a cluster month are split (largest remainder)',
    );
    table.string('month', 7).notNullable().comment('YYYY-MM (UTC)');
    table.string('cluster', 255).notNullable();
    table
      .bigInteger('version')
      .notNullable()
      .comment('New value on every change to the month of this cluster');
    table
      .bigInteger('split_version')
      .nullable()
      .comment('The version the split was computed from (null: never)');
    table
      .integer('threshold')
      .nullable()
      .comment('Parts with remainder (micros mod 10000) above it get a cent');
    table
      .string('ties_namespace', 63)
      .nullable()
      .comment(
        'Parts at the threshold: tenants before it get a cent, it the first ties_left, later none; null: all',
      );
    table.integer('ties_left').nullable();
    table.timestamp('computed_at', { useTz: true }).nullable();
    table.primary(['month', 'cluster'], {
      constraintName: 'dbaas_billing_month_splits_pkey',
    });
  });
  // Months already billed: a split to compute.
  await knex.raw(
    `INSERT INTO dbaas_billing_month_splits (month, cluster, version)
     SELECT month, cluster, nextval('dbaas_billing_month_version_seq')
     FROM (SELECT DISTINCT substr(day, 1, 7) AS month, cluster
           FROM dbaas_billing_daily_databases) d`,
  );
  await knex.schema.alterTable('dbaas_billing_daily_databases', table => {
    table.index(['namespace', 'day'], 'dbaas_billing_daily_databases_ns_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('dbaas_billing_daily_databases', table => {
    table.dropIndex(
      ['namespace', 'day'],
      'dbaas_billing_daily_databases_ns_idx',
    );
  });
  await knex.schema.dropTable('dbaas_billing_month_splits');
  await knex.raw('DROP SEQUENCE dbaas_billing_month_version_seq');
};
