import { Client } from 'pg';
import { ForwardedError, InputError } from '@backstage/errors';
import {
  ClusterConnection,
  openClusterClient,
  quoteIdent,
} from '@dbaas/plugin-dbaas-node';
import { PgTool, runPgTool } from '../../../pgTools';
import {
  compareEvidence,
  measureDatabase,
  SnapshotEvidence,
} from '../../../snapshots/evidence';
import { RestoreStepContext } from '../RestoreEngine';
import { DumpInput, dumpArgs, feedStdin } from './dumpInput';
import { EngineState } from './engineState';
import { targetRoles } from './restoreNames';

/** Object kinds compared between a dump's table of contents and a database. */
export type ObjectKind =
  | 'tables'
  | 'views'
  | 'materialized views'
  | 'sequences'
  | 'indexes';

export type ObjectCounts = Record<ObjectKind, number>;

const TOC_KINDS: Record<string, ObjectKind> = {
  TABLE: 'tables',
  VIEW: 'views',
  'MATERIALIZED VIEW': 'materialized views',
  SEQUENCE: 'sequences',
  INDEX: 'indexes',
  // Primary keys, unique and exclusion constraints each bring an index.
  CONSTRAINT: 'indexes',
};

/** Entries whose description starts like a counted one but are not objects. */
const OTHER_TOC_DESCS = [
  'TABLE DATA',
  'TABLE ATTACH',
  'MATERIALIZED VIEW DATA',
  'SEQUENCE SET',
  'SEQUENCE OWNED BY',
  'INDEX ATTACH',
  'CONSTRAINT TRIGGER',
];

function emptyCounts(): ObjectCounts {
  return {
    tables: 0,
    views: 0,
    'materialized views': 0,
    sequences: 0,
    indexes: 0,
  };
}

/**
 * Counts objects in `pg_restore --list` output. Lines look like
 * `215; 1259 16390 TABLE public pgbench_accounts postgres`; comment lines
 * start with `;`.
 */
export function countTocObjects(list: string): ObjectCounts {
  const counts = emptyCounts();
  const descs = [...Object.keys(TOC_KINDS), ...OTHER_TOC_DESCS].sort(
    (a, b) => b.length - a.length,
  );
  for (const line of list.split('\n')) {
    const match = /^\d+;\s+\d+\s+\d+\s+(.*)$/.exec(line.trim());
    if (!match) {
      continue;
    }
    // Longest first: 'SEQUENCE SET' must not count as a sequence.
    const desc = descs.find(d => match[1].startsWith(`${d} `));
    const kind = desc ? TOC_KINDS[desc] : undefined;
    if (kind) {
      counts[kind] += 1;
    }
  }
  return counts;
}

/** The same counts in a restored database (extension members left out). */
export async function countDatabaseObjects(
  client: Client,
): Promise<ObjectCounts> {
  const { rows } = await client.query<{ relkind: string; n: number }>(
    `SELECT c.relkind, count(*)::int AS n
     FROM pg_catalog.pg_class c
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
       AND n.nspname NOT LIKE 'pg_temp_%' AND n.nspname NOT LIKE 'pg_toast_temp_%'
       AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S', 'i', 'I')
       AND NOT EXISTS (
         SELECT 1 FROM pg_catalog.pg_depend d
         WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
     GROUP BY c.relkind`,
  );
  const counts = emptyCounts();
  const kinds: Record<string, ObjectKind> = {
    r: 'tables',
    p: 'tables',
    f: 'tables',
    v: 'views',
    m: 'materialized views',
    S: 'sequences',
    i: 'indexes',
    I: 'indexes',
  };
  for (const row of rows) {
    counts[kinds[row.relkind]] += row.n;
  }
  return counts;
}

export interface TableRows {
  schema: string;
  name: string;
  rows: number;
}

/**
 * Exact row counts of every ordinary table (partitions counted on their
 * own, not through their parent), largest first.
 */
export async function countRows(client: Client): Promise<TableRows[]> {
  const { rows: tables } = await client.query<{
    schema: string;
    name: string;
  }>(
    `SELECT n.nspname AS schema, c.relname AS name
     FROM pg_catalog.pg_class c
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind = 'r'
       AND n.nspname NOT IN ('pg_catalog', 'information_schema')
       AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp_%'
     ORDER BY pg_catalog.pg_relation_size(c.oid) DESC, 1, 2`,
  );
  const result: TableRows[] = [];
  for (const { schema, name } of tables) {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM ${quoteIdent(schema)}.${quoteIdent(
        name,
      )}`,
    );
    result.push({ schema, name, rows: Number(rows[0].n) });
  }
  return result.sort((a, b) => b.rows - a.rows);
}

/** Differences between the dump's objects and the restored ones. */
export function compareCounts(
  expected: ObjectCounts,
  actual: ObjectCounts,
): string[] {
  return (Object.keys(expected) as ObjectKind[])
    .filter(kind => expected[kind] !== actual[kind])
    .map(
      kind =>
        `${kind}: ${expected[kind]} in the snapshot, ${actual[kind]} restored`,
    );
}

/**
 * A sample query as the target's admin role (the owner of the restored
 * objects): reads a row of the largest table. Proves the data is readable
 * through the role applications use, not only by the superuser.
 */
export async function sampleQuery(
  client: Client,
  adminRole: string,
  largestTable: TableRows | undefined,
): Promise<string> {
  if (!largestTable) {
    await client.query('SELECT 1');
    return 'no tables to sample';
  }
  const table = `${quoteIdent(largestTable.schema)}.${quoteIdent(
    largestTable.name,
  )}`;
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL ROLE ${quoteIdent(adminRole)}`);
    const { rowCount } = await client.query(`SELECT * FROM ${table} LIMIT 1`);
    return `read ${rowCount ?? 0} row of ${largestTable.schema}.${
      largestTable.name
    } as ${adminRole}`;
  } finally {
    await client.query('ROLLBACK');
  }
}

/** How many differing tables a failed verification names. */
const NAMED_DIFFERENCES = 20;

/**
 * The verify step: object counts of the restored `database` against the
 * dump's table of contents and a sample read as the owner, and the rows:
 *
 * - with the snapshot's `evidence` (taken in the dump's own MVCC
 *   snapshot), every table's exact rows and, when the evidence has them,
 *   its content hash, compared exactly: any difference fails the step,
 *   naming the tables, before anything is swapped;
 * - without (snapshots taken before evidence was recorded, Aurora restores
 *   that measured none), the rows are counted and logged, not compared.
 *
 * The step log says which check ran.
 */
export async function verifyRestoredDatabase(options: {
  context: RestoreStepContext;
  database: string;
  dump: DumpInput;
  /** The pg_restore preflight chose. */
  pgRestore: () => Promise<PgTool>;
  /** What the snapshot held, when it was recorded. */
  evidence?: SnapshotEvidence;
}): Promise<EngineState> {
  const { context, database, dump, evidence } = options;
  const { job } = context;
  const list = await runPgTool({
    tool: await options.pgRestore(),
    args: ['--list', ...dumpArgs(dump)],
    what: 'pg_restore --list',
    // --list reads the table of contents at the start of a streamed dump;
    // the download stops there (the restore step checked the whole dump).
    ...('file' in dump
      ? {}
      : {
          writeStdin: async stdin =>
            feedStdin(await dump.open(context.signal), stdin, {
              readToEnd: false,
            }),
        }),
    signal: context.signal,
  });
  const expected = countTocObjects(list);
  const client = await connect(job.cluster.connection, database);
  try {
    const actual = await countDatabaseObjects(client);
    const problems = compareCounts(expected, actual);
    if (problems.length > 0) {
      throw new InputError(
        `Verification of '${database}' failed: ${problems.join('; ')}`,
      );
    }
    const objects = `${actual.tables} tables, ${actual.views} views, ${actual.sequences} sequences, ${actual.indexes} indexes as in the snapshot`;
    if (evidence) {
      return await verifyAgainstEvidence({
        context,
        client,
        database,
        evidence,
        objects,
      });
    }
    const rows = await countRows(client);
    const sample = await sampleQuery(client, targetRoles(job).admin, rows[0]);
    const total = rows.reduce((sum, t) => sum + t.rows, 0);
    const largest = rows
      .slice(0, 5)
      .map(t => `${t.schema}.${t.name} ${t.rows}`)
      .join(', ');
    await context.log(
      'info',
      `verified '${database}' by the dump's table of contents (the snapshot has no evidence to compare rows with): ${objects}; ${total} rows counted${
        largest ? ` (${largest})` : ''
      }; ${sample}`,
    );
    return {
      verification: {
        tables: actual.tables,
        rows: total,
        sample,
        check: 'table-of-contents',
      },
    };
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Measures the restored database as the evidence was measured and
 * compares them exactly; InputError naming the differing tables.
 */
async function verifyAgainstEvidence(options: {
  context: RestoreStepContext;
  client: Client;
  database: string;
  evidence: SnapshotEvidence;
  objects: string;
}): Promise<EngineState> {
  const { context, client, database, evidence } = options;
  const restored = await measureDatabase(client, {
    fingerprint: evidence.fingerprint !== undefined,
    signal: context.signal,
  });
  const comparison = compareEvidence(evidence, restored);
  const what = comparison.fingerprints
    ? "each table's exact rows and content hash"
    : "each table's exact rows";
  if (comparison.problems.length > 0) {
    const named = comparison.problems.slice(0, NAMED_DIFFERENCES);
    const more = comparison.problems.length - named.length;
    throw new InputError(
      `Verification of '${database}' failed: the restored data differs from the snapshot's evidence (${what}) in ${
        comparison.problems.length
      } table(s): ${named.join('; ')}${more > 0 ? `; and ${more} more` : ''}`,
    );
  }
  const total = restored.tables.reduce((sum, t) => sum + t.rows, 0);
  const byRows = [...restored.tables].sort((a, b) => b.rows - a.rows);
  const sample = await sampleQuery(
    client,
    targetRoles(context.job).admin,
    byRows[0],
  );
  const largest = byRows
    .slice(0, 5)
    .map(t => `${t.schema}.${t.name} ${t.rows}`)
    .join(', ');
  await context.log(
    'info',
    `verified '${database}' against the snapshot's evidence: ${what} as at the snapshot for all ${
      restored.tables.length
    } tables, ${total} rows${largest ? ` (${largest})` : ''}${
      evidence.fingerprint && !comparison.fingerprints
        ? ' (this server cannot hash contents: rows only)'
        : ''
    }; ${options.objects}; ${sample}`,
  );
  return {
    verification: {
      tables: restored.tables.length,
      rows: total,
      sample,
      check: comparison.fingerprints ? 'evidence' : 'evidence-rows',
    },
  };
}

async function connect(
  connection: ClusterConnection,
  database: string,
): Promise<Client> {
  return openClusterClient(connection, {
    database,
    applicationName: 'backstage-dbaas-restore',
  }).catch(error => {
    throw new ForwardedError(
      `Could not connect to '${database}' to verify it`,
      error,
    );
  });
}
