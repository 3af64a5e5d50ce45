import {
  DBAAS_DATABASE_RESOURCE_TYPE,
  DBAAS_TENANT_RESOURCE_TYPE,
  dbaasBillingReadPermission,
  dbaasConnectionReadPermission,
  dbaasDatabaseCreatePermission,
  dbaasDatabaseReadPermission,
  dbaasInventoryRefreshPermission,
  dbaasPermissions,
  dbaasRestoreApprovePermission,
  dbaasRestoreRequestPermission,
} from './permissions';

describe('permissions', () => {
  it.each([
    [
      dbaasDatabaseReadPermission,
      'dbaas.database.read',
      'read',
      DBAAS_DATABASE_RESOURCE_TYPE,
    ],
    [
      dbaasDatabaseCreatePermission,
      'dbaas.database.create',
      'create',
      undefined,
    ],
    [
      dbaasConnectionReadPermission,
      'dbaas.connection.read',
      'read',
      DBAAS_DATABASE_RESOURCE_TYPE,
    ],
    [
      dbaasRestoreRequestPermission,
      'dbaas.restore.request',
      'create',
      DBAAS_DATABASE_RESOURCE_TYPE,
    ],
    [
      dbaasRestoreApprovePermission,
      'dbaas.restore.approve',
      'update',
      undefined,
    ],
    [
      dbaasBillingReadPermission,
      'dbaas.billing.read',
      'read',
      DBAAS_TENANT_RESOURCE_TYPE,
    ],
    [
      dbaasInventoryRefreshPermission,
      'dbaas.inventory.refresh',
      'update',
      undefined,
    ],
  ])('%#: %s is %s (%s)', (permission, name, action, resourceType) => {
    expect(permission).toEqual({
      type: resourceType ? 'resource' : 'basic',
      name,
      attributes: { action },
      ...(resourceType ? { resourceType } : {}),
    });
  });

  it('lists every permission once', () => {
    const names = dbaasPermissions.map(p => p.name);
    expect(names.sort()).toEqual([
      'dbaas.access.approve',
      'dbaas.access.request',
      'dbaas.billing.read',
      'dbaas.connection.read',
      'dbaas.credentials.rotate',
      'dbaas.database.create',
      'dbaas.database.read',
      'dbaas.inventory.refresh',
      'dbaas.restore.approve',
      'dbaas.restore.request',
    ]);
  });

  it('uses the fixed resource type names', () => {
    expect(DBAAS_DATABASE_RESOURCE_TYPE).toBe('dbaas-database');
    expect(DBAAS_TENANT_RESOURCE_TYPE).toBe('dbaas-tenant');
  });
});
