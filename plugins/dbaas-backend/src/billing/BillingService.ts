import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  BillingMonthResponse,
  TenantBillingResponse,
  validateNamespace,
} from '@dbaas/plugin-dbaas-common';
import { TenantDirectory } from '@dbaas/plugin-dbaas-node';
import { BillingReports } from './BillingReports';
import {
  billingMonthResponse,
  tenantBillingResponse,
  tenantMonth,
} from './billingResponses';
import { monthReportToCsv } from './csv';
import { monthReportToFocusCsv } from './focusCsv';

/**
 * The CSV's columns: dbaas's own (one line per tenant, database and day)
 * or FinOps FOCUS 1.3 (one row per database, day and part of the cost).
 */
export type BillingCsvFormat = 'dbaas' | 'focus';

/** The authorization billing needs (implemented by DatabaseAccess). */
export interface BillingAccess {
  assertTenantBilling(
    namespace: string,
    credentials: BackstageCredentials,
  ): Promise<void>;
  filterTenantBilling(
    namespaces: string[],
    credentials: BackstageCredentials,
  ): Promise<{ namespaces: string[]; everyTenant: boolean }>;
}

/** A CSV download. */
export interface CsvFile {
  filename: string;
  body: string;
}

function checkNamespace(namespace: string) {
  const problems = validateNamespace(namespace, { reservedNamespaces: [] });
  if (problems.length > 0) {
    throw new InputError(
      `Invalid namespace: ${problems.map(p => p.message).join('; ')}`,
    );
  }
}

/**
 * What callers may see of billing: the tenants whose billing they may read
 * (`dbaas.billing.read`), the clusters' totals only for callers allowed
 * for every tenant (they include other tenants' and unallocated costs).
 */
export class BillingService {
  constructor(
    private readonly reports: BillingReports,
    private readonly access: BillingAccess,
    private readonly tenants: TenantDirectory,
  ) {}

  async overview(
    month: string | undefined,
    credentials: BackstageCredentials,
  ): Promise<BillingMonthResponse> {
    const report = await this.reports.month(month);
    const { visible, everyTenant, owners } = await this.#visibleTenants(
      report.tenants.map(t => t.namespace),
      credentials,
    );
    return billingMonthResponse(
      report,
      visible.map(namespace => ({
        month: tenantMonth(report, namespace, this.reports.budgets),
        owners: owners.get(namespace) ?? [],
      })),
      { withClusters: everyTenant },
    );
  }

  async tenant(
    namespace: string,
    month: string | undefined,
    credentials: BackstageCredentials,
  ): Promise<TenantBillingResponse> {
    checkNamespace(namespace);
    await this.access.assertTenantBilling(namespace, credentials);
    const report = await this.reports.tenantMonth(namespace, month);
    const known = new Map(
      (await this.tenants.listTenants()).map(t => [t.namespace, t.owners]),
    );
    const hasCosts = report.tenants.length > 0;
    if (!hasCosts && !known.has(namespace)) {
      throw new NotFoundError(`No tenant '${namespace}' and no costs for it`);
    }
    return tenantBillingResponse(
      report,
      tenantMonth(report, namespace, this.reports.budgets),
      known.get(namespace) ?? [],
    );
  }

  /** One tenant's month (403 unless allowed), or every visible tenant's. */
  async csv(
    month: string | undefined,
    namespace: string | undefined,
    credentials: BackstageCredentials,
    /** Validated by the OpenAPI schema (an unknown one is a 400 there). */
    format: BillingCsvFormat = 'dbaas',
  ): Promise<CsvFile> {
    const report = await this.reports.month(month);
    let namespaces: Set<string>;
    if (namespace !== undefined) {
      checkNamespace(namespace);
      await this.access.assertTenantBilling(namespace, credentials);
      namespaces = new Set([namespace]);
    } else {
      const { visible } = await this.#visibleTenants(
        report.tenants.map(t => t.namespace),
        credentials,
      );
      namespaces = new Set(visible);
    }
    const visibleReport = {
      ...report,
      tenants: report.tenants.filter(t => namespaces.has(t.namespace)),
    };
    return {
      filename: `dbaas-billing-${report.month}${
        namespace ? `-${namespace}` : ''
      }${format === 'focus' ? '-focus' : ''}.csv`,
      body:
        format === 'focus'
          ? monthReportToFocusCsv(visibleReport)
          : monthReportToCsv(visibleReport),
    };
  }

  /** Tenants with costs or in the directory that the caller may read, sorted. */
  async #visibleTenants(
    withCosts: string[],
    credentials: BackstageCredentials,
  ): Promise<{
    visible: string[];
    everyTenant: boolean;
    owners: Map<string, string[]>;
  }> {
    const owners = new Map(
      (await this.tenants.listTenants()).map(t => [t.namespace, t.owners]),
    );
    const all = [...new Set([...withCosts, ...owners.keys()])].sort((a, b) =>
      a < b ? -1 : 1,
    );
    const { namespaces, everyTenant } = await this.access.filterTenantBilling(
      all,
      credentials,
    );
    return { visible: namespaces, everyTenant, owners };
  }
}
