// @ts-check

/**
 * Evidence taken with a logical snapshot: per table, the exact row count
 * and (PostgreSQL 14+) an order-independent content hash, measured in the
 * same MVCC snapshot as the dump (`pg_export_snapshot()` and `pg_dump
 * --snapshot`). A restore from the snapshot is verified against it
 * exactly. Snapshots taken before have no row here and keep the older
 * check (object counts against the dump's table of contents).
 *
 * One row per snapshot, written in the transaction that marks the
 * snapshot available; removed with the snapshot's row.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('dbaas_snapshot_evidence', table => {
    table.comment('Per-table rows and content hashes of a logical snapshot');
    table
      .string('snapshot_id', 36)
      .primary()
      .references('id')
      .inTable('dbaas_snapshots')
      .onDelete('CASCADE');
    table
      .string('fingerprint', 32)
      .nullable()
      .comment("'row-hash-sum-v1' when each table has a content hash");
    table.integer('table_count').notNullable();
    table
      .text('tables')
      .notNullable()
      .comment('JSON: [{schema, name, rows, fingerprint?}] by schema, name');
    table
      .timestamp('taken_at', { useTz: true })
      .notNullable()
      .comment('When the snapshot (and its dump) was taken');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('dbaas_snapshot_evidence');
};
