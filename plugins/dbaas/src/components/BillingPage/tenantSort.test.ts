import { cents, tenantSummary } from './billingFixtures';
import { DEFAULT_TENANT_SORT, nextTenantSort, sortTenants } from './tenantSort';

const tenants = [
  tenantSummary({
    namespace: 'b-team',
    cents: cents({ storage: 500 }),
    forecastCents: 2000,
    databaseCount: 3,
  }),
  tenantSummary({
    namespace: 'a-team',
    cents: cents({ storage: 500 }),
    forecastCents: 900,
    budgetUsedPercent: 50,
    databaseCount: 1,
  }),
  tenantSummary({
    namespace: 'c-team',
    cents: cents({ storage: 900 }),
    forecastCents: 1000,
    budgetUsedPercent: 120,
    databaseCount: 2,
  }),
];

const names = (sorted: typeof tenants) => sorted.map(t => t.namespace);

describe('sortTenants', () => {
  it('puts the most expensive first by default, ties by name', () => {
    expect(names(sortTenants(tenants, DEFAULT_TENANT_SORT))).toEqual([
      'c-team',
      'a-team',
      'b-team',
    ]);
  });

  it('sorts by forecast, databases and name', () => {
    expect(
      names(sortTenants(tenants, { key: 'forecast', direction: 'desc' })),
    ).toEqual(['b-team', 'c-team', 'a-team']);
    expect(
      names(sortTenants(tenants, { key: 'databases', direction: 'asc' })),
    ).toEqual(['a-team', 'c-team', 'b-team']);
    expect(
      names(sortTenants(tenants, { key: 'namespace', direction: 'desc' })),
    ).toEqual(['c-team', 'b-team', 'a-team']);
  });

  it('puts tenants without a budget below those with one', () => {
    expect(
      names(sortTenants(tenants, { key: 'budgetUsed', direction: 'desc' })),
    ).toEqual(['c-team', 'a-team', 'b-team']);
  });

  it('leaves the input as it was', () => {
    sortTenants(tenants, DEFAULT_TENANT_SORT);
    expect(names(tenants)).toEqual(['b-team', 'a-team', 'c-team']);
  });
});

describe('nextTenantSort', () => {
  it('flips the direction on the same column', () => {
    expect(nextTenantSort(DEFAULT_TENANT_SORT, 'total')).toEqual({
      key: 'total',
      direction: 'asc',
    });
  });

  it('starts names ascending and amounts descending', () => {
    expect(nextTenantSort(DEFAULT_TENANT_SORT, 'namespace')).toEqual({
      key: 'namespace',
      direction: 'asc',
    });
    expect(
      nextTenantSort({ key: 'namespace', direction: 'asc' }, 'forecast'),
    ).toEqual({ key: 'forecast', direction: 'desc' });
  });
});
