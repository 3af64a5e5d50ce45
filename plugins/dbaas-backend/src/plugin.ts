import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  DEFAULT_RESERVED_NAMESPACES,
  dbaasPermissions,
} from '@dbaas/plugin-dbaas-common';
import {
  CatalogTenantDirectory,
  ConfigTenantDirectory,
  DatabaseRequestChecker,
  MergedTenantDirectory,
  createAppsRepository,
  readGitopsSettings,
} from '@dbaas/plugin-dbaas-node';
import { applyDatabaseMigrations } from './database/migrations';
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
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        userInfo: coreServices.userInfo,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const { config, logger, httpRouter } = deps;
        await applyDatabaseMigrations(deps.database);
        deps.permissionsRegistry.addPermissions(dbaasPermissions);

        const settings = readGitopsSettings(config);
        const requestChecker = new DatabaseRequestChecker({
          appsRepo: createAppsRepository(settings, config, logger),
          basePath: settings.basePath,
          reservedNamespaces:
            config.getOptionalStringArray('dbaas.naming.reservedNamespaces') ??
            DEFAULT_RESERVED_NAMESPACES,
        });
        const tenants = new MergedTenantDirectory([
          ConfigTenantDirectory.fromConfig(config),
          new CatalogTenantDirectory(deps.catalog, deps.auth),
        ]);

        httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            userInfo: deps.userInfo,
            requestChecker,
            tenants,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
