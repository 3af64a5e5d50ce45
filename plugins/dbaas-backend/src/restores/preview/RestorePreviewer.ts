import { ForwardedError, InputError } from '@backstage/errors';
import { RestorePreview } from '@dbaas/plugin-dbaas-common';
import {
  ClusterConnection,
  ClusterSettings,
  openClusterClient,
} from '@dbaas/plugin-dbaas-node';
import { RestoreRecord } from '../store/RestoreRecord';
import {
  RestoreStepContext,
  RestoreStepOutcome,
} from '../workflow/RestoreEngine';
import { AdminSession } from '../workflow/engines/AdminSession';
import { engineState } from '../workflow/engines/engineState';
import { restoreNames } from '../workflow/engines/restoreNames';
import { comparePreview, summarizePreview } from './comparePreview';
import { CountLimits, readTableCatalog } from './readTableCatalog';
import { CatalogTable, RestorePreviewStore } from './RestorePreviewStore';

/** The step has time: a worker's lease is renewed while it counts. */
const STEP_LIMITS: CountLimits = {
  lockTimeoutMs: 5_000,
  statementTimeoutMs: 30 * 60_000,
};
/** Someone is waiting for the page: a table not counted by then says so. */
const ON_REQUEST_LIMITS: CountLimits = {
  lockTimeoutMs: 1_000,
  statementTimeoutMs: 15_000,
};

/**
 * The preview before an in-place swap. As the workflow's `preview` step
 * (after verify) it counts the restored scratch copy (the snapshot's
 * content) once, closes it to connections so that what is previewed is
 * what gets swapped in, and counts the live database. Read through the
 * API while the restore awaits its finalize, it counts the live database
 * again (at most every `recountAfterMs`; one count at a time per request
 * on this replica), since the live data goes on changing.
 */
export class RestorePreviewer {
  private readonly recounts = new Map<string, Promise<void>>();
  private readonly now: () => Date;
  private readonly recountAfterMs: number;

  constructor(
    private readonly options: {
      store: RestorePreviewStore;
      clusters: ClusterSettings[];
      now?: () => Date;
      /** A live count younger than this is served as it is. @defaultValue 15 s */
      recountAfterMs?: number;
    },
  ) {
    this.now = options.now ?? (() => new Date());
    this.recountAfterMs = options.recountAfterMs ?? 15_000;
  }

  /** The workflow's `preview` step; idempotent. */
  async take(context: RestoreStepContext): Promise<RestoreStepOutcome> {
    const { job } = context;
    if (job.target !== 'in-place') {
      throw new InputError('Only in-place restores are previewed');
    }
    const { store } = this.options;
    const connection = job.cluster.connection;
    const scratch = (engineState(context.state).names ?? restoreNames(job))
      .scratch;
    const stored = await store.get(job.id);
    // A re-run after a crash: the copy may be closed already, and was
    // counted before it was closed.
    if (stored?.scratchDatabase !== scratch) {
      const tables = await count(connection, scratch, STEP_LIMITS);
      await store.saveSnapshotSide(job.id, {
        scratchDatabase: scratch,
        tables,
        countedAt: this.now(),
      });
      await context.log(
        'info',
        `counted the restored copy '${scratch}': ${describeCount(tables)}`,
      );
    }
    await AdminSession.with(connection, async session => {
      await session.setAllowConnections(scratch, false);
      const ended = await session.terminateSessions(scratch);
      await context.log(
        'info',
        `closed '${scratch}' to connections until the swap${
          ended ? ` (ended ${ended} session(s))` : ''
        }: what is previewed is what is swapped in`,
      );
    });
    const live = await count(connection, job.databaseName, STEP_LIMITS);
    await store.saveLiveSide(job.id, { tables: live, countedAt: this.now() });
    const snapshotTables = (await store.get(job.id))!.snapshotTables;
    const summary = summarizePreview(comparePreview(snapshotTables, live));
    await context.log('info', `Preview: ${summary}`);
    return { kind: 'done', state: { previewSummary: summary } };
  }

  /**
   * The preview of a request, undefined before its `preview` step ran.
   * While the request awaits its finalize the live side is counted again;
   * if that fails the last count is served with the reason.
   */
  async read(record: RestoreRecord): Promise<RestorePreview | undefined> {
    const { store } = this.options;
    let stored = await store.get(record.id);
    if (!stored?.liveTables) {
      return undefined;
    }
    const age = this.now().getTime() - (stored.liveCountedAt?.getTime() ?? 0);
    if (record.state === 'awaiting-finalize' && age >= this.recountAfterMs) {
      await this.recount(record);
      stored = (await store.get(record.id))!;
    }
    const { tables, totals } = comparePreview(
      stored.snapshotTables,
      stored.liveTables!,
    );
    return {
      restoreId: record.id,
      databaseName: record.databaseName,
      scratchDatabaseName: stored.scratchDatabase,
      snapshotId: record.snapshotId,
      snapshotCreatedAt: record.snapshotCreatedAt.toISOString(),
      snapshotCountedAt: stored.snapshotCountedAt.toISOString(),
      ...(stored.liveCountedAt
        ? { liveCountedAt: stored.liveCountedAt.toISOString() }
        : {}),
      ...(stored.liveError ? { liveError: stored.liveError } : {}),
      ...(record.state === 'awaiting-finalize' && record.finalizeDeadline
        ? { finalizeDeadline: record.finalizeDeadline.toISOString() }
        : {}),
      totals,
      tables,
    };
  }

  private recount(record: RestoreRecord): Promise<void> {
    const running = this.recounts.get(record.id);
    if (running) {
      return running;
    }
    const recount = this.countLive(record).finally(() =>
      this.recounts.delete(record.id),
    );
    this.recounts.set(record.id, recount);
    return recount;
  }

  private async countLive(record: RestoreRecord): Promise<void> {
    const { store, clusters } = this.options;
    try {
      const cluster = clusters.find(c => c.name === record.cluster);
      if (!cluster) {
        throw new Error(`cluster ${record.cluster} is not configured`);
      }
      const tables = await count(
        cluster.connection,
        record.databaseName,
        ON_REQUEST_LIMITS,
      );
      await store.saveLiveSide(record.id, { tables, countedAt: this.now() });
    } catch (error) {
      await store.saveLiveSide(record.id, {
        error: `Could not count ${record.databaseName} again: ${
          (error as Error).message ?? error
        }`,
      });
    }
  }
}

async function count(
  connection: ClusterConnection,
  database: string,
  limits: CountLimits,
): Promise<CatalogTable[]> {
  const client = await openClusterClient(connection, {
    database,
    applicationName: 'backstage-dbaas-restore',
  }).catch(error => {
    throw new ForwardedError(
      `Could not connect to '${database}' to count its rows`,
      error,
    );
  });
  try {
    return await readTableCatalog(client, limits);
  } finally {
    await client.end().catch(() => {});
  }
}

function describeCount(tables: CatalogTable[]): string {
  const rows = tables.reduce((sum, t) => sum + (t.rows ?? 0), 0);
  const uncounted = tables.filter(t => !t.partitioned && t.rows === undefined);
  return `${tables.length} table(s), ${rows} row(s)${
    uncounted.length
      ? `; not counted: ${uncounted
          .map(t => `${t.schema}.${t.name} (${t.error})`)
          .join(', ')}`
      : ''
  }`;
}
