import type { DatabaseSummary } from '@dbaas/plugin-dbaas-common';

/**
 * The filters of the databases page. They live in the query string, so that
 * a filtered view can be linked to; values are kept as they came, even ones
 * no database has, so that a link never silently widens.
 */
export interface InventoryFilters {
  /** A tenant namespace. */
  tenant?: string;
  /** A database status, or {@link UNKNOWN_STATUS_FILTER}. */
  status?: string;
  cluster?: string;
  mode?: string;
  /**
   * Recovery objectives: `missed` (either missed), `met` (both met) or
   * `unknown` (neither missed, one not known; databases that have none).
   */
  objectives?: string;
  /** Free text; every word must appear somewhere in the row. */
  search?: string;
}

/** The query string parameter of each filter. */
export const FILTER_PARAMS: Record<keyof InventoryFilters, string> = {
  tenant: 'tenant',
  status: 'status',
  cluster: 'cluster',
  mode: 'mode',
  objectives: 'objectives',
  search: 'q',
};

/**
 * The status filter value for databases whose cluster cannot be reached:
 * their status is the last one known, so it gets a filter of its own.
 */
export const UNKNOWN_STATUS_FILTER = 'unknown';

const FILTER_KEYS = Object.keys(FILTER_PARAMS) as (keyof InventoryFilters)[];

export function readFilters(params: URLSearchParams): InventoryFilters {
  const filters: InventoryFilters = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(FILTER_PARAMS[key]);
    if (value) {
      filters[key] = value;
    }
  }
  return filters;
}

/**
 * The query string with the filters changed: an empty or undefined value
 * removes its parameter. Parameters that are not filters are kept.
 */
export function writeFilters(
  params: URLSearchParams,
  changes: InventoryFilters,
): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const key of FILTER_KEYS) {
    if (key in changes) {
      const value = changes[key];
      if (value) {
        next.set(FILTER_PARAMS[key], value);
      } else {
        next.delete(FILTER_PARAMS[key]);
      }
    }
  }
  return next;
}

/** Every filter set to nothing, for `writeFilters`. */
export const NO_FILTERS: InventoryFilters = Object.fromEntries(
  FILTER_KEYS.map(key => [key, undefined]),
);

export function hasFilters(filters: InventoryFilters): boolean {
  return FILTER_KEYS.some(key => Boolean(filters[key]));
}

function searchableText(database: DatabaseSummary): string {
  return [
    `${database.namespace}/${database.name}`,
    database.databaseName,
    database.status,
    database.mode,
    database.cluster ?? '',
    ...database.owners,
  ]
    .join(' ')
    .toLowerCase();
}

export function matchesFilters(
  database: DatabaseSummary,
  filters: InventoryFilters,
): boolean {
  if (filters.tenant && database.namespace !== filters.tenant) {
    return false;
  }
  if (filters.status === UNKNOWN_STATUS_FILTER) {
    if (!database.unknownSince) {
      return false;
    }
  } else if (filters.status && database.status !== filters.status) {
    return false;
  }
  if (filters.cluster && database.cluster !== filters.cluster) {
    return false;
  }
  if (filters.mode && database.mode !== filters.mode) {
    return false;
  }
  if (filters.objectives && objectivesState(database) !== filters.objectives) {
    return false;
  }
  const words = filters.search?.toLowerCase().split(/\s+/).filter(Boolean);
  if (words?.length) {
    const text = searchableText(database);
    return words.every(word => text.includes(word));
  }
  return true;
}

/** What the objectives filter compares: see {@link InventoryFilters.objectives}. */
function objectivesState(database: DatabaseSummary): string {
  const { recovery } = database;
  if (recovery?.rpo === 'missed' || recovery?.rto === 'missed') {
    return 'missed';
  }
  return recovery?.rpo === 'met' && recovery.rto === 'met' ? 'met' : 'unknown';
}

/** The distinct values some field takes in the inventory, sorted. */
export function distinctValues(
  databases: DatabaseSummary[],
  pick: (database: DatabaseSummary) => string | undefined,
): string[] {
  const values = new Set<string>();
  for (const database of databases) {
    const value = pick(database);
    if (value) {
      values.add(value);
    }
  }
  return [...values].sort((a, b) => a.localeCompare(b));
}
