import {
  AuditorService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotificationService } from '@backstage/plugin-notifications-node';
import type { RestoredCopyOrigin } from '@dbaas/plugin-dbaas-common';
import {
  AppsRepository,
  ClusterSettings,
  DatabaseProvisioner,
  MergedDatabaseDefinition,
  TenantDirectory,
} from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import { DatabaseAppsRepoViewStore } from './AppsRepoViewStore';
import { InventoryStore } from './InventoryStore';
import { StatusNotifier } from '../notifications/StatusNotifier';
import { ClusterProviderBundle } from '../providers/ClusterProviderBundle';
import { createSecretStore } from '../secrets/createSecretStore';
import { createInventoryClusters } from './createInventoryClusters';
import { DatabaseSyncRequestStore } from './DatabaseSyncRequestStore';
import { InventorySync } from './InventorySync';
import {
  InventorySyncTask,
  readInventorySyncSettings,
  scheduleInventorySync,
} from './scheduleInventorySync';

export interface Inventory {
  /** The scheduled sync: `requestSync()` asks for a cycle now. */
  task: InventorySyncTask;
  /**
   * The provisioner of each cluster the suite provisions, by cluster name:
   * restores create a new database's roles with the same one.
   */
  provisioners: ReadonlyMap<string, DatabaseProvisioner>;
  /**
   * The provisioner a new-database restore creates its target with, by
   * cluster name: the inventory's where it has one, else the provider's
   * (Aurora: roles and secrets as the chart names them).
   */
  newDatabaseProvisioners: ReadonlyMap<string, DatabaseProvisioner>;
}

/**
 * The inventory piece of the plugin: every cluster's observer and
 * provisioner (from its provider's bundle), the sync that joins the apps
 * repository, the pull requests and the clusters into the store, as a
 * global scheduled task, and the notifications of its status changes.
 * Reads `dbaas.inventory`, `dbaas.secrets.provider` and
 * `dbaas.secrets.pathTemplate`.
 */
export async function createInventory(options: {
  config: Config;
  logger: LoggerService;
  scheduler: SchedulerService;
  auditor: AuditorService;
  notifications?: NotificationService;
  knex: Knex;
  inventory: InventoryStore;
  providers: ClusterProviderBundle[];
  appsRepo: AppsRepository;
  /** `dbaas.gitops.basePath`, normalized. */
  basePath: string;
  tenants: TenantDirectory;
  /**
   * Runs before a provisioner drops a database (the snapshots' final
   * snapshot); when it throws, nothing is dropped.
   */
  beforeDrop: (
    cluster: ClusterSettings,
  ) => (definition: MergedDatabaseDefinition) => Promise<void>;
  /** The restored copies not dropped, by `<namespace>-<name>`. */
  restoredCopies?: () => Promise<Map<string, RestoredCopyOrigin>>;
}): Promise<Inventory> {
  const { config, logger, tenants } = options;
  const settings = readInventorySyncSettings(config, logger);
  const provisionerDeps = {
    secretStore: createSecretStore(config, options.knex),
    secretPathTemplate: config.getOptionalString('dbaas.secrets.pathTemplate'),
    logger,
  };
  const clusters = createInventoryClusters(options.providers, {
    ...provisionerDeps,
    beforeDrop: options.beforeDrop,
  });
  const sync = new InventorySync({
    store: options.inventory,
    appsRepo: options.appsRepo,
    basePath: options.basePath,
    clusters,
    tenants,
    logger,
    failAfterMinutes: settings.failAfterMinutes,
    repoViews: new DatabaseAppsRepoViewStore(options.knex),
    restoredCopies: options.restoredCopies,
  });
  const notifier = new StatusNotifier({
    notifications: options.notifications,
    auditor: options.auditor,
    tenants,
    logger,
  });
  const task = await scheduleInventorySync({
    scheduler: options.scheduler,
    settings,
    requests: new DatabaseSyncRequestStore(options.knex),
    logger,
    sync,
    onResult: result => notifier.statusesChanged(result.changes),
  });
  return {
    task,
    provisioners: new Map(
      clusters.flatMap(c =>
        c.provisioner ? [[c.name, c.provisioner] as const] : [],
      ),
    ),
    newDatabaseProvisioners: new Map(
      options.providers.flatMap(bundle => {
        const name = bundle.cluster.name;
        const provisioner =
          clusters.find(c => c.name === name)?.provisioner ??
          bundle.createNewDatabaseProvisioner?.(provisionerDeps);
        return provisioner ? [[name, provisioner] as const] : [];
      }),
    ),
  };
}
