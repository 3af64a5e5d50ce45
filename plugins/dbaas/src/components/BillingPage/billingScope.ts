/**
 * What a download of the month holds for this user, in words: the tenant's
 * name for one tenant, `2 tenants` for some, `all 5 tenants` only when the
 * user may read every tenant's billing (the overview then carries the
 * clusters' totals).
 */
export function describeBillingScope(options: {
  namespaces: string[];
  everyTenant: boolean;
}): string {
  const { namespaces, everyTenant } = options;
  if (namespaces.length === 1) {
    return namespaces[0];
  }
  if (namespaces.length === 0) {
    return 'no tenant';
  }
  return `${everyTenant ? 'all ' : ''}${namespaces.length} tenants`;
}
