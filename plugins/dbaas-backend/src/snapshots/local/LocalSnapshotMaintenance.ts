import { LoggerService } from '@backstage/backend-plugin-api';
import { errorMessageLine } from '@dbaas/plugin-dbaas-node';
import { SnapshotStore, StoredSnapshot } from '../SnapshotStore';
import { LocalSnapshotCatalog } from './LocalSnapshotCatalog';
import { archiveKey, parseArchiveKey } from './archives/archiveKeys';
import { SnapshotArchiveStore } from './archives/SnapshotArchiveStore';

const DAY_MS = 24 * 3_600_000;

/**
 * How long the row of a pruned snapshot is kept (without its file) so that
 * billing can still tell what was stored at a past moment: as long as the
 * daily metrics roll-ups.
 */
export const PRUNED_ROW_RETENTION_DAYS = 400;

export interface PruneResult {
  /** Ids of snapshots whose archives (files, objects) were deleted. */
  pruned: string[];
  /** Ids of expired snapshots kept as their database's last good copy. */
  keptAsLastCopy: string[];
  /** Ids of expired snapshots kept because a restore request names them. */
  keptForRestore: string[];
  /** Ids of failed snapshots forgotten. */
  forgotten: string[];
}

export interface CleanupResult {
  /** Ids of `creating` snapshots of stopped backends, now failed. */
  abandoned: string[];
  /**
   * Archives and unfinished writes (`.partial` files, pending multipart
   * uploads) no snapshot owns any more, removed: where they were.
   */
  removedFiles: string[];
}

/** `<cluster>/<databaseName>` */
export function databaseKey(cluster: string, databaseName: string): string {
  return `${cluster}/${databaseName}`;
}

/**
 * Housekeeping of logical snapshots, run by the scheduled task on one
 * replica at a time.
 */
export class LocalSnapshotMaintenance {
  constructor(
    private readonly options: {
      store: SnapshotStore;
      archives: SnapshotArchiveStore;
      catalog: LocalSnapshotCatalog;
      logger: LoggerService;
    },
  ) {}

  /**
   * What a crashed replica left: `creating` rows without a heartbeat for
   * a while (marked failed, their archives removed), then archives whose
   * snapshot is not `creating` or `available` any more (a `.dump.partial`
   * or a pending multipart upload of a finished or failed snapshot, a dump
   * whose row is gone).
   */
  async cleanUp(now: Date): Promise<CleanupResult> {
    const { store, archives, catalog, logger } = this.options;
    const result: CleanupResult = { abandoned: [], removedFiles: [] };
    for (const row of await store.listStale(catalog.staleBefore(now))) {
      await catalog.abandon(row, now);
      result.abandoned.push(row.id);
    }
    // Listing archives before reading rows is what makes this safe next to
    // a running snapshot: its row is written before its archive is begun.
    let entries;
    try {
      entries = await archives.list();
    } catch (error) {
      // Leftovers wait for the next cycle; the snapshots must not (a bucket
      // policy without s3:ListBucketMultipartUploads would otherwise stop
      // every snapshot).
      logger.error(
        `Cannot look for left-over snapshot archives; the snapshots go on: ${errorMessageLine(
          error,
        )}`,
      );
      return result;
    }
    for (const entry of entries) {
      const owner = parseArchiveKey(entry.key)!;
      const row = await store.get(owner.id);
      const owned =
        row?.status === 'creating' ||
        (row?.status === 'available' && !entry.partial);
      if (!owned) {
        await (entry.partial
          ? archives.discardPartial(entry.key)
          : archives.delete(entry.key));
        result.removedFiles.push(entry.location);
        logger.info(`Removed left-over snapshot archive ${entry.location}`);
      }
    }
    return result;
  }

  /**
   * Deletes snapshots whose retention ended: available ones lose their
   * archive (the row stays, marked deleted, for billing history), failed ones
   * are forgotten. The newest available snapshot of a database that still
   * exists (`liveDatabases`, keys from {@link databaseKey}) is never
   * pruned: if the daily snapshots keep failing, the last good copy stays.
   * Nor is a snapshot that an active restore request names (`inUse`): its
   * restore may be waiting for approval or running from that very file.
   */
  async prune(
    now: Date,
    liveDatabases: Set<string>,
    inUse: ReadonlySet<string> = new Set(),
  ): Promise<PruneResult> {
    const { store, archives, logger } = this.options;
    const result: PruneResult = {
      pruned: [],
      keptAsLastCopy: [],
      keptForRestore: [],
      forgotten: [],
    };
    const expired = await store.listExpired(now);
    const newestByCluster = new Map<string, Map<string, StoredSnapshot>>();
    for (const row of expired) {
      if (row.status === 'failed') {
        result.forgotten.push(row.id);
        continue;
      }
      if (inUse.has(row.id)) {
        result.keptForRestore.push(row.id);
        logger.info(
          `Snapshot ${row.id} of ${
            row.databaseName
          } expired on ${row.expiresAt.toISOString()} but is kept while a restore request names it`,
        );
        continue;
      }
      let newest = newestByCluster.get(row.cluster);
      if (!newest) {
        newest = await store.newestAvailable(row.cluster);
        newestByCluster.set(row.cluster, newest);
      }
      const key = databaseKey(row.cluster, row.databaseName);
      if (
        newest.get(row.databaseName)?.id === row.id &&
        liveDatabases.has(key)
      ) {
        result.keptAsLastCopy.push(row.id);
        logger.warn(
          `Snapshot ${row.id} of ${
            row.databaseName
          } expired on ${row.expiresAt.toISOString()} but is kept: it is the database's newest available snapshot`,
        );
        continue;
      }
      try {
        await archives.delete(
          archiveKey(row.cluster, row.databaseName, row.id),
        );
        await store.markDeleted(row.id, now);
        result.pruned.push(row.id);
      } catch (error) {
        logger.error(
          `Cannot prune snapshot ${row.id} of ${
            row.databaseName
          }: ${errorMessageLine(error)}`,
        );
      }
    }
    await store.purge(result.forgotten);
    await store.purgeDeletedBefore(
      new Date(now.getTime() - PRUNED_ROW_RETENTION_DAYS * DAY_MS),
    );
    return result;
  }
}
