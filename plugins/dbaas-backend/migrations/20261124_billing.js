// @ts-check

/**
 * Billing: priced cluster-hours, their split per database, daily rollups
 * (what reports read) and the budget alerts already sent.
 *
 * - `dbaas_billing_hours`: one row per cluster and UTC hour, the cluster's
 *   cost for the hour (micros, 1e-6 of the currency) and whether the hour
 *   is `final` (complete and settled) or a provisional estimate that the
 *   next run replaces.
 * - `dbaas_billing_hour_costs`: the split of that hour per database. Rows
 *   of an hour are replaced as a whole when the hour is written again, so
 *   reprocessing never counts twice.
 * - `dbaas_billing_daily_databases` / `dbaas_billing_daily_clusters`: sums
 *   of a UTC day's hour rows, recomputed from them whenever an hour of that
 *   day is written. Hour rows are kept for weeks, daily rows for a year+.
 * - `dbaas_billing_budget_alerts`: (namespace, month, threshold) notified,
 *   the claim that makes each alert go out once across replicas.
 *
 * Days are 'YYYY-MM-DD' strings (UTC), never `date` columns: the driver
 * would turn a `date` into a local-midnight JavaScript Date.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  /** @param {import('knex').Knex.CreateTableBuilder} table */
  const micros = table => {
    for (const component of [
      'compute_used',
      'compute_idle',
      'storage',
      'snapshots',
      'base',
    ]) {
      table.bigInteger(`${component}_micros`).notNullable().defaultTo(0);
    }
  };
  /** @param {import('knex').Knex.CreateTableBuilder} table */
  const usage = table => {
    table.double('storage_gb_hours').notNullable().defaultTo(0);
    table.double('snapshot_gb_hours').notNullable().defaultTo(0);
    table.double('active_seconds').notNullable().defaultTo(0);
    table
      .double('transactions')
      .notNullable()
      .defaultTo(0)
      .comment('Commits + rollbacks: the activity proxy');
  };

  await knex.schema.createTable('dbaas_billing_hours', table => {
    table.comment('Cost of one cluster during one UTC hour');
    table.string('cluster', 255).notNullable();
    table.timestamp('hour_start', { useTz: true }).notNullable();
    table.string('day', 10).notNullable().comment('UTC day, YYYY-MM-DD');
    table
      .boolean('final')
      .notNullable()
      .comment('false: an estimate of an hour not yet settled, replaced later');
    table.integer('hours_in_month').notNullable();
    table.string('activity_source', 16).notNullable();
    table.double('acu').notNullable();
    table.double('used_acu_hours').notNullable();
    micros(table);
    table
      .bigInteger('unallocated_micros')
      .notNullable()
      .defaultTo(0)
      .comment('Cost no database was there to carry');
    table
      .timestamp('computed_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.primary(['cluster', 'hour_start'], {
      constraintName: 'dbaas_billing_hours_pkey',
    });
    table.index(['hour_start'], 'dbaas_billing_hours_hour_start_idx');
  });

  await knex.schema.createTable('dbaas_billing_hour_costs', table => {
    table.comment('Share of one database in one cluster-hour');
    table.string('cluster', 255).notNullable();
    table.timestamp('hour_start', { useTz: true }).notNullable();
    table.string('namespace', 63).notNullable();
    table.string('name', 63).notNullable();
    micros(table);
    usage(table);
    table.primary(['cluster', 'hour_start', 'namespace', 'name'], {
      constraintName: 'dbaas_billing_hour_costs_pkey',
    });
    table
      .foreign(['cluster', 'hour_start'], 'dbaas_billing_hour_costs_hour_fk')
      .references(['cluster', 'hour_start'])
      .inTable('dbaas_billing_hours')
      .onDelete('CASCADE');
  });

  await knex.schema.createTable('dbaas_billing_daily_databases', table => {
    table.comment('Cost of one database on one cluster on one UTC day');
    table.string('day', 10).notNullable();
    table.string('cluster', 255).notNullable();
    table.string('namespace', 63).notNullable();
    table.string('name', 63).notNullable();
    table.integer('hours').notNullable();
    micros(table);
    usage(table);
    table.primary(['day', 'cluster', 'namespace', 'name'], {
      constraintName: 'dbaas_billing_daily_databases_pkey',
    });
  });

  await knex.schema.createTable('dbaas_billing_daily_clusters', table => {
    table.comment('Cost of one cluster on one UTC day');
    table.string('day', 10).notNullable();
    table.string('cluster', 255).notNullable();
    table.integer('hours').notNullable();
    table.double('acu_hours').notNullable();
    table.double('used_acu_hours').notNullable();
    micros(table);
    table.bigInteger('unallocated_micros').notNullable().defaultTo(0);
    table.primary(['day', 'cluster'], {
      constraintName: 'dbaas_billing_daily_clusters_pkey',
    });
  });

  await knex.schema.createTable('dbaas_billing_budget_alerts', table => {
    table.comment('Budget thresholds a tenant was notified of, per month');
    table.string('namespace', 63).notNullable();
    table.string('month', 7).notNullable().comment('YYYY-MM (UTC)');
    table.integer('threshold').notNullable().comment('Percent: 80 or 100');
    table.bigInteger('spent_cents').notNullable();
    table.bigInteger('budget_cents').notNullable();
    table
      .timestamp('notified_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.primary(['namespace', 'month', 'threshold'], {
      constraintName: 'dbaas_billing_budget_alerts_pkey',
    });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dbaas_billing_budget_alerts');
  await knex.schema.dropTable('dbaas_billing_daily_clusters');
  await knex.schema.dropTable('dbaas_billing_daily_databases');
  await knex.schema.dropTable('dbaas_billing_hour_costs');
  await knex.schema.dropTable('dbaas_billing_hours');
};
