import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  CatalogTenantDirectory,
  ConfigTenantDirectory,
  MergedTenantDirectory,
  createAppsRepository,
  readClusterConfigs,
  readGitopsSettings,
} from '@dbaas/plugin-dbaas-node';
import { DatabaseAccess } from './access/DatabaseAccess';
import { createAccessGrants } from './accessGrants/createAccessGrants';
import { registerAccessActions } from './actions/registerAccessActions';
import { registerDatabaseActions } from './actions/registerDatabaseActions';
import { registerRestoreActions } from './actions/registerRestoreActions';
import { registerSnapshotActions } from './actions/registerSnapshotActions';
import { createBilling } from './billing/createBilling';
import { ConnectionInfoBuilder } from './connection/ConnectionInfoBuilder';
import { DatabaseGitObjectCache } from './appsRepo/DatabaseGitObjectCache';
import { DatabaseInventoryStore } from './inventory/DatabaseInventoryStore';
import { applyDatabaseMigrations } from './database/migrations';
import { requirePostgres } from './database/requirePostgres';
import { registeringUnderStartupLock } from './database/startupLock';
import { subscribeToAppsRepositoryEvents } from './events/subscribeToAppsRepositoryEvents';
import { createInventory } from './inventory/createInventory';
import { InventoryRefreshService } from './inventory/InventoryRefreshService';
import { createMetrics } from './metrics/createMetrics';
import { createRecovery } from './objectives/createRecovery';
import { createRequestChecker } from './naming/createRequestChecker';
import { createClusterProviders } from './providers/createClusterProviders';
import { DatabasesService } from './reading/DatabasesService';
import { createRestores } from './restores/createRestores';
import { createRotation } from './rotation/createRotation';
import { DatabaseRestoreStore } from './restores/store/DatabaseRestoreStore';
import { liveRestoredCopyOrigins } from './restores/copies/RestoredCopiesService';
import { readRestoredCopySettings } from './restores/copies/RestoredCopySettings';
import { RestoredCopyStore } from './restores/copies/RestoredCopyStore';
import { withTaskRunLog } from './scheduling/withTaskRunLog';
import { createRouter } from './service/router';
import { createSnapshots } from './snapshots/createSnapshots';

/**
 * Self-service PostgreSQL backend plugin, mounted at `/api/dbaas`.
 *
 * @public
 */
export const dbaasPlugin = createBackendPlugin({
  pluginId: 'dbaas',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        auditor: coreServices.auditor,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        userInfo: coreServices.userInfo,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        notifications: notificationService,
        actionsRegistry: actionsRegistryServiceRef,
        events: eventsServiceRef,
      },
      async init(deps) {
        const { config, logger, auditor, notifications } = deps;
        const knex = await deps.database.getClient();
        // Replicas register tasks one at a time (the first creates the
        // scheduler's tables); each run of a task is a debug line.
        const scheduler = withTaskRunLog(
          registeringUnderStartupLock(deps.scheduler, knex),
          logger,
        );
        requirePostgres(knex, config);
        await applyDatabaseMigrations(deps.database);

        const gitops = readGitopsSettings(config);
        const { basePath } = gitops;
        // What is read from GitHub is kept by sha, for every replica.
        const appsRepo = createAppsRepository(gitops, config, logger, {
          objectCache: DatabaseGitObjectCache.fromConfig(config, knex, logger),
        });
        const providers = createClusterProviders(readClusterConfigs(config));
        const clusters = providers.map(p => p.cluster);
        const tenants = new MergedTenantDirectory([
          ConfigTenantDirectory.fromConfig(config),
          new CatalogTenantDirectory(deps.catalog, deps.auth),
        ]);
        const access = DatabaseAccess.register({
          permissions: deps.permissions,
          permissionsRegistry: deps.permissionsRegistry,
          tenants,
        });
        const inventory = new DatabaseInventoryStore(knex);
        const base = { config, logger, scheduler, knex, inventory, access };

        // A snapshot a restore request names outlives its retention.
        const restoreStore = new DatabaseRestoreStore(knex);
        const snapshots = await createSnapshots({
          ...base,
          providers,
          snapshotsInUse: () => restoreStore.activeSnapshotIds(),
        });
        // The copies new-database restores create: the inventory shows
        // them as restored copies, the restores keep or drop them.
        const restoredCopyStore = new RestoredCopyStore(knex);
        const restoredCopySettings = readRestoredCopySettings(config, logger);
        const restoredCopies = async () => {
          await restoredCopyStore.recordNew(
            restoredCopySettings.expireAfterMs,
            new Date(),
          );
          return liveRestoredCopyOrigins(restoredCopyStore);
        };
        // Drops on self-hosted clusters take a final snapshot first.
        const sync = await createInventory({
          ...base,
          auditor,
          notifications,
          providers,
          appsRepo,
          basePath,
          tenants,
          beforeDrop: snapshots.beforeDrop,
          restoredCopies,
        });
        const metrics = await createMetrics({ ...base, clusters });
        const billing = await createBilling({
          ...base,
          auditor,
          notifications,
          providers,
          usage: metrics.store,
          tenants,
          snapshots: snapshots.usage,
        });
        // Restores create roles with the inventory's provisioners.
        const restores = await createRestores({
          ...base,
          lifecycle: deps.lifecycle,
          userInfo: deps.userInfo,
          auditor,
          notifications,
          clusters,
          snapshots: snapshots.catalog,
          snapshotEvidence: snapshots.evidence,
          provisioners: sync.provisioners,
          newDatabaseProvisioners: sync.newDatabaseProvisioners,
          copies: {
            store: restoredCopyStore,
            settings: restoredCopySettings,
            appsRepo,
            gitops,
            tenants,
            requestSync: () => sync.task.requestSync('refresh'),
          },
        });
        // RPO/RTO objectives (a task notifying misses) and restore drills.
        const recovery = await createRecovery({
          ...base,
          auditor,
          notifications,
          providers,
          tenants,
          snapshots: snapshots.catalog,
          snapshotEvidence: snapshots.evidence,
        });
        // Credential rotation: on request, and scheduled per environment.
        const rotation = await createRotation({
          ...base,
          auditor,
          notifications,
          providers,
          tenants,
          userInfo: deps.userInfo,
        });
        const databases = new DatabasesService(
          inventory,
          access,
          ConnectionInfoBuilder.fromConfig(config),
          clusters,
          tenants,
          recovery.service,
          ref => rotation.currentUsernames(ref),
          { liveOrigins: restoredCopies },
        );

        // Just-in-time personal access, through each cluster's admin connection.
        const accessGrants = await createAccessGrants({
          ...base,
          clusters,
          userInfo: deps.userInfo,
          tenants,
          auditor,
          notifications,
        });

        const refresh = new InventoryRefreshService(access, sync.task);
        await subscribeToAppsRepositoryEvents({
          events: deps.events,
          config,
          gitops,
          logger,
          requestSync: () => sync.task.requestSync('webhook'),
        });

        registerDatabaseActions(deps.actionsRegistry, databases);
        registerSnapshotActions(deps.actionsRegistry, snapshots.service);
        registerRestoreActions(deps.actionsRegistry, restores);
        registerAccessActions(deps.actionsRegistry, accessGrants);
        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            userInfo: deps.userInfo,
            auditor,
            requestChecker: createRequestChecker({
              config,
              appsRepo,
              basePath,
              inventory,
              knex,
            }),
            tenants,
            databases,
            metrics: metrics.service,
            snapshots: snapshots.service,
            billing: billing.service,
            restores,
            recovery: recovery.service,
            accessGrants,
            rotation,
            refreshInventory: credentials => refresh.refresh(credentials),
          }),
        );
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
