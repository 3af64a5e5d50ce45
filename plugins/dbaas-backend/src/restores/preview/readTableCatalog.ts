import { Client } from 'pg';
import { quoteIdent } from '@dbaas/plugin-dbaas-node';
import { CatalogTable } from './RestorePreviewStore';

/** Limits of one count, so that a preview never holds up the database. */
export interface CountLimits {
  /**
   * How long a count waits for a table's lock. A count only needs ACCESS
   * SHARE, but queued behind an ALTER TABLE it would hold up everything
   * queued behind it: better a table marked "not counted".
   */
  lockTimeoutMs: number;
  /** How long one table's count may take. */
  statementTimeoutMs: number;
}

/**
 * The tables of the database `client` is connected to (ordinary and
 * partitioned, outside the system schemas, extension members left out),
 * their columns, and exact row counts, all in one REPEATABLE READ
 * snapshot. A table that cannot be counted within the limits gets an
 * `error` and the others are still counted.
 */
export async function readTableCatalog(
  client: Client,
  limits: CountLimits,
): Promise<CatalogTable[]> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    await client.query(
      `SET LOCAL lock_timeout = ${Math.max(
        1,
        Math.floor(limits.lockTimeoutMs),
      )}`,
    );
    await client.query(
      `SET LOCAL statement_timeout = ${Math.max(
        1,
        Math.floor(limits.statementTimeoutMs),
      )}`,
    );
    const { rows } = await client.query<{
      schema: string;
      name: string;
      relkind: string;
      columns: Array<{ name: string; type: string }>;
    }>(
      `SELECT n.nspname AS schema, c.relname AS name, c.relkind,
              coalesce(
                json_agg(json_build_object(
                  'name', a.attname,
                  'type', pg_catalog.format_type(a.atttypid, a.atttypmod))
                  ORDER BY a.attnum) FILTER (WHERE a.attnum IS NOT NULL),
                '[]') AS columns
       FROM pg_catalog.pg_class c
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_catalog.pg_attribute a
         ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       WHERE c.relkind IN ('r', 'p')
         AND n.nspname NOT IN ('pg_catalog', 'information_schema')
         AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp_%'
         AND NOT EXISTS (
           SELECT 1 FROM pg_catalog.pg_depend d
           WHERE d.classid = 'pg_catalog.pg_class'::regclass
             AND d.objid = c.oid AND d.deptype = 'e')
       GROUP BY n.nspname, c.relname, c.relkind
       ORDER BY 1, 2`,
    );
    const tables: CatalogTable[] = [];
    for (const row of rows) {
      const table: CatalogTable = {
        schema: row.schema,
        name: row.name,
        columns: row.columns,
      };
      if (row.relkind === 'p') {
        // Its rows are its partitions' (listed themselves): never twice.
        table.partitioned = true;
      } else {
        await countInto(client, table);
      }
      tables.push(table);
    }
    return tables;
  } finally {
    await client.query('ROLLBACK').catch(() => {});
  }
}

async function countInto(client: Client, table: CatalogTable): Promise<void> {
  await client.query('SAVEPOINT dbaas_count');
  try {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM ONLY ${quoteIdent(
        table.schema,
      )}.${quoteIdent(table.name)}`,
    );
    table.rows = Number(rows[0].n);
    await client.query('RELEASE SAVEPOINT dbaas_count');
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT dbaas_count');
    table.error = describeCountError(error);
  }
}

function describeCountError(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  switch (code) {
    case '55P03':
      return 'not counted: the table was locked (e.g. by a schema change)';
    case '57014':
      return 'not counted: the count took too long';
    case '42P01':
      return 'not counted: the table was dropped meanwhile';
    default:
      return `not counted: ${message ?? String(error)}`;
  }
}
