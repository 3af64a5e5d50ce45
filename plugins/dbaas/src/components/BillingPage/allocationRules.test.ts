import { billingSettings } from './billingFixtures';
import { allocationRules } from './allocationRules';

function ruleText(
  settings: ReturnType<typeof billingSettings>,
  id: string,
): string {
  const rule = allocationRules(settings).find(r => r.id === id);
  return `${rule?.title}: ${rule?.text}`;
}

describe('allocationRules', () => {
  it('states each configured price in the configured currency', () => {
    const settings = billingSettings({ currency: 'EUR' });
    expect(ruleText(settings, 'storage')).toMatch(
      /^Storage: €0.10 per GB-month: .*exactly €0.10 a month/,
    );
    expect(ruleText(settings, 'compute')).toMatch(
      /^Compute: €0.12 per ACU-hour/,
    );
    expect(ruleText(settings, 'snapshots')).toMatch(
      /^Snapshots: €0.021 per GB-month/,
    );
    expect(ruleText(settings, 'base')).toMatch(
      /^Base fee: €50.00 per cluster and month/,
    );
  });

  it.each([
    ['proportional', /in proportion to each database’s activity/],
    ['even', /split evenly between the databases on the cluster/],
    ['storage', /by each database’s share of the cluster’s storage/],
  ] as const)('words the %s idle capacity rule', (idleCapacity, pattern) => {
    expect(ruleText(billingSettings({ idleCapacity }), 'compute')).toMatch(
      pattern,
    );
  });

  it.each([
    ['even', /split evenly between the databases on the cluster each hour/],
    ['storage', /split by each database’s share of the cluster’s storage/],
  ] as const)('words the %s base fee rule', (baseFee, pattern) => {
    expect(ruleText(billingSettings({ baseFee }), 'base')).toMatch(pattern);
  });

  it('says when no base fee is configured', () => {
    const settings = billingSettings();
    settings.prices.baseMonthly = 0;
    expect(ruleText(settings, 'base')).toMatch(/No base fee is configured/);
  });
});
