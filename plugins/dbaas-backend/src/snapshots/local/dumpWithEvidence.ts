import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { ClusterConnection, openClusterClient } from '@dbaas/plugin-dbaas-node';
import {
  beginEvidenceTransaction,
  canFingerprint,
  EvidenceTable,
  listEvidenceTables,
  measureTables,
  SnapshotEvidence,
  tableLabel,
} from '../evidence';

/** What a dump with evidence gives, and where its time went. */
export interface DumpWithEvidence<T> {
  result: T;
  evidence: SnapshotEvidence;
  /** From starting pg_dump until it held its locks on every table. */
  waitedForLocksMs: number;
  /** Counting and hashing the tables (alongside the dump). */
  measuredMs: number;
}

/**
 * Runs a dump and measures the evidence in the same MVCC snapshot: a
 * REPEATABLE READ transaction exports its snapshot
 * (`pg_export_snapshot()`), `dump` runs pg_dump with `--snapshot=<id>`,
 * and the tables are counted (and hashed) in that transaction while the
 * dump runs. A row committed after the export is in neither, one
 * committed before is in both.
 *
 * The transaction stays open until pg_dump has exited (pg_dump imports
 * the snapshot when it starts, which fails once the exporter is gone).
 * The tables are measured only once pg_dump holds its own lock on each of
 * them (or has finished): taking ours first could queue pg_dump behind a
 * DDL that waits for us. A table rewritten or truncated after the export
 * (TRUNCATE, ALTER TABLE rewriting it, VACUUM FULL) is not MVCC-safe: the
 * snapshot fails, naming it, rather than keep evidence that may disagree
 * with its dump.
 */
export async function dumpWithEvidence<T>(options: {
  connection: ClusterConnection;
  database: string;
  /** pg_dump's application_name: how its backend is found. */
  dumpApplicationName: string;
  dump: (snapshot: string, signal: AbortSignal) => Promise<T>;
  /** Hash the contents too (where the server can). @defaultValue true */
  fingerprint?: boolean;
  signal?: AbortSignal;
  /** How often pg_dump's locks are looked at. @defaultValue 50 ms */
  pollMs?: number;
}): Promise<DumpWithEvidence<T>> {
  const { database } = options;
  const stop = new AbortController();
  const onAbort = () => stop.abort(options.signal?.reason);
  if (options.signal?.aborted) {
    throw new Error(`The snapshot of '${database}' was not started: aborted`);
  }
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const client = await openClusterClient(options.connection, {
    database,
    applicationName: 'backstage-dbaas-snapshot',
  });
  let dumping: Promise<T> | undefined;
  let dumpFailure: { error: unknown } | undefined;
  let dumpSettled = false;
  try {
    await beginEvidenceTransaction(client);
    const fingerprint =
      (options.fingerprint ?? true) && (await canFingerprint(client));
    const { rows } = await client.query<{ id: string }>(
      'SELECT pg_catalog.pg_export_snapshot() AS id',
    );
    const tables = await listEvidenceTables(client);
    const started = Date.now();
    dumping = options.dump(rows[0].id, stop.signal);
    dumping.then(
      () => {
        dumpSettled = true;
      },
      error => {
        dumpSettled = true;
        dumpFailure = { error };
        // Stops the measuring at the next table.
        stop.abort(error);
      },
    );
    await waitForDumpLocks(client, tables, {
      applicationName: options.dumpApplicationName,
      settled: () => dumpSettled,
      signal: stop.signal,
      pollMs: options.pollMs ?? 50,
    });
    const waitedForLocksMs = Date.now() - started;
    const measuring = Date.now();
    const evidence = await measureTables(client, tables, {
      fingerprint,
      signal: stop.signal,
    });
    const measuredMs = Date.now() - measuring;
    const result = await dumping;
    await refuseRewrittenTables(client, tables, database);
    await client.query('COMMIT');
    return { result, evidence, waitedForLocksMs, measuredMs };
  } catch (error) {
    stop.abort(error);
    // pg_dump stops before the transaction whose snapshot it reads ends.
    await dumping?.catch(() => {});
    throw dumpFailure ? dumpFailure.error : error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await client.end().catch(() => {});
  }
}

/**
 * Until pg_dump's session holds ACCESS SHARE on every table (it takes
 * them right after importing the snapshot), or pg_dump has ended.
 */
async function waitForDumpLocks(
  client: Client,
  tables: EvidenceTable[],
  options: {
    applicationName: string;
    settled: () => boolean;
    signal: AbortSignal;
    pollMs: number;
  },
): Promise<void> {
  if (tables.length === 0) {
    return;
  }
  const oids = tables.map(t => t.oid);
  while (!options.settled()) {
    options.signal.throwIfAborted();
    // pg_stat_activity is read once per transaction unless cleared.
    await client.query('SELECT pg_catalog.pg_stat_clear_snapshot()');
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(DISTINCT l.relation)::int AS n
       FROM pg_catalog.pg_locks l
       JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
       WHERE a.application_name = $1 AND a.datname = current_database()
         AND l.locktype = 'relation' AND l.mode = 'AccessShareLock' AND l.granted
         AND l.database = (SELECT oid FROM pg_catalog.pg_database
                           WHERE datname = current_database())
         AND l.relation = ANY($2::oid[])`,
      [options.applicationName, oids],
    );
    if (rows[0].n >= oids.length) {
      return;
    }
    await sleep(options.pollMs, undefined, { signal: options.signal }).catch(
      () => {},
    );
  }
}

/**
 * Tables whose file changed since the export: their rows as the snapshot
 * saw them were replaced (a rewrite or TRUNCATE is not MVCC-safe), so
 * the dump or the counts may have read the new, not the exported, rows.
 */
async function refuseRewrittenTables(
  client: Client,
  tables: EvidenceTable[],
  database: string,
): Promise<void> {
  if (tables.length === 0) {
    return;
  }
  const { rows } = await client.query<{ oid: string }>(
    `SELECT c.oid::int8::text AS oid
     FROM pg_catalog.pg_class c
     WHERE c.oid = ANY($1::oid[])
       AND pg_catalog.pg_relation_filenode(c.oid) IS DISTINCT FROM c.relfilenode`,
    [tables.map(t => t.oid)],
  );
  if (rows.length > 0) {
    const changed = new Set(rows.map(r => Number(r.oid)));
    const names = tables
      .filter(t => changed.has(t.oid))
      .map(tableLabel)
      .join(', ');
    throw new Error(
      `${names} in '${database}' was truncated or rewritten (TRUNCATE, an ALTER TABLE that rewrites it, VACUUM FULL, CLUSTER) while the snapshot was taken; the dump and its evidence may not agree, so it is not kept. The next snapshot tries again`,
    );
  }
}
