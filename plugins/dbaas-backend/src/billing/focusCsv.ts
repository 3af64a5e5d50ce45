import { databaseEntityRef } from '@dbaas/plugin-dbaas-common';
import { BillingPrices } from './BillingSettings';
import { csvField } from './csv';
import { formatCents } from './money';
import { ComponentCents, MonthReport } from './monthReport';

/**
 * The FinOps FOCUS 1.3 (Cost and Usage dataset) columns the export fills,
 * in this order. Mandatory columns are all there, ProviderName and
 * PublisherName too (deprecated by 1.3 in favour of ServiceProviderName and
 * HostProviderName, still required); optional ones are there when dbaas
 * has the value. See the README (Billing, FOCUS export) for each value.
 */
export const FOCUS_COLUMNS = [
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'ConsumedQuantity',
  'ConsumedUnit',
  'ContractedCost',
  'ContractedUnitPrice',
  'EffectiveCost',
  'HostProviderName',
  'InvoiceIssuerName',
  'ListCost',
  'ListUnitPrice',
  'PricingCategory',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'ServiceCategory',
  'ServiceName',
  'ServiceProviderName',
  'ServiceSubcategory',
  'SubAccountId',
  'SubAccountName',
  'Tags',
] as const;

/**
 * dbaas's own columns (FOCUS wants custom columns prefixed `x_`): the
 * tenant and database by name, which part of the cost the row is, and for
 * compute rows the used / idle split the billing page shows.
 */
export const FOCUS_CUSTOM_COLUMNS = [
  'x_Tenant',
  'x_Database',
  'x_CostComponent',
  'x_ComputeUsed',
  'x_ComputeIdle',
] as const;

export const FOCUS_HEADER = [...FOCUS_COLUMNS, ...FOCUS_CUSTOM_COLUMNS];

type FocusColumn =
  | (typeof FOCUS_COLUMNS)[number]
  | (typeof FOCUS_CUSTOM_COLUMNS)[number];

/** The platform as FOCUS names it: it runs, prices and invoices the service. */
export const FOCUS_PROVIDER_NAME = 'dbaas';
/** Where the clusters run (Aurora Serverless v2, priced in ACU-hours). */
export const FOCUS_HOST_PROVIDER_NAME = 'Amazon Web Services';

/** The rows of one database and day: one per part of its cost. */
type FocusComponent = 'compute' | 'storage' | 'snapshots' | 'base';

const COMPONENTS: ReadonlyArray<{
  component: FocusComponent;
  cents: (c: ComponentCents) => number;
  description: string;
  unit: string;
  price: (p: BillingPrices) => number;
  frequency: 'Usage-Based' | 'Recurring';
}> = [
  {
    component: 'compute',
    cents: c => c.compute,
    description:
      'Compute: the share of the cluster capacity (ACU-hours) used by the database, plus its share of idle capacity',
    unit: 'ACU-Hours',
    price: p => p.acuHour,
    frequency: 'Usage-Based',
  },
  {
    component: 'storage',
    cents: c => c.storage,
    description: 'Storage of the database (GB-months)',
    unit: 'GB-Months',
    price: p => p.storageGbMonth,
    frequency: 'Usage-Based',
  },
  {
    component: 'snapshots',
    cents: c => c.snapshots,
    description: 'Snapshots kept of the database (GB-months)',
    unit: 'GB-Months',
    price: p => p.snapshotGbMonth,
    frequency: 'Usage-Based',
  },
  {
    component: 'base',
    cents: c => c.base,
    description:
      "Share of the cluster's fixed monthly fee (fraction of a cluster-month)",
    unit: 'Months',
    price: p => p.baseMonthly,
    frequency: 'Recurring',
  },
];

/** '2025-03-01T00:00:00Z': FOCUS date/times are UTC, without fractions. */
function focusDateTime(iso: string): string {
  return `${iso.slice(0, 19)}Z`;
}

function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return focusDateTime(date.toISOString());
}

/** A decimal without exponent or trailing zeros: 0.5833333333, 12, 0.1. */
function decimal(value: number): string {
  const fixed = value.toFixed(10);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/**
 * The month in FinOps FOCUS 1.3 columns: a header, then for each tenant,
 * database and day one row per part of its cost with an amount (compute,
 * storage, snapshots, base fee; zero amounts have no row), lines ended by
 * CRLF. BilledCost = EffectiveCost = ListCost = ContractedCost (dbaas has
 * no discounts); the amounts are the report's cents, so the rows add up
 * exactly to the page's totals. PricingQuantity is the quantity the
 * database was charged for at the configured unit price (BilledCost ÷
 * ListUnitPrice: its allocated share of the cluster's ACU-hours, GB-months
 * or month), so ListUnitPrice × PricingQuantity = ListCost as FOCUS
 * requires (to the rounding of the cent).
 */
export function monthReportToFocusCsv(report: MonthReport): string {
  const prices = report.settings.prices;
  const periodStart = focusDateTime(report.from);
  const periodEnd = focusDateTime(report.to);
  const lines = [FOCUS_HEADER.join(',')];
  for (const tenant of report.tenants) {
    for (const line of tenant.lines) {
      const resource = `${tenant.namespace}/${line.name}`;
      for (const part of COMPONENTS) {
        const cents = part.cents(line.cents);
        const price = part.price(prices);
        if (cents === 0) continue;
        const amount = formatCents(cents);
        // A price set to 0 since the amount was billed leaves no quantity
        // to derive: the quantity, unit and unit prices are then null.
        const priced = price > 0;
        const quantity = priced ? decimal(cents / 100 / price) : '';
        const unit = priced ? part.unit : '';
        const unitPrice = priced ? decimal(price) : '';
        const row: Record<FocusColumn, string> = {
          BilledCost: amount,
          BillingAccountId: FOCUS_PROVIDER_NAME,
          BillingAccountName: FOCUS_PROVIDER_NAME,
          BillingCurrency: report.currency,
          BillingPeriodEnd: periodEnd,
          BillingPeriodStart: periodStart,
          ChargeCategory: 'Usage',
          ChargeClass: '',
          ChargeDescription: part.description,
          ChargeFrequency: part.frequency,
          ChargePeriodEnd: nextDay(line.day),
          ChargePeriodStart: `${line.day}T00:00:00Z`,
          ConsumedQuantity: quantity,
          ConsumedUnit: unit,
          ContractedCost: amount,
          ContractedUnitPrice: unitPrice,
          EffectiveCost: amount,
          HostProviderName: FOCUS_HOST_PROVIDER_NAME,
          InvoiceIssuerName: FOCUS_PROVIDER_NAME,
          ListCost: amount,
          ListUnitPrice: unitPrice,
          PricingCategory: 'Standard',
          PricingQuantity: quantity,
          PricingUnit: unit,
          ProviderName: FOCUS_PROVIDER_NAME,
          PublisherName: FOCUS_PROVIDER_NAME,
          ResourceId: databaseEntityRef(`${tenant.namespace}-${line.name}`),
          ResourceName: resource,
          ResourceType: 'PostgreSQL database',
          ServiceCategory: 'Databases',
          ServiceName: 'PostgreSQL databases',
          ServiceProviderName: FOCUS_PROVIDER_NAME,
          ServiceSubcategory: 'Relational Databases',
          SubAccountId: tenant.namespace,
          SubAccountName: tenant.namespace,
          Tags: JSON.stringify({
            'dbaas.io/namespace': tenant.namespace,
            'dbaas.io/database': resource,
          }),
          x_Tenant: tenant.namespace,
          x_Database: line.name,
          x_CostComponent: part.component,
          x_ComputeUsed:
            part.component === 'compute'
              ? formatCents(line.cents.computeUsed)
              : '',
          x_ComputeIdle:
            part.component === 'compute'
              ? formatCents(line.cents.computeIdle)
              : '',
        };
        lines.push(FOCUS_HEADER.map(column => csvField(row[column])).join(','));
      }
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
