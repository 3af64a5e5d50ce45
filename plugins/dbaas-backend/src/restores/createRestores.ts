import {
  AuditorService,
  LifecycleService,
  LoggerService,
  SchedulerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { ClusterSettings, DatabaseProvisioner } from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import { DatabaseAccess } from '../access/DatabaseAccess';
import { InventoryStore } from '../inventory/InventoryStore';
import { SnapshotCatalog } from '../snapshots/SnapshotCatalog';
import { SnapshotEvidenceStore } from '../snapshots/evidence';
import { DatabaseRestorePreviewStore } from './preview/DatabaseRestorePreviewStore';
import { RestorePreviewer } from './preview/RestorePreviewer';
import { RestoreDeciders } from './RestoreDeciders';
import { RestoreEvents } from './RestoreEvents';
import { RestoresService } from './RestoresService';
import { readRestoreSettings } from './RestoreSettings';
import {
  ClusterDatabaseLookup,
  observingClusterDatabaseLookup,
  RestoreTargetPlanner,
} from './RestoreTargetPlanner';
import { DatabaseRestoreStore } from './store/DatabaseRestoreStore';
import {
  createRestoredCopies,
  RestoredCopiesDeps,
} from './copies/createRestoredCopies';
import { createRestoreEngines } from './workflow/engines';
import { RestoreExecutor } from './workflow/RestoreExecutor';
import { RestoreWorker } from './workflow/RestoreWorker';
import { scheduleRestoreWorker } from './workflow/scheduleRestoreWorker';

/**
 * The restore piece of the plugin: requests and their approval flow (for
 * the REST API and MCP actions), and the durable workflow that runs
 * approved requests through the cluster provider's engine, scheduled as
 * one global task. Reads `dbaas.restore`.
 */
export async function createRestores(options: {
  config: Config;
  logger: LoggerService;
  scheduler: SchedulerService;
  lifecycle?: LifecycleService;
  knex: Knex;
  clusters: ClusterSettings[];
  inventory: InventoryStore;
  access: DatabaseAccess;
  userInfo: UserInfoService;
  auditor: AuditorService;
  notifications?: NotificationService;
  snapshots: SnapshotCatalog;
  /**
   * The evidence recorded with logical snapshots: a restore from one is
   * verified against it exactly. Without it, by object counts only.
   */
  snapshotEvidence?: SnapshotEvidenceStore;
  /**
   * The inventory's provisioner of each self-hosted cluster, by cluster
   * name: a restore creates a new database's roles and re-applies grants
   * with it, so they match what the inventory expects.
   */
  provisioners: ReadonlyMap<string, DatabaseProvisioner>;
  /**
   * The provisioner that creates new-database restore targets, by cluster
   * name: the inventory's, and on Aurora the provider's own (the chart's
   * roles and secrets for a database the chart does not know yet).
   */
  newDatabaseProvisioners?: ReadonlyMap<string, DatabaseProvisioner>;
  /** How a target name is looked up in a cluster; the cluster itself by default. */
  clusterDatabases?: ClusterDatabaseLookup;
  /**
   * The copies `new-database` restores create (expiry, keep, delete now);
   * without it restores link to no copy.
   */
  copies?: RestoredCopiesDeps;
}): Promise<RestoresService> {
  const { config, logger, clusters } = options;
  const settings = readRestoreSettings(config, logger);
  const store = new DatabaseRestoreStore(options.knex);
  const events = new RestoreEvents({
    auditor: options.auditor,
    notifications: options.notifications,
    logger,
    approverGroups: settings.approvers,
  });
  const previewer = new RestorePreviewer({
    store: new DatabaseRestorePreviewStore(options.knex),
    clusters,
  });
  const executor = new RestoreExecutor({
    store,
    engines: createRestoreEngines({
      config,
      openDump: (subject, id) => options.snapshots.openDump(subject, id),
      evidence: options.snapshotEvidence,
      provisioners: options.provisioners,
      newDatabaseProvisioners: options.newDatabaseProvisioners,
    }),
    clusters,
    events,
    logger,
    leaseMs: settings.leaseMs,
    keepSafetyCopyForMs: settings.keepSafetyCopyForMs,
    previewer,
  });
  const worker = new RestoreWorker(executor, logger);
  const deciders = new RestoreDeciders(
    options.access,
    options.userInfo,
    settings.approvers,
  );
  const copies = options.copies
    ? await createRestoredCopies({
        ...options.copies,
        knex: options.knex,
        scheduler: options.scheduler,
        logger,
        auditor: options.auditor,
        notifications: options.notifications,
        inventory: options.inventory,
        access: options.access,
        deciders,
        provisioners: new Map([
          ...options.provisioners,
          ...(options.newDatabaseProvisioners ?? new Map()),
        ]),
      })
    : undefined;
  options.lifecycle?.addShutdownHook(() => worker.stop());
  const requests = new RestoresService({
    store,
    inventory: options.inventory,
    clusters,
    snapshots: options.snapshots,
    access: options.access,
    deciders,
    copies,
    planner: new RestoreTargetPlanner(
      options.inventory,
      options.clusterDatabases ?? observingClusterDatabaseLookup,
    ),
    events,
    requestTtlMs: settings.requestTtlMs,
    finalize: settings.finalize,
    previews: previewer,
    // A finalize, cancel or expiry starts the work on this replica at once
    // instead of at the restore task's next tick.
    startWork: () => {
      worker
        .startDue()
        .catch(error =>
          logger.warn(`Could not start due restores at once: ${error}`),
        );
    },
    logger,
  });
  await scheduleRestoreWorker({
    scheduler: options.scheduler,
    schedule: settings.schedule,
    requests,
    executor,
    worker,
    logger,
  });
  return requests;
}
