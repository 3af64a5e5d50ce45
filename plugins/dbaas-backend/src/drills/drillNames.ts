import { jobTag } from '../restores/workflow/engines/restoreNames';

/** PostgreSQL's identifier limit (NAMEDATALEN - 1). */
const MAX_IDENTIFIER_BYTES = 63;
const MARKER = '_drill_';

/**
 * The scratch database of a drill: `<database>_drill_<tag>`, the database
 * name cut from its end when the whole would not fit 63 bytes. Tenant
 * database names never contain `_`, so no tenant database can carry such a
 * name: dropping one can never hit a tenant's data, and restores' own
 * scratch copies (`_restore_`, `_safety_`) are never taken for drills'.
 */
export function drillScratchName(databaseName: string, drillId: string) {
  const suffix = `${MARKER}${jobTag(drillId)}`;
  return `${databaseName.slice(
    0,
    MAX_IDENTIFIER_BYTES - suffix.length,
  )}${suffix}`;
}

/** True for names made by {@link drillScratchName}. */
export function isDrillScratchName(name: string): boolean {
  return /_drill_[0-9a-f]{12}$/.test(name);
}
