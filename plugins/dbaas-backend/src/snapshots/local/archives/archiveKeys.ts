/** Snapshot ids are UUIDs; anything else never names an archive. */
const SNAPSHOT_ID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DUMP_SUFFIX = '.dump';

export function isSnapshotId(id: string): boolean {
  return SNAPSHOT_ID.test(id);
}

/** The snapshot an archive key names. */
export interface ArchiveOwner {
  cluster: string;
  databaseName: string;
  id: string;
}

/**
 * `<cluster>/<databaseName>/<id>.dump`: the id (a fresh UUID per
 * snapshot) makes every key new, so two snapshots never share one. Cluster
 * names are checked at startup (SnapshotSettings) and database names are
 * `<namespace>-<name>` of checked names: neither has a `/`.
 */
export function archiveKey(
  cluster: string,
  databaseName: string,
  id: string,
): string {
  return `${cluster}/${databaseName}/${id}${DUMP_SUFFIX}`;
}

/** The snapshot a key names; undefined for keys the suite did not write. */
export function parseArchiveKey(key: string): ArchiveOwner | undefined {
  const parts = key.split('/');
  if (parts.length !== 3 || !parts[2].endsWith(DUMP_SUFFIX)) {
    return undefined;
  }
  const [cluster, databaseName, file] = parts;
  const id = file.slice(0, -DUMP_SUFFIX.length);
  if (!cluster || !databaseName || !isSnapshotId(id)) {
    return undefined;
  }
  return { cluster, databaseName, id };
}
