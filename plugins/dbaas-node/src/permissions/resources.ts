import { createPermissionResourceRef } from '@backstage/plugin-permission-node';
import {
  DBAAS_DATABASE_RESOURCE_TYPE,
  DBAAS_TENANT_RESOURCE_TYPE,
} from '@dbaas/plugin-dbaas-common';

/**
 * What permission rules see of a database: where it lives and who owns its
 * tenant (entity refs, from the catalog or `dbaas.tenants`).
 *
 * @public
 */
export interface DbaasDatabaseResource {
  namespace: string;
  name: string;
  owners: string[];
}

/**
 * What permission rules see of a tenant (a Kubernetes namespace).
 *
 * @public
 */
export interface DbaasTenantResource {
  namespace: string;
  owners: string[];
}

/**
 * A rule translated for the plugin's stores: the resource matches when its
 * `property` is one of `values`.
 *
 * @public
 */
export interface DbaasPermissionQuery {
  property: 'namespace' | 'owner';
  values: string[];
}

/** @public */
export const dbaasDatabaseResourceRef = createPermissionResourceRef<
  DbaasDatabaseResource,
  DbaasPermissionQuery
>().with({ pluginId: 'dbaas', resourceType: DBAAS_DATABASE_RESOURCE_TYPE });

/** @public */
export const dbaasTenantResourceRef = createPermissionResourceRef<
  DbaasTenantResource,
  DbaasPermissionQuery
>().with({ pluginId: 'dbaas', resourceType: DBAAS_TENANT_RESOURCE_TYPE });
