import {
  createPermission,
  Permission,
} from '@backstage/plugin-permission-common';

/**
 * Resource type of permissions decided per database; the resource ref is
 * `<namespace>/<name>` (the `dbaas.io/database` annotation value), so a
 * policy can decide by the tenant namespace.
 *
 * @public
 */
export const DBAAS_DATABASE_RESOURCE_TYPE = 'dbaas-database';

/**
 * Resource type of permissions decided per tenant; the resource ref is the
 * tenant namespace.
 *
 * @public
 */
export const DBAAS_TENANT_RESOURCE_TYPE = 'dbaas-tenant';

/**
 * See a database: its status, mode, pull requests, metrics and snapshots.
 * Give it to members of the owning tenant, and to platform engineers for all.
 *
 * @public
 */
export const dbaasDatabaseReadPermission = createPermission({
  name: 'dbaas.database.read',
  attributes: { action: 'read' },
  resourceType: DBAAS_DATABASE_RESOURCE_TYPE,
});

/**
 * Request a new database (opens a pull request in the apps repository).
 * Give it to anyone who may build services; the namespace must still be one
 * the requester's groups own.
 *
 * @public
 */
export const dbaasDatabaseCreatePermission = createPermission({
  name: 'dbaas.database.create',
  attributes: { action: 'create' },
});

/**
 * See how to connect to a database: hosts, usernames, secret names and
 * paths, never passwords. Give it to members of the owning tenant.
 *
 * @public
 */
export const dbaasConnectionReadPermission = createPermission({
  name: 'dbaas.connection.read',
  attributes: { action: 'read' },
  resourceType: DBAAS_DATABASE_RESOURCE_TYPE,
});

/**
 * Ask for a database to be restored from a snapshot. Give it to the owner of
 * the database's tenant.
 *
 * @public
 */
export const dbaasRestoreRequestPermission = createPermission({
  name: 'dbaas.restore.request',
  attributes: { action: 'create' },
  resourceType: DBAAS_DATABASE_RESOURCE_TYPE,
});

/**
 * Approve, or reject, someone else's restore request. Give it to platform
 * engineers or on-call leads; nobody may approve their own request whatever
 * the policy says, and `dbaas.restore.approvers` narrows it further.
 *
 * @public
 */
export const dbaasRestoreApprovePermission = createPermission({
  name: 'dbaas.restore.approve',
  attributes: { action: 'update' },
});

/**
 * See what a tenant's databases cost. Give it to the tenant's owners, and to
 * finance and platform engineers for all tenants.
 *
 * @public
 */
export const dbaasBillingReadPermission = createPermission({
  name: 'dbaas.billing.read',
  attributes: { action: 'read' },
  resourceType: DBAAS_TENANT_RESOURCE_TYPE,
});

/**
 * Start an inventory sync now (`POST /refresh`): a full read of the apps
 * repository and its pull requests, and a provisioning pass on every
 * cluster. Give it to platform engineers; the scaffolder module calls it
 * with its own service token after each pull request, and service
 * principals are decided by their access restrictions, not the policy.
 *
 * @public
 */
export const dbaasInventoryRefreshPermission = createPermission({
  name: 'dbaas.inventory.refresh',
  attributes: { action: 'update' },
});

/**
 * Ask for temporary personal access to a database (a login role of one's
 * own with `VALID UNTIL`, a member of the `read`, `write` or `admin`
 * role). Give it to the owners of the database's tenant; whether the grant
 * also needs an approver is `dbaas.access.policy`'s to say.
 *
 * @public
 */
export const dbaasAccessRequestPermission = createPermission({
  name: 'dbaas.access.request',
  attributes: { action: 'create' },
  resourceType: DBAAS_DATABASE_RESOURCE_TYPE,
});

/**
 * Approve, or reject, someone else's request for personal access, and a
 * rotation of application credentials that needs a second person. Give it
 * to platform engineers; nobody may approve their own request whatever the
 * policy says.
 *
 * @public
 */
export const dbaasAccessApprovePermission = createPermission({
  name: 'dbaas.access.approve',
  attributes: { action: 'update' },
});

/**
 * Rotate a database's application credentials now. Give it to the owners of
 * the database's tenant; on protected or production databases the rotation
 * still waits for someone with `dbaas.access.approve`.
 *
 * @public
 */
export const dbaasCredentialsRotatePermission = createPermission({
  name: 'dbaas.credentials.rotate',
  attributes: { action: 'update' },
  resourceType: DBAAS_DATABASE_RESOURCE_TYPE,
});

/**
 * Every dbaas permission, for `permissionsRegistry.addPermissions`. Typed
 * as `Permission[]` rather than inferred: an inferred union's member order
 * differs between builds, and the API report would drift.
 *
 * @public
 */
export const dbaasPermissions: Permission[] = [
  dbaasDatabaseReadPermission,
  dbaasDatabaseCreatePermission,
  dbaasConnectionReadPermission,
  dbaasRestoreRequestPermission,
  dbaasRestoreApprovePermission,
  dbaasBillingReadPermission,
  dbaasInventoryRefreshPermission,
  dbaasAccessRequestPermission,
  dbaasAccessApprovePermission,
  dbaasCredentialsRotatePermission,
];
