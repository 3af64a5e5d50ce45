import {
  AuditorService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { TenantDirectory } from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import { ClusterProviderBundle } from '../providers/ClusterProviderBundle';
import { BillingAccess, BillingService } from './BillingService';
import { BillingReports } from './BillingReports';
import { readBillingSettings, readTenantBudgets } from './BillingSettings';
import { DatabaseBillingStore } from './DatabaseBillingStore';
import { DatabaseBudgetAlertStore } from './DatabaseBudgetAlertStore';
import { BudgetNotifier } from './BudgetNotifier';
import { BilledDatabases, HourlyBilling } from './HourlyBilling';
import { HourlyUsageSource } from './HourlyUsageSource';
import {
  readBillingTaskSettings,
  runBillingCycle,
  scheduleBilling,
} from './scheduleBilling';
import { SnapshotUsageReader } from './SnapshotUsageReader';
import { TenantCostAllocator } from './TenantCostAllocator';

/**
 * The billing piece of the plugin: hourly pricing of every cluster from
 * metrics and capacity (a global scheduled task), budget alerts, and the
 * service behind `GET /billing...`.
 *
 * Snapshot storage is billed only when `snapshots` is given; without it
 * every database counts 0 snapshot bytes.
 */
export async function createBilling(options: {
  config: Config;
  logger: LoggerService;
  scheduler: SchedulerService;
  auditor: AuditorService;
  notifications?: NotificationService;
  knex: Knex;
  /** One per configured cluster: each one's capacity reader. */
  providers: ClusterProviderBundle[];
  /** The metrics store: billing prices its hourly roll-ups. */
  usage: HourlyUsageSource;
  inventory: BilledDatabases;
  access: BillingAccess;
  tenants: TenantDirectory;
  snapshots?: SnapshotUsageReader;
}) {
  const { config, logger, knex } = options;
  const settings = readBillingSettings(config);
  const task = readBillingTaskSettings(config, logger);
  const store = new DatabaseBillingStore(knex, task.retention);
  const reports = new BillingReports({
    store,
    settings,
    budgets: readTenantBudgets(config),
  });
  const billing = new HourlyBilling({
    clusters: options.providers.map(provider => ({
      name: provider.cluster.name,
      capacity: provider.createCapacityReader(),
    })),
    usage: options.usage,
    databases: options.inventory,
    snapshots: options.snapshots,
    store,
    allocator: new TenantCostAllocator(settings),
    logger,
  });
  const notifier = new BudgetNotifier({
    alerts: new DatabaseBudgetAlertStore(knex),
    notifications: options.notifications,
    auditor: options.auditor,
    tenants: options.tenants,
    logger,
  });
  const run = (signal?: AbortSignal) =>
    runBillingCycle({ billing, reports, notifier, logger, signal });
  await scheduleBilling({ scheduler: options.scheduler, settings: task, run });
  return {
    reports,
    service: new BillingService(reports, options.access, options.tenants),
    /** One billing cycle now (tests, manual runs). */
    run,
  };
}
