import { InputError } from '@backstage/errors';
import {
  DatabaseSnapshot,
  DatabaseSnapshotsResponse,
  SnapshotType,
} from '@dbaas/plugin-dbaas-common';
import { SnapshotKind } from '../providers/ClusterProviderBundle';
import { clusterProviderFor } from '../providers/createClusterProviders';
import {
  RestorablePoint,
  SnapshotCatalog,
  SnapshotDump,
  SnapshotSubject,
  TakeSnapshotOptions,
} from './SnapshotCatalog';

/**
 * The catalog callers use: each question goes to the catalog of the kind
 * of snapshots the subject's cluster provider has (Aurora cluster
 * snapshots, or logical snapshots on self-hosted clusters).
 */
export class ProviderSnapshotCatalog implements SnapshotCatalog {
  constructor(
    private readonly catalogs: Partial<Record<SnapshotKind, SnapshotCatalog>>,
  ) {}

  list(subject: SnapshotSubject): Promise<DatabaseSnapshotsResponse> {
    return this.#for(subject).list(subject);
  }

  getRestorable(
    subject: SnapshotSubject,
    snapshotId: string,
  ): Promise<DatabaseSnapshot> {
    return this.#for(subject).getRestorable(subject, snapshotId);
  }

  getRestorablePointInTime(
    subject: SnapshotSubject,
    at: Date,
  ): Promise<RestorablePoint> {
    return this.#for(subject).getRestorablePointInTime(subject, at);
  }

  take(
    subject: SnapshotSubject,
    type: Extract<SnapshotType, 'on-demand' | 'final' | 'scheduled'>,
    options?: TakeSnapshotOptions,
  ): Promise<DatabaseSnapshot> {
    return this.#for(subject).take(subject, type, options);
  }

  openDump(
    subject: SnapshotSubject,
    snapshotId: string,
  ): Promise<SnapshotDump> {
    return this.#for(subject).openDump(subject, snapshotId);
  }

  #for(subject: SnapshotSubject): SnapshotCatalog {
    const catalog =
      this.catalogs[clusterProviderFor(subject.cluster).snapshots];
    if (!catalog) {
      throw new InputError(
        `Snapshots are not set up for cluster '${subject.cluster.name}' (provider ${subject.cluster.provider})`,
      );
    }
    return catalog;
  }
}
