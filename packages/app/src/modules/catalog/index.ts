import { createFrontendModule } from '@backstage/frontend-plugin-api';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { isDbaasGeneratedEntity } from '@dbaas/plugin-dbaas';

/**
 * The catalog's "Unregister entity" menu item, except on the entities the
 * dbaas catalog module generates (databases and clusters): unregistering
 * one deletes nothing and it comes back at the next refresh. A database is
 * deleted with the "Delete this database" button of its Database tab.
 */
export const unregisterEntityMenuItem = catalogPlugin
  .getExtension('entity-context-menu-item:catalog/unregister-entity')
  .override({
    params: { filter: entity => !isDbaasGeneratedEntity(entity) },
  });

export const catalogModule = createFrontendModule({
  pluginId: 'catalog',
  extensions: [unregisterEntityMenuItem],
});
