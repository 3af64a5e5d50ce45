import { InputError, NotFoundError } from '@backstage/errors';
import {
  DatabaseSnapshot,
  DatabaseSnapshotsResponse,
} from '@dbaas/plugin-dbaas-common';
import {
  describeWindow,
  pointInTimeId,
} from '../../snapshots/pointInTime';
import {
  RestorablePoint,
  SnapshotCatalog,
  SnapshotDump,
  SnapshotSubject,
} from '../../snapshots/SnapshotCatalog';

/**
 * Snapshots held in memory per database, answering like the real catalog:
 * NotFoundError for an unknown id or another database's snapshot,
 * InputError for one past its retention.
 */
export class FakeSnapshotCatalog implements SnapshotCatalog {
  private readonly byDatabase = new Map<string, DatabaseSnapshot[]>();
  readonly asked: string[] = [];

  constructor(private readonly now: () => Date) {}

  add(
    databaseName: string,
    snapshot: Partial<DatabaseSnapshot> & { id: string },
  ) {
    const list = this.byDatabase.get(databaseName) ?? [];
    list.push({
      source: 'pg_dump',
      type: 'scheduled',
      status: 'available',
      createdAt: '2026-11-26T02:00:00.000Z',
      cluster: 'eu',
      ...snapshot,
    });
    this.byDatabase.set(databaseName, list);
  }

  async list(subject: SnapshotSubject): Promise<DatabaseSnapshotsResponse> {
    return {
      namespace: subject.namespace,
      name: subject.name,
      databaseName: subject.databaseName,
      retentionDays: 7,
      items: this.byDatabase.get(subject.databaseName) ?? [],
    };
  }

  async getRestorable(
    subject: SnapshotSubject,
    snapshotId: string,
  ): Promise<DatabaseSnapshot> {
    this.asked.push(
      `${subject.databaseName}@${subject.cluster.name}:${snapshotId}`,
    );
    const snapshot = (this.byDatabase.get(subject.databaseName) ?? []).find(
      s => s.id === snapshotId,
    );
    if (!snapshot) {
      throw new NotFoundError(
        `No snapshot ${snapshotId} of ${subject.databaseName}`,
      );
    }
    if (
      snapshot.expiresAt &&
      new Date(snapshot.expiresAt).getTime() <= this.now().getTime()
    ) {
      throw new InputError(
        `Snapshot ${snapshotId} is outside the retention window`,
      );
    }
    return snapshot;
  }

  /** Set by a test: the cluster's point-in-time window, if any. */
  pointInTimeWindow?: { earliest: Date; latest: Date };

  async getRestorablePointInTime(
    subject: SnapshotSubject,
    at: Date,
  ): Promise<RestorablePoint> {
    this.asked.push(
      `${subject.databaseName}@${subject.cluster.name}:${pointInTimeId(at)}`,
    );
    const window = this.pointInTimeWindow;
    if (!window || at < window.earliest || at > window.latest) {
      throw new InputError(
        `${at.toISOString()} is outside the restore window${
          window ? ` (${describeWindow(window)})` : ''
        }`,
      );
    }
    return { id: pointInTimeId(at), createdAt: at.toISOString() };
  }

  async take(): Promise<DatabaseSnapshot> {
    throw new InputError('Restores never take snapshots');
  }

  async openDump(): Promise<SnapshotDump> {
    throw new InputError('Restores in these tests never read dump files');
  }
}
