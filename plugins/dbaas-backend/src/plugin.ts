import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { dbaasPermissions } from '@dbaas/plugin-dbaas-common';
import { applyDatabaseMigrations } from './database/migrations';
import { createRouter } from './service/router';
import { DatabaseRequestValidator } from './validation/DatabaseRequestValidator';

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
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init({
        config,
        database,
        httpAuth,
        httpRouter,
        permissionsRegistry,
      }) {
        await applyDatabaseMigrations(database);
        permissionsRegistry.addPermissions(dbaasPermissions);

        httpRouter.use(
          await createRouter({
            httpAuth,
            requestValidator: DatabaseRequestValidator.fromConfig(config),
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
