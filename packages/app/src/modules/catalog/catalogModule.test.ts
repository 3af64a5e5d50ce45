import { createExtensionDataRef } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { catalogModule, unregisterEntityMenuItem } from '.';

type TestEntity = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
};

// The data the catalog's entity page reads to decide where a context menu
// item shows (EntityContextMenuItemBlueprint.dataRefs.filterFunction of
// @backstage/plugin-catalog-react/alpha), looked up by its id.
const filterFunctionRef = createExtensionDataRef<
  (entity: TestEntity) => boolean
>().with({ id: 'catalog.entity-filter-function' });

const menuItemDataRef = createExtensionDataRef<{
  useProps: unknown;
  icon: unknown;
}>().with({ id: 'catalog.entity-context-menu-item-data' });

function resource(managedBy?: string): TestEntity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'payments-ledger',
      ...(managedBy
        ? { annotations: { 'backstage.io/managed-by-location': managedBy } }
        : {}),
    },
  };
}

describe('catalogModule', () => {
  it('replaces the catalog\'s "Unregister entity" item', () => {
    expect(unregisterEntityMenuItem.toString()).toBe(
      catalogPlugin
        .getExtension('entity-context-menu-item:catalog/unregister-entity')
        .toString(),
    );
    expect(catalogModule.pluginId).toBe('catalog');
  });

  it('hides it on the entities the dbaas inventory generates, and only there', () => {
    const filter = createExtensionTester(unregisterEntityMenuItem).get(
      filterFunctionRef,
    );

    expect(filter).toBeDefined();
    expect(filter!(resource('dbaas:inventory'))).toBe(false);
    expect(filter!(resource('file:/apps/catalog-info.yaml'))).toBe(true);
    expect(filter!(resource())).toBe(true);
  });

  it("keeps the catalog's own menu item (its title, icon and permission check); the catalog shows it everywhere", () => {
    const original = createExtensionTester(
      catalogPlugin.getExtension(
        'entity-context-menu-item:catalog/unregister-entity',
      ),
    );
    const overridden = createExtensionTester(unregisterEntityMenuItem);

    expect(overridden.get(menuItemDataRef).useProps).toBe(
      original.get(menuItemDataRef).useProps,
    );
    expect(overridden.get(menuItemDataRef).icon).toBe(
      original.get(menuItemDataRef).icon,
    );
    expect(original.get(filterFunctionRef)).toBeUndefined();
  });
});
