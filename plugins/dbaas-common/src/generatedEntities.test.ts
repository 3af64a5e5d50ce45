import {
  DBAAS_INVENTORY_LOCATION,
  isDbaasGeneratedEntity,
} from './generatedEntities';

function entityManagedBy(location?: string) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'payments-ledger',
      ...(location
        ? { annotations: { 'backstage.io/managed-by-location': location } }
        : {}),
    },
  };
}

describe('isDbaasGeneratedEntity', () => {
  it('is true for the entities of the dbaas inventory', () => {
    expect(DBAAS_INVENTORY_LOCATION).toBe('dbaas:inventory');
    expect(isDbaasGeneratedEntity(entityManagedBy('dbaas:inventory'))).toBe(
      true,
    );
  });

  it('is false for registered entities and entities without the annotation', () => {
    expect(
      isDbaasGeneratedEntity(
        entityManagedBy('url:https://github.com/acme/apps/catalog-info.yaml'),
      ),
    ).toBe(false);
    expect(isDbaasGeneratedEntity(entityManagedBy())).toBe(false);
  });
});
