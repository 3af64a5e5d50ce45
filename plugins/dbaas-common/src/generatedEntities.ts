import type { Entity } from '@backstage/catalog-model';

/**
 * The `backstage.io/managed-by-location` (and `-origin-location`) of the
 * entities the dbaas catalog module generates from the inventory: databases
 * and clusters. They are not registered from a location, so the catalog's
 * "Unregister entity" does not apply to them.
 *
 * @public
 */
export const DBAAS_INVENTORY_LOCATION = 'dbaas:inventory';

/**
 * True for an entity the dbaas catalog module generates (a database or a
 * cluster). Unregistering such an entity deletes nothing: the database
 * stays in the apps repository and the cluster, and the entity comes back
 * at the module's next refresh. Use it to hide "Unregister entity" for them
 * (`@backstage/plugin-catalog`'s `UNSTABLE_contextMenuOptions` in legacy
 * apps, the `unregister-entity` context menu item's filter in the new
 * frontend system); a database is deleted from its Database tab.
 *
 * @public
 */
export function isDbaasGeneratedEntity(entity: Entity): boolean {
  return (
    entity.metadata.annotations?.['backstage.io/managed-by-location'] ===
    DBAAS_INVENTORY_LOCATION
  );
}
