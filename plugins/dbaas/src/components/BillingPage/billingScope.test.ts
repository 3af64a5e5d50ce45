import { describeBillingScope } from './billingScope';

describe('describeBillingScope', () => {
  it.each([
    [['payments'], false, 'payments'],
    [['payments'], true, 'payments'],
    [['payments', 'search'], false, '2 tenants'],
    [['analytics', 'payments', 'search'], true, 'all 3 tenants'],
    [[], false, 'no tenant'],
  ])('%j (every tenant: %s) -> %s', (namespaces, everyTenant, expected) => {
    expect(describeBillingScope({ namespaces, everyTenant })).toBe(expected);
  });
});
