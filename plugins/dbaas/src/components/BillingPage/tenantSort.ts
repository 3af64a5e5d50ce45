import type { TenantCostSummary } from '@dbaas/plugin-dbaas-common';

export type TenantSortKey =
  | 'namespace'
  | 'databases'
  | 'total'
  | 'forecast'
  | 'budgetUsed';

export interface TenantSort {
  key: TenantSortKey;
  direction: 'asc' | 'desc';
}

/** Most expensive first: the question people open the page with. */
export const DEFAULT_TENANT_SORT: TenantSort = {
  key: 'total',
  direction: 'desc',
};

function sortValue(tenant: TenantCostSummary, key: TenantSortKey) {
  switch (key) {
    case 'namespace':
      return tenant.namespace;
    case 'databases':
      return tenant.databaseCount;
    case 'total':
      return tenant.cents.total;
    case 'forecast':
      return tenant.forecastCents;
    case 'budgetUsed':
      // Tenants without a budget sort below any that has one.
      return tenant.budgetUsedPercent ?? -1;
    default:
      return 0;
  }
}

/**
 * The tenants in `sort` order; ties by namespace, so the order is stable
 * whatever order the backend sent.
 */
export function sortTenants(
  tenants: TenantCostSummary[],
  sort: TenantSort,
): TenantCostSummary[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...tenants].sort((a, b) => {
    const x = sortValue(a, sort.key);
    const y = sortValue(b, sort.key);
    const order =
      typeof x === 'string' && typeof y === 'string'
        ? x.localeCompare(y)
        : (x as number) - (y as number);
    return order * sign || a.namespace.localeCompare(b.namespace);
  });
}

/**
 * The sort after clicking a column: the other direction on the same
 * column; a new column starts with the largest first, except names.
 */
export function nextTenantSort(
  current: TenantSort,
  key: TenantSortKey,
): TenantSort {
  if (current.key === key) {
    return { key, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  }
  return { key, direction: key === 'namespace' ? 'asc' : 'desc' };
}
