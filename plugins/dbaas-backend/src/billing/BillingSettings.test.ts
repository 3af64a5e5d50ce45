import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import {
  DEFAULT_BILLING_SETTINGS,
  readBillingSettings,
  readTenantBudgets,
} from './BillingSettings';

const cfg = (billing: JsonObject) => new ConfigReader({ dbaas: { billing } });

describe('readBillingSettings', () => {
  it('defaults everything', () => {
    expect(readBillingSettings(new ConfigReader({}))).toEqual(
      DEFAULT_BILLING_SETTINGS,
    );
  });

  it('reads every key and upper-cases the currency', () => {
    expect(
      readBillingSettings(
        cfg({
          currency: 'eur',
          prices: {
            acuHour: 0.2,
            storageGbMonth: 0.11,
            snapshotGbMonth: 0.03,
            baseMonthly: 50,
          },
          allocation: { idleCapacity: 'storage', baseFee: 'storage' },
        }),
      ),
    ).toEqual({
      currency: 'EUR',
      prices: {
        acuHour: 0.2,
        storageGbMonth: 0.11,
        snapshotGbMonth: 0.03,
        baseMonthly: 50,
      },
      allocation: { idleCapacity: 'storage', baseFee: 'storage' },
    });
  });

  it.each([
    [{ currency: 'US' }, /dbaas.billing.currency must be a 3-letter/],
    [{ currency: 'US$' }, /dbaas.billing.currency/],
    [{ prices: { acuHour: -1 } }, /dbaas.billing.prices.acuHour must be/],
    [{ prices: { baseMonthly: -0.01 } }, /prices.baseMonthly/],
    [
      { allocation: { idleCapacity: 'random' } },
      /allocation.idleCapacity must be one of 'proportional', 'even', 'storage', got 'random'/,
    ],
    [{ allocation: { baseFee: 'proportional' } }, /allocation.baseFee/],
  ])('rejects %j', (billing, message) => {
    expect(() => readBillingSettings(cfg(billing))).toThrow(message);
  });
});

describe('readTenantBudgets', () => {
  it('reads budgets in cents and skips tenants without one', () => {
    const budgets = readTenantBudgets(
      new ConfigReader({
        dbaas: {
          tenants: [
            { namespace: 'a', owner: 'group:default/a', budget: 100.5 },
            { namespace: 'b', owner: 'group:default/b' },
          ],
        },
      }),
    );
    expect([...budgets]).toEqual([['a', 10050]]);
  });

  it('rejects a negative budget', () => {
    expect(() =>
      readTenantBudgets(
        new ConfigReader({
          dbaas: { tenants: [{ namespace: 'a', owner: 'x', budget: -1 }] },
        }),
      ),
    ).toThrow(/dbaas.tenants\[0\].budget/);
  });
});
