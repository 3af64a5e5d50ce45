import type { BillingAllocationSettings } from '@dbaas/plugin-dbaas-common';
import { formatPrice } from './formatMoney';

/** One rule of the allocation, as a heading and a sentence or two. */
export interface AllocationRule {
  id: string;
  title: string;
  text: string;
}

const IDLE_CAPACITY_RULES: Record<
  BillingAllocationSettings['idleCapacity'],
  string
> = {
  proportional:
    'Idle capacity (compute paid for but not used) is split like the used part: in proportion to each database’s activity in that hour.',
  even: 'Idle capacity (compute paid for but not used) is split evenly between the databases on the cluster in that hour.',
  storage:
    'Idle capacity (compute paid for but not used) is split by each database’s share of the cluster’s storage in that hour.',
};

const BASE_FEE_RULES: Record<BillingAllocationSettings['baseFee'], string> = {
  even: 'split evenly between the databases on the cluster each hour',
  storage: 'split by each database’s share of the cluster’s storage each hour',
};

/**
 * How the backend turns the clusters' costs into each database's, worded
 * from the prices and rules it reports (`settings`), so the explanation
 * never drifts from the computation.
 */
export function allocationRules(
  settings: BillingAllocationSettings,
): AllocationRule[] {
  const price = (amount: number) => formatPrice(amount, settings.currency);
  const { prices } = settings;
  return [
    {
      id: 'hourly',
      title: 'Hour by hour',
      text: 'Every hour, each cluster’s cost is priced and split between the databases on it at that hour, using that hour’s measurements: a tenant busy at noon does not pay for another’s idle night. Days and months are sums of hours.',
    },
    {
      id: 'storage',
      title: `Storage: ${price(prices.storageGbMonth)} per GB-month`,
      text: `Each database pays for its measured size over time: size in GB (2^30 bytes) each hour × ${price(
        prices.storageGbMonth,
      )} ÷ hours in the month. A database of a constant 1 GB pays exactly ${price(
        prices.storageGbMonth,
      )} a month, whatever the month’s length.`,
    },
    {
      id: 'compute',
      title: `Compute: ${price(prices.acuHour)} per ACU-hour`,
      text: `The cluster’s capacity each hour (Aurora Capacity Units) × ${price(
        prices.acuHour,
      )}. The used part goes to the databases by their share of activity: the time backends spent executing (active time) where the server reports it; else transactions (commits + rollbacks) as a proxy. With active time, 3,600 active seconds use one ACU-hour and the rest of the capacity is idle; with the transactions proxy, all capacity of an hour with any transaction counts as used. ${
        IDLE_CAPACITY_RULES[settings.idleCapacity]
      }`,
    },
    {
      id: 'snapshots',
      title: `Snapshots: ${price(prices.snapshotGbMonth)} per GB-month`,
      text: `Each database pays for the size of its kept snapshots, priced like storage: GB each hour × ${price(
        prices.snapshotGbMonth,
      )} ÷ hours in the month.`,
    },
    {
      id: 'base',
      title: `Base fee: ${price(prices.baseMonthly)} per cluster and month`,
      text:
        prices.baseMonthly > 0
          ? `Each cluster’s fixed fee, ${price(
              prices.baseMonthly,
            )} ÷ hours in the month each hour, ${
              BASE_FEE_RULES[settings.baseFee]
            }.`
          : `No base fee is configured; if one is, it is ${
              BASE_FEE_RULES[settings.baseFee]
            }.`,
    },
    {
      id: 'rounding',
      title: 'Rounding to the cent',
      text: 'Hours are computed to the millionth; each cluster’s month is then rounded to the cent and cut into database, day and component amounts by largest remainder. Every figure on this page is a sum of those cents, so tenants add up exactly to what the cluster cost: rounding neither loses nor invents a cent.',
    },
    {
      id: 'forecast',
      title: 'Forecast',
      text: 'For the current month: forecast = month-to-date ÷ elapsed hours × hours in the month, per tenant. It assumes the rest of the month costs what the month so far did. For a past month it is the total.',
    },
    {
      id: 'budget',
      title: 'Budgets',
      text: 'Budget used = month-to-date ÷ the tenant’s monthly budget. It turns amber from 80 % and red from 100 %.',
    },
  ];
}
