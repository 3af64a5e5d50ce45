import { ClientBase } from 'pg';
import { quoteIdent } from '@dbaas/plugin-dbaas-node';
import {
  FINGERPRINT_ALGORITHM,
  SnapshotEvidence,
  TableEvidence,
} from './SnapshotEvidence';

/** A table the evidence covers, as the catalog describes it. */
export interface EvidenceTable {
  oid: number;
  schema: string;
  name: string;
  /** The table's file as the transaction's snapshot sees it. */
  relfilenode: number;
  /** One expression per column (named `r`), columns in name order. */
  columns: string[];
}

/**
 * Base types whose own hash function is hashed: their extended hash is
 * stable across major versions and pg_upgrade (hash partitioning relies
 * on it) and does not depend on settings. Every other column is hashed as
 * its text (enums and reg* types hash OIDs, which differ after a restore;
 * json, money, bit and geometric types have no hash function).
 */
const HASHED_TYPES = [
  'bool',
  'bytea',
  'char',
  'int2',
  'int4',
  'int8',
  'float4',
  'float8',
  'numeric',
  'date',
  'time',
  'timetz',
  'timestamp',
  'timestamptz',
  'interval',
  'uuid',
  'jsonb',
  'inet',
  'cidr',
  'macaddr',
  'macaddr8',
];

/**
 * The settings a column's text depends on, fixed so that the snapshot and
 * the restored copy print values alike (a session's TimeZone or DateStyle
 * would otherwise change every timestamptz). row_security off: a table
 * whose policies would hide rows fails instead of being counted short,
 * as pg_dump does.
 */
const SESSION_SETTINGS = [
  "SET LOCAL TimeZone = 'UTC'",
  "SET LOCAL DateStyle = 'ISO, YMD'",
  "SET LOCAL IntervalStyle = 'postgres'",
  'SET LOCAL extra_float_digits = 1',
  "SET LOCAL bytea_output = 'hex'",
  "SET LOCAL lc_monetary = 'C'",
  'SET LOCAL row_security = off',
  'SET LOCAL statement_timeout = 0',
  'SET LOCAL idle_in_transaction_session_timeout = 0',
];

/**
 * Opens the transaction evidence is measured in: REPEATABLE READ, so
 * every table is read in one snapshot, with the settings above.
 */
export async function beginEvidenceTransaction(
  client: ClientBase,
): Promise<void> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  for (const statement of SESSION_SETTINGS) {
    await client.query(statement);
  }
}

/** True when the server has `hash_record_extended` (PostgreSQL 14+). */
export async function canFingerprint(client: ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ num: number }>(
    `SELECT current_setting('server_version_num')::int AS num`,
  );
  return Number(rows[0].num) >= 140000;
}

/**
 * The tables whose data pg_dump writes, in the transaction's snapshot:
 * ordinary tables (partitions each on their own, partitioned parents have
 * no rows of their own) outside the system schemas, without extension
 * members (the extension creates those). Ordered by schema, then name.
 */
export async function listEvidenceTables(
  client: ClientBase,
): Promise<EvidenceTable[]> {
  const { rows } = await client.query<{
    oid: string;
    schema: string;
    name: string;
    relfilenode: string;
    columns: Array<{ name: string; hashed: boolean }> | null;
  }>(
    `SELECT c.oid::int8::text AS oid, n.nspname AS schema, c.relname AS name,
            c.relfilenode::int8::text AS relfilenode,
            (SELECT json_agg(json_build_object(
                       'name', a.attname,
                       'hashed', a.attcollation = 0 AND coalesce(
                         (SELECT e.typname = ANY($1::text[])
                            AND e.typnamespace = 'pg_catalog'::regnamespace
                          FROM pg_catalog.pg_type e
                          WHERE e.oid = CASE WHEN b.typcategory = 'A' THEN b.typelem ELSE b.oid END),
                         false))
                     ORDER BY a.attname)
             FROM pg_catalog.pg_attribute a
             JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
             -- a domain is hashed as its base type
             JOIN pg_catalog.pg_type b
               ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            ) AS columns
     FROM pg_catalog.pg_class c
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind = 'r'
       AND n.nspname NOT IN ('pg_catalog', 'information_schema')
       AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
       AND NOT EXISTS (
         SELECT 1 FROM pg_catalog.pg_depend d
         WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
           AND d.deptype = 'e')
     ORDER BY n.nspname COLLATE "C", c.relname COLLATE "C"`,
    [HASHED_TYPES],
  );
  return rows.map(row => ({
    oid: Number(row.oid),
    schema: row.schema,
    name: row.name,
    relfilenode: Number(row.relfilenode),
    columns: (row.columns ?? []).map(column =>
      column.hashed
        ? `r.${quoteIdent(column.name)}`
        : // Text in the C collation: hashed by its bytes, whatever the
          // column's collation (a nondeterministic one hashes sort keys,
          // which depend on the ICU version).
          `(r.${quoteIdent(column.name)}::text COLLATE "C")`,
    ),
  }));
}

/** `schema.name`, as messages and logs name a table. */
export function tableLabel(table: { schema: string; name: string }): string {
  return `${table.schema}.${table.name}`;
}

/**
 * Exact rows and, with `fingerprint`, the content hash of one table: the
 * sum of a 64-bit hash of every row (its columns in name order, so a
 * restore that orders inherited columns differently hashes alike). A sum
 * does not depend on the order rows are read in. The record hash is
 * hashed again because it is linear in its columns' hashes: summed as it
 * is, values swapped between rows of one column would cancel out.
 */
export async function measureTable(
  client: ClientBase,
  table: EvidenceTable,
  fingerprint: boolean,
): Promise<TableEvidence> {
  const from = `ONLY ${quoteIdent(table.schema)}.${quoteIdent(
    table.name,
  )} AS r`;
  const { rows } = await client.query<{ n: string; h: string | null }>(
    fingerprint
      ? `SELECT count(*)::text AS n,
                coalesce(sum(pg_catalog.hashint8extended(
                  pg_catalog.hash_record_extended(ROW(${table.columns.join(
                    ', ',
                  )}), 0), 0)), 0)::text AS h
         FROM ${from}`
      : `SELECT count(*)::text AS n, NULL AS h FROM ${from}`,
  );
  return {
    schema: table.schema,
    name: table.name,
    rows: Number(rows[0].n),
    ...(fingerprint ? { fingerprint: rows[0].h ?? '0' } : {}),
  };
}

/**
 * Measures `tables` one after the other in the caller's transaction
 * (`beginEvidenceTransaction`); stops between tables when `signal` is
 * aborted.
 */
export async function measureTables(
  client: ClientBase,
  tables: EvidenceTable[],
  options: { fingerprint: boolean; signal?: AbortSignal },
): Promise<SnapshotEvidence> {
  const measured: TableEvidence[] = [];
  for (const table of tables) {
    options.signal?.throwIfAborted();
    measured.push(await measureTable(client, table, options.fingerprint));
  }
  return {
    ...(options.fingerprint ? { fingerprint: FINGERPRINT_ALGORITHM } : {}),
    tables: measured,
  };
}

/**
 * Evidence of the database `client` is connected to, in one transaction:
 * what a restored copy is compared with, and Aurora's temporary cluster
 * (nobody writes to it) measured before its dump.
 */
export async function measureDatabase(
  client: ClientBase,
  options: { fingerprint?: boolean; signal?: AbortSignal } = {},
): Promise<SnapshotEvidence> {
  await beginEvidenceTransaction(client);
  try {
    const fingerprint =
      (options.fingerprint ?? true) && (await canFingerprint(client));
    const tables = await listEvidenceTables(client);
    return await measureTables(client, tables, {
      fingerprint,
      signal: options.signal,
    });
  } finally {
    await client.query('ROLLBACK').catch(() => {});
  }
}
