import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { DatabaseEntityProvider } from './DatabaseEntityProvider';
import { readProviderSettings } from './readProviderSettings';

/**
 * Catalog module: databases and clusters of the dbaas inventory as
 * `Resource` entities, refreshed on `catalog.providers.dbaas.schedule`.
 * Install it next to the dbaas plugin.
 *
 * @public
 */
export const catalogModuleDbaas = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'dbaas-entities',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({ catalog, config, discovery, auth, logger, scheduler }) {
        const { schedule, owner, clusters } = readProviderSettings(
          config,
          logger,
        );
        const provider = new DatabaseEntityProvider({
          discovery,
          auth,
          logger,
          clusters,
          platformOwner: owner,
          taskRunner: scheduler.createScheduledTaskRunner(schedule),
        });
        catalog.addEntityProvider(provider);
      },
    });
  },
});
