import type {
  DatabaseSnapshot,
  SnapshotSource,
  SnapshotType,
} from '@dbaas/plugin-dbaas-common';
import { formatBytes } from '../../common/formatBytes';
import {
  formatAbsoluteTime,
  formatRelativeTime,
} from '../../common/formatTime';

export const SNAPSHOT_TYPE_LABELS: Record<SnapshotType, string> = {
  automated: 'daily (Aurora automated)',
  manual: 'manual (Aurora)',
  scheduled: 'daily',
  'on-demand': 'on demand',
  final: 'final, before the drop',
};

export const SNAPSHOT_SOURCE_LABELS: Record<SnapshotSource, string> = {
  'aurora-cluster-snapshot':
    'Aurora cluster snapshots (each holds every database of the cluster)',
  pg_dump: 'logical pg_dump snapshots of this database',
};

/** `4 Mar 2026, 03:15 (2 days ago) · daily · 8.4 MiB`, for a choice list. */
export function describeSnapshot(snapshot: DatabaseSnapshot): string {
  const parts = [
    `${formatAbsoluteTime(snapshot.createdAt)} (${formatRelativeTime(
      snapshot.createdAt,
    )})`,
    SNAPSHOT_TYPE_LABELS[snapshot.type] ?? snapshot.type,
  ];
  if (snapshot.sizeBytes !== undefined) {
    parts.push(formatBytes(snapshot.sizeBytes));
  }
  return parts.join(' · ');
}
