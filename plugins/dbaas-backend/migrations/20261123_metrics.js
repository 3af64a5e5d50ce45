// @ts-check

/**
 * Database metrics sampled from the clusters.
 *
 * - `dbaas_metric_points`: one row per database, resolution and bucket.
 *   `raw` rows are single samples (`bucket_start` is the sample time,
 *   `samples` = 1); `hour` and `day` rows are roll-ups whose figures are
 *   averages weighted by `samples`, except `deadlocks`, which is the number
 *   of deadlocks in the bucket. Per-second figures are null for a first
 *   sample or after a statistics reset of unknown time.
 * - `dbaas_metric_last_samples`: the previous raw sample of each database
 *   (counters as JSON), from which the next sample's rates are computed.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dbaas_metric_points', table => {
    table.comment('Database metrics: raw samples and hourly/daily roll-ups');
    table.string('cluster', 255).notNullable();
    table.string('database_name', 63).notNullable();
    table
      .string('resolution', 8)
      .notNullable()
      .comment("'raw', 'hour' or 'day'");
    table
      .timestamp('bucket_start', { useTz: true })
      .notNullable()
      .comment('Sample time (raw) or start of the UTC hour/day');
    table.bigInteger('size_bytes').nullable();
    table
      .double('connections')
      .nullable()
      .comment('Client connections (an average in roll-ups)');
    table.double('commits_per_s').nullable();
    table.double('rollbacks_per_s').nullable();
    table.double('blocks_read_per_s').nullable();
    table.double('blocks_hit_per_s').nullable();
    table.double('tuples_in_per_s').nullable();
    table.double('tuples_up_per_s').nullable();
    table.double('tuples_del_per_s').nullable();
    table
      .integer('deadlocks')
      .nullable()
      .comment('Deadlocks during the interval or bucket (a sum, not a rate)');
    table.double('temp_bytes_per_s').nullable();
    table.double('cache_hit_ratio').nullable();
    table.double('active_time_share').nullable();
    table
      .integer('samples')
      .notNullable()
      .defaultTo(1)
      .comment('Raw samples behind this row; the weight in roll-ups');
    table.primary(['database_name', 'resolution', 'bucket_start'], {
      constraintName: 'dbaas_metric_points_pkey',
    });
    table.index(
      ['resolution', 'bucket_start'],
      'dbaas_metric_points_resolution_idx',
    );
  });

  await knex.schema.createTable('dbaas_metric_last_samples', table => {
    table.comment('Previous raw sample per database, for rate computation');
    table.string('database_name', 63).primary();
    table.string('cluster', 255).notNullable();
    table.json('sample').notNullable();
    table.timestamp('sampled_at', { useTz: true }).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dbaas_metric_last_samples');
  await knex.schema.dropTable('dbaas_metric_points');
};
