import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** How compute that no database used (idle capacity) is split. */
export type IdleCapacityRule = 'proportional' | 'even' | 'storage';
/** How a cluster's fixed monthly fee is split. */
export type BaseFeeRule = 'even' | 'storage';

export const IDLE_CAPACITY_RULES: readonly IdleCapacityRule[] = [
  'proportional',
  'even',
  'storage',
];
export const BASE_FEE_RULES: readonly BaseFeeRule[] = ['even', 'storage'];

/** Prices, in major units of `currency` (e.g. dollars, not cents). */
export interface BillingPrices {
  /** One Aurora Capacity Unit for one hour. */
  acuHour: number;
  /** One GB (2^30 bytes) of storage for one calendar month. */
  storageGbMonth: number;
  /** One GB (2^30 bytes) of snapshots for one calendar month. */
  snapshotGbMonth: number;
  /** Fixed fee per cluster for one calendar month. */
  baseMonthly: number;
}

export interface BillingSettings {
  /** ISO 4217 code, upper case. Amounts use 2 decimal places (cents). */
  currency: string;
  prices: BillingPrices;
  allocation: {
    idleCapacity: IdleCapacityRule;
    baseFee: BaseFeeRule;
  };
}

/**
 * Defaults: Aurora Serverless v2 PostgreSQL list prices in us-east-1
 * (Aurora Standard) and no base fee. Override them in `dbaas.billing`.
 */
export const DEFAULT_BILLING_SETTINGS: BillingSettings = {
  currency: 'USD',
  prices: {
    acuHour: 0.12,
    storageGbMonth: 0.1,
    snapshotGbMonth: 0.021,
    baseMonthly: 0,
  },
  allocation: { idleCapacity: 'proportional', baseFee: 'even' },
};

function readPrice(
  billing: Config | undefined,
  key: keyof BillingPrices,
): number {
  const value =
    billing?.getOptionalNumber(`prices.${key}`) ??
    DEFAULT_BILLING_SETTINGS.prices[key];
  if (!Number.isFinite(value) || value < 0) {
    throw new InputError(
      `dbaas.billing.prices.${key} must be a number >= 0, got ${value}`,
    );
  }
  return value;
}

function readRule<T extends string>(
  billing: Config | undefined,
  key: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = billing?.getOptionalString(`allocation.${key}`) ?? fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InputError(
      `dbaas.billing.allocation.${key} must be one of ${allowed
        .map(a => `'${a}'`)
        .join(', ')}, got '${value}'`,
    );
  }
  return value as T;
}

/**
 * Reads `dbaas.billing` from the root config, with defaults
 * ({@link DEFAULT_BILLING_SETTINGS}). Throws an InputError naming the key
 * for a negative or non-finite price, an unknown allocation rule, or a
 * currency that is not three letters.
 */
export function readBillingSettings(config: Config): BillingSettings {
  const billing = config.getOptionalConfig('dbaas.billing');
  const rawCurrency =
    billing?.getOptionalString('currency') ?? DEFAULT_BILLING_SETTINGS.currency;
  if (!/^[A-Za-z]{3}$/.test(rawCurrency)) {
    throw new InputError(
      `dbaas.billing.currency must be a 3-letter ISO 4217 code such as 'USD', got '${rawCurrency}'`,
    );
  }
  return {
    currency: rawCurrency.toUpperCase(),
    prices: {
      acuHour: readPrice(billing, 'acuHour'),
      storageGbMonth: readPrice(billing, 'storageGbMonth'),
      snapshotGbMonth: readPrice(billing, 'snapshotGbMonth'),
      baseMonthly: readPrice(billing, 'baseMonthly'),
    },
    allocation: {
      idleCapacity: readRule(
        billing,
        'idleCapacity',
        IDLE_CAPACITY_RULES,
        DEFAULT_BILLING_SETTINGS.allocation.idleCapacity,
      ),
      baseFee: readRule(
        billing,
        'baseFee',
        BASE_FEE_RULES,
        DEFAULT_BILLING_SETTINGS.allocation.baseFee,
      ),
    },
  };
}

/**
 * Reads `dbaas.tenants[].budget` as a map namespace -> monthly budget in
 * cents. Tenants without a budget are left out. A negative budget is an
 * InputError.
 */
export function readTenantBudgets(config: Config): Map<string, number> {
  const budgets = new Map<string, number>();
  const tenants = config.getOptionalConfigArray('dbaas.tenants') ?? [];
  tenants.forEach((tenant, index) => {
    const budget = tenant.getOptionalNumber('budget');
    if (budget === undefined) {
      return;
    }
    if (!Number.isFinite(budget) || budget < 0) {
      throw new InputError(
        `dbaas.tenants[${index}].budget must be a number >= 0, got ${budget}`,
      );
    }
    budgets.set(tenant.getString('namespace'), Math.round(budget * 100));
  });
  return budgets;
}
