import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { DEFAULT_RESERVED_NAMESPACES } from '@dbaas/plugin-dbaas-common';
import {
  CatalogTenantDirectory,
  ConfigTenantDirectory,
  DatabaseRequestChecker,
  MergedTenantDirectory,
  createAppsRepository,
  readClusterConfigs,
  readGitopsSettings,
} from '@dbaas/plugin-dbaas-node';
import { DatabaseAccess } from './access/DatabaseAccess';
import { registerDatabaseActions } from './actions/registerDatabaseActions';
import { registerRestoreActions } from './actions/registerRestoreActions';
import { registerSnapshotActions } from './actions/registerSnapshotActions';
import { ConnectionInfoBuilder } from './connection/ConnectionInfoBuilder';
import { DatabaseInventoryStore } from './database/DatabaseInventoryStore';
import { applyDatabaseMigrations } from './database/migrations';
import { requirePostgres } from './database/requirePostgres';
import { createInventory } from './inventory/createInventory';
import { createBilling } from './billing/createBilling';
import { createMetrics } from './metrics/createMetrics';
import { createClusterProviders } from './providers/createClusterProviders';
import { DatabaseReader } from './reading/DatabaseReader';
import { createRestores } from './restores/createRestores';
import { DatabaseRestoreStore } from './restores/store/DatabaseRestoreStore';
import { createRestoreEngines } from './restores/workflow/engines';
import { createSnapshots } from './snapshots/createSnapshots';
import { createRouter } from './service/router';

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
      },
      async init(deps) {
        const { config, logger } = deps;
        const knex = await deps.database.getClient();
        requirePostgres(knex, config);
        await applyDatabaseMigrations(deps.database);

        const gitops = readGitopsSettings(config);
        const appsRepo = createAppsRepository(gitops, config, logger);
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
        const store = new DatabaseInventoryStore(knex);

        const snapshots = await createSnapshots({
          config,
          logger,
          scheduler: deps.scheduler,
          knex,
          providers,
          inventory: store,
          access,
          // A snapshot a restore request names outlives its retention.
          snapshotsInUse: () =>
            new DatabaseRestoreStore(knex).activeSnapshotIds(),
        });

        // Drops on self-hosted clusters take a final snapshot first.
        const sync = await createInventory({
          config,
          logger,
          scheduler: deps.scheduler,
          auditor: deps.auditor,
          notifications: deps.notifications,
          knex,
          inventory: store,
          providers,
          appsRepo,
          basePath: gitops.basePath,
          tenants,
          beforeDrop: snapshots.beforeDrop,
        });

        const metrics = await createMetrics({
          config,
          logger,
          scheduler: deps.scheduler,
          knex,
          clusters,
          inventory: store,
          access,
        });

        const billing = await createBilling({
          config,
          logger,
          scheduler: deps.scheduler,
          auditor: deps.auditor,
          notifications: deps.notifications,
          knex,
          clusters,
          usage: metrics.store,
          inventory: store,
          access,
          tenants,
          snapshots: snapshots.usage,
        });

        const databases = new DatabaseReader(
          store,
          access,
          ConnectionInfoBuilder.fromConfig(config),
          clusters,
          tenants,
        );
        registerDatabaseActions(deps.actionsRegistry, databases);
        registerSnapshotActions(deps.actionsRegistry, snapshots.databases);

        const restores = await createRestores({
          config,
          logger,
          scheduler: deps.scheduler,
          lifecycle: deps.lifecycle,
          knex,
          clusters,
          inventory: store,
          access,
          userInfo: deps.userInfo,
          auditor: deps.auditor,
          notifications: deps.notifications,
          snapshots: snapshots.catalog,
          engines: createRestoreEngines({
            config,
            openDump: (subject, id) => snapshots.catalog.openDump(subject, id),
            provisioners: sync.provisioners,
          }),
        });
        registerRestoreActions(deps.actionsRegistry, restores.requests);

        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            userInfo: deps.userInfo,
            auditor: deps.auditor,
            requestChecker: new DatabaseRequestChecker({
              appsRepo,
              basePath: gitops.basePath,
              reservedNamespaces:
                config.getOptionalStringArray(
                  'dbaas.naming.reservedNamespaces',
                ) ?? DEFAULT_RESERVED_NAMESPACES,
            }),
            tenants,
            databases,
            metrics: metrics.reader,
            snapshots: snapshots.databases,
            billing: billing.reader,
            restores: restores.requests,
            refreshInventory: async () => {
              await sync.task.refresh();
            },
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
