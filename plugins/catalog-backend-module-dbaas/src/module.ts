import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { readDurationFromConfig } from '@backstage/config';
import { DatabaseEntityProvider } from './DatabaseEntityProvider';

/**
 * Catalog module: databases and clusters of the dbaas inventory as
 * `Resource` entities. Install it next to the dbaas plugin.
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
        const provider = new DatabaseEntityProvider({
          discovery,
          auth,
          logger,
          clusters: (config.getOptionalConfigArray('dbaas.clusters') ?? []).map(
            c => ({
              name: c.getString('name'),
              environment: c.getOptionalString('environment'),
            }),
          ),
          platformOwner:
            config.getOptionalString('dbaas.catalog.owner') ??
            'group:default/platform',
        });
        catalog.addEntityProvider(provider);
        const frequencyKey = 'dbaas.catalog.refreshFrequency';
        await scheduler.scheduleTask({
          id: 'dbaas-catalog-entities',
          frequency: config.has(frequencyKey)
            ? readDurationFromConfig(config, { key: frequencyKey })
            : { minutes: 1 },
          timeout: { minutes: 1 },
          initialDelay: { seconds: 15 },
          scope: 'global',
          fn: () => provider.refresh(),
        });
      },
    });
  },
});
