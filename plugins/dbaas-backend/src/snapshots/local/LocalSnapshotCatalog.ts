import { randomUUID } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  DatabaseSnapshot,
  DatabaseSnapshotsResponse,
} from '@dbaas/plugin-dbaas-common';
import { ClusterEnvironment, errorMessageLine } from '@dbaas/plugin-dbaas-node';
import {
  RestorablePoint,
  SnapshotCatalog,
  SnapshotDump,
  SnapshotSubject,
  TakeSnapshotOptions,
} from '../SnapshotCatalog';
import { SnapshotFrequency, nextScheduledRun } from '../SnapshotSettings';
import {
  LocalSnapshotType,
  SnapshotStore,
  StoredSnapshot,
} from '../SnapshotStore';
import { PgToolLocator, readServerVersion } from '../../pgTools';
import { runPgDump } from './runPgDump';
import { dumpWithEvidence } from './dumpWithEvidence';
import { describeEvidence } from '../evidence';
import { archiveKey, isSnapshotId } from './archives/archiveKeys';
import {
  archiveMismatch,
  sha256File,
  verifiedArchive,
} from './archives/archiveDigest';
import { SnapshotArchiveStore } from './archives/SnapshotArchiveStore';

const DAY_MS = 24 * 3_600_000;

export interface LocalSnapshotCatalogOptions {
  store: SnapshotStore;
  /** Where the dumps are kept: the directory or the bucket. */
  archives: SnapshotArchiveStore;
  tools: PgToolLocator;
  retentionDays: Record<ClusterEnvironment, number>;
  /** When the snapshot task runs (its frequency): shows the next snapshot. */
  schedule: SnapshotFrequency;
  logger: LoggerService;
  /** How often a running dump refreshes its row. @defaultValue 30 s */
  heartbeatMs?: number;
  /** A `creating` row silent this long is a crashed replica's. @defaultValue 5 min */
  staleAfterMs?: number;
  now?: () => Date;
}

export function toApiSnapshot(row: StoredSnapshot): DatabaseSnapshot {
  return {
    id: row.id,
    source: 'pg_dump',
    type: row.type,
    // `deleted` rows are never handed out (see SnapshotStore.listForDatabase).
    status: row.status === 'deleted' ? 'deleting' : row.status,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    ...(row.sizeBytes !== undefined ? { sizeBytes: row.sizeBytes } : {}),
    ...(row.checksum ? { checksum: row.checksum } : {}),
    cluster: row.cluster,
    ...(row.engineVersion ? { engineVersion: row.engineVersion } : {}),
    ...(row.error ? { error: row.error } : {}),
  };
}

/**
 * Logical snapshots of databases on self-hosted clusters: `pg_dump
 * --format=custom` archives (files in the snapshot directory or objects in
 * the snapshot bucket) with their metadata in the plugin's database.
 * Only asked about clusters whose bundle has `snapshots: 'logical'`
 * (ProviderSnapshotCatalog and the snapshot cycle choose by it).
 *
 * Retention: a snapshot expires `retention.<environment>` days after it
 * was taken and is restorable until then. The newest available snapshot
 * of a database is the exception: pruning keeps it for as long as the
 * database exists (when the daily snapshots keep failing, the last good
 * copy must not vanish), so it stays restorable too.
 */
export class LocalSnapshotCatalog implements SnapshotCatalog {
  readonly #o: Required<LocalSnapshotCatalogOptions>;

  constructor(options: LocalSnapshotCatalogOptions) {
    this.#o = {
      heartbeatMs: 30_000,
      staleAfterMs: 5 * 60_000,
      now: () => new Date(),
      ...options,
    };
  }

  /** A `creating` row whose heartbeat is older than this is abandoned. */
  staleBefore(now: Date): Date {
    return new Date(now.getTime() - this.#o.staleAfterMs);
  }

  async list(subject: SnapshotSubject): Promise<DatabaseSnapshotsResponse> {
    const rows = await this.#rows(subject);
    const now = this.#o.now();
    const restorable = rows.filter(row => isRestorable(row, rows, now));
    const next = nextScheduledRun(this.#o.schedule, now);
    return {
      namespace: subject.namespace,
      name: subject.name,
      databaseName: subject.databaseName,
      cluster: subject.cluster.name,
      retentionDays: this.#o.retentionDays[subject.cluster.environment],
      ...(restorable.length > 0
        ? {
            restoreWindow: {
              earliest:
                restorable[restorable.length - 1].createdAt.toISOString(),
              latest: restorable[0].createdAt.toISOString(),
            },
          }
        : {}),
      ...(next ? { nextScheduledAt: next.toISOString() } : {}),
      items: rows.map(toApiSnapshot),
    };
  }

  async getRestorable(
    subject: SnapshotSubject,
    snapshotId: string,
  ): Promise<DatabaseSnapshot> {
    const row = await this.#own(subject, snapshotId);
    if (row.status !== 'available') {
      throw new InputError(
        `Snapshot ${snapshotId} of ${subject.databaseName} is ${row.status}${
          row.error ? ` (${row.error})` : ''
        }; only an available snapshot can be restored`,
      );
    }
    const rows = await this.#rows(subject);
    if (!isRestorable(row, rows, this.#o.now())) {
      throw new InputError(
        `Snapshot ${snapshotId} of ${
          subject.databaseName
        } expired on ${row.expiresAt.toISOString()} (retention ${
          this.#o.retentionDays[subject.cluster.environment]
        } days); restore from a newer snapshot`,
      );
    }
    return toApiSnapshot(row);
  }

  async getRestorablePointInTime(
    subject: SnapshotSubject,
  ): Promise<RestorablePoint> {
    throw new InputError(
      `Database ${subject.namespace}/${subject.name} is on self-hosted cluster '${subject.cluster.name}', which keeps snapshots only (no continuous backup): choose a snapshot instead of a point in time`,
    );
  }

  async openDump(
    subject: SnapshotSubject,
    snapshotId: string,
  ): Promise<SnapshotDump> {
    const row = await this.#own(subject, snapshotId);
    if (row.status !== 'available' || !row.checksum) {
      throw new InputError(
        `Snapshot ${snapshotId} of ${subject.databaseName} is ${row.status}; it has no dump file`,
      );
    }
    const { archives } = this.#o;
    const key = archiveKey(row.cluster, row.databaseName, row.id);
    const location = archives.locate(key);
    const what = `The dump file of snapshot ${snapshotId} of ${subject.databaseName}`;
    const recorded = { checksum: row.checksum, sizeBytes: row.sizeBytes ?? 0 };
    const facts = await archives.stat(key);
    if (!facts) {
      throw new InputError(`${what} is missing (${location})`);
    }
    const path = archives.localFile(key);
    // A local file is checked whole now (pg_restore then reads it itself);
    // an object by its size and sha256 tag now, and its bytes as they are
    // streamed into pg_restore. An object without the tag (copied into the
    // bucket by hand, e.g. from the snapshot directory) is checked by its
    // bytes only.
    const mismatch = archiveMismatch(
      what,
      {
        sizeBytes: facts.sizeBytes,
        checksum: path
          ? await sha256File(path)
          : facts.checksum ?? recorded.checksum,
      },
      recorded,
    );
    if (mismatch) {
      throw mismatch;
    }
    return {
      location,
      ...recorded,
      ...(path ? { path } : {}),
      read: async signal =>
        verifiedArchive(
          await archives.read(key, { signal }),
          recorded,
          `${what} (${location})`,
        ),
    };
  }

  async take(
    subject: SnapshotSubject,
    type: LocalSnapshotType,
    options: TakeSnapshotOptions = {},
  ): Promise<DatabaseSnapshot> {
    const { cluster, databaseName } = subject;
    const { store, archives, logger } = this.#o;
    const createdAt = this.#o.now();
    const id = randomUUID();
    const key = archiveKey(cluster.name, databaseName, id);
    const row = {
      id,
      cluster: cluster.name,
      databaseName,
      namespace: subject.namespace,
      name: subject.name,
      type,
      createdAt,
      expiresAt: new Date(
        createdAt.getTime() +
          this.#o.retentionDays[cluster.environment] * DAY_MS,
      ),
    };
    let begun = await store.begin(row);
    if (
      !begun.started &&
      begun.running.heartbeatAt < this.staleBefore(createdAt)
    ) {
      await this.abandon(begun.running, createdAt);
      begun = await store.begin(row);
    }
    if (!begun.started) {
      throw new ConflictError(
        `A ${
          begun.running.type
        } snapshot of ${databaseName} is already being taken (started ${begun.running.createdAt.toISOString()}); try again when it is done`,
      );
    }

    const heartbeat = setInterval(() => {
      store
        .heartbeat(id, this.#o.now())
        .catch(error =>
          logger.warn(
            `Cannot refresh snapshot ${id} of ${databaseName}: ${errorMessageLine(
              error,
            )}`,
          ),
        );
    }, this.#o.heartbeatMs);
    let engineVersion: string | undefined;
    try {
      const server = await readServerVersion(
        cluster.connection,
        databaseName,
        'backstage-dbaas-snapshot',
      );
      engineVersion = server.version;
      const tool = await this.#o.tools.find('pg_dump', {
        versionNum: server.num,
        description: `cluster '${cluster.name}' (PostgreSQL ${server.version})`,
      });
      // pg_dump's own name, so the evidence can see when it holds its locks.
      const applicationName = `backstage-dbaas-snapshot ${id}`;
      const { result, evidence, measuredMs } = await dumpWithEvidence({
        connection: cluster.connection,
        database: databaseName,
        dumpApplicationName: applicationName,
        dump: (snapshot, signal) =>
          runPgDump({
            tool,
            connection: cluster.connection,
            database: databaseName,
            snapshot,
            applicationName,
            write: dump => archives.write(key, dump, { signal }),
            signal,
          }),
        signal: options.signal,
      });
      const completed = await store.complete(id, {
        ...result,
        engineVersion,
        completedAt: this.#o.now(),
        evidence,
      });
      if (!completed) {
        throw new Error(
          'its record was marked abandoned while pg_dump ran (the heartbeat could not be written)',
        );
      }
      logger.info(
        `Took ${type} snapshot ${id} of ${databaseName} on cluster '${
          cluster.name
        }' (${result.sizeBytes} bytes, ${archives.locate(
          key,
        )}; evidence: ${describeEvidence(evidence)}, measured in ${(
          measuredMs / 1000
        ).toFixed(1)} s while pg_dump ran)`,
      );
    } catch (error) {
      const message = errorMessageLine(error);
      // The archive store removed what it had written; this also covers a
      // dump that was stored but whose record could not be completed.
      await archives
        .delete(key)
        .catch(cleanupError =>
          logger.warn(
            `Cannot remove what the failed snapshot ${id} of ${databaseName} stored at ${archives.locate(
              key,
            )}; the snapshot cleanup retries: ${errorMessageLine(
              cleanupError,
            )}`,
          ),
        );
      await store.fail(id, message, this.#o.now(), engineVersion);
      logger.error(
        `The ${type} snapshot of ${databaseName} on cluster '${cluster.name}' failed: ${message}`,
      );
      if (error instanceof InputError) {
        throw error;
      }
      throw new Error(
        `The ${type} snapshot of ${databaseName} failed: ${message}`,
      );
    } finally {
      clearInterval(heartbeat);
    }
    return toApiSnapshot((await store.get(id))!);
  }

  /** Marks a crashed replica's snapshot failed and removes what it stored. */
  async abandon(row: StoredSnapshot, now: Date): Promise<void> {
    const failed = await this.#o.store.fail(
      row.id,
      `abandoned: the backend taking it stopped (no progress since ${row.heartbeatAt.toISOString()})`,
      now,
    );
    if (failed) {
      const key = archiveKey(row.cluster, row.databaseName, row.id);
      // Once the row is failed, the archive is nobody's: a later cleanup
      // removes it if this cannot.
      await this.#o.archives
        .delete(key)
        .catch(error =>
          this.#o.logger.warn(
            `Cannot remove what abandoned snapshot ${
              row.id
            } stored at ${this.#o.archives.locate(
              key,
            )}; the next cleanup retries: ${errorMessageLine(error)}`,
          ),
        );
      this.#o.logger.warn(
        `Snapshot ${row.id} of ${row.databaseName} was abandoned by a stopped backend; marked failed`,
      );
    }
  }

  #rows(subject: SnapshotSubject): Promise<StoredSnapshot[]> {
    return this.#o.store.listForDatabase(
      subject.cluster.name,
      subject.databaseName,
    );
  }

  /** The snapshot, if it is one of this database's; NotFoundError otherwise. */
  async #own(
    subject: SnapshotSubject,
    snapshotId: string,
  ): Promise<StoredSnapshot> {
    const row = isSnapshotId(snapshotId)
      ? await this.#o.store.get(snapshotId)
      : undefined;
    if (
      !row ||
      row.status === 'deleted' ||
      row.cluster !== subject.cluster.name ||
      row.databaseName !== subject.databaseName
    ) {
      throw new NotFoundError(
        `Database ${subject.namespace}/${subject.name} has no snapshot '${snapshotId}'`,
      );
    }
    return row;
  }
}

/**
 * Available, and within retention or the newest available snapshot of the
 * database (`rows`: all of the database's snapshots).
 */
function isRestorable(
  row: StoredSnapshot,
  rows: StoredSnapshot[],
  now: Date,
): boolean {
  if (row.status !== 'available') {
    return false;
  }
  if (row.expiresAt > now) {
    return true;
  }
  const newest = rows.find(r => r.status === 'available');
  return newest?.id === row.id;
}
