import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  createDbaasDatabaseCreateAction,
  createDbaasDatabaseDeleteAction,
  createDbaasDatabaseUpdateAction,
} from './actions';
import { createActionEnvironment } from './createActionEnvironment';

/**
 * Registers `dbaas:database:create`, `dbaas:database:update` and
 * `dbaas:database:delete` with the scaffolder.
 *
 * @public
 */
export const scaffolderModule = createBackendModule({
  moduleId: 'dbaas',
  pluginId: 'scaffolder',
  register({ registerInit }) {
    registerInit({
      deps: {
        scaffolderActions: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        userInfo: coreServices.userInfo,
        catalog: catalogServiceRef,
        discovery: coreServices.discovery,
      },
      async init({ scaffolderActions, ...deps }) {
        const env = createActionEnvironment(deps);
        scaffolderActions.addActions(
          createDbaasDatabaseCreateAction(env),
          createDbaasDatabaseUpdateAction(env),
          createDbaasDatabaseDeleteAction(env),
        );
      },
    });
  },
});
