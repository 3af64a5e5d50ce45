import {
  createConditionExports,
  createPermissionRule,
  PermissionResourceRef,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';
import {
  DbaasPermissionQuery,
  dbaasDatabaseResourceRef,
  dbaasTenantResourceRef,
} from './resources';

/**
 * What the dbaas permission rules read of a resource: its tenant (the
 * Kubernetes namespace) and the tenant's owners.
 *
 * @public
 */
export type DbaasTenantScopedResource = { namespace: string; owners: string[] };

// Databases and tenants are both decided by their tenant, so the two
// resource types share the same two rules.
function createTenantRules<TType extends string>(
  resourceRef: PermissionResourceRef<
    DbaasTenantScopedResource,
    DbaasPermissionQuery,
    TType
  >,
) {
  const isTenantOwner = createPermissionRule({
    name: 'IS_TENANT_OWNER',
    description:
      "Allow when one of the user's ownership refs owns the resource's tenant",
    resourceRef,
    paramsSchema: z.object({
      claims: z
        .array(z.string())
        .describe("The user's ownership entity refs, e.g. group:default/team"),
    }),
    apply: (resource, { claims }) =>
      resource.owners.some(owner => claims.includes(owner)),
    toQuery: ({ claims }) => ({ property: 'owner', values: claims }),
  });

  const isInNamespace = createPermissionRule({
    name: 'IS_IN_NAMESPACE',
    description: 'Allow when the resource belongs to one of these namespaces',
    resourceRef,
    paramsSchema: z.object({
      namespaces: z.array(z.string()).describe('Tenant namespaces'),
    }),
    apply: (resource, { namespaces }) =>
      namespaces.includes(resource.namespace),
    toQuery: ({ namespaces }) => ({
      property: 'namespace',
      values: namespaces,
    }),
  });

  return { isTenantOwner, isInNamespace };
}

/**
 * Rules for `dbaas-database` permissions (read, connection, restore request).
 *
 * @public
 */
export const dbaasDatabaseRules = createTenantRules(dbaasDatabaseResourceRef);

/**
 * Rules for `dbaas-tenant` permissions (billing).
 *
 * @public
 */
export const dbaasTenantRules = createTenantRules(dbaasTenantResourceRef);

const databaseConditionExports = createConditionExports({
  resourceRef: dbaasDatabaseResourceRef,
  rules: dbaasDatabaseRules,
});

const tenantConditionExports = createConditionExports({
  resourceRef: dbaasTenantResourceRef,
  rules: dbaasTenantRules,
});

/**
 * Conditions for policies deciding `dbaas-database` permissions.
 *
 * @public
 */
export const dbaasDatabaseConditions = databaseConditionExports.conditions;

/** @public */
export const createDbaasDatabaseConditionalDecision =
  databaseConditionExports.createConditionalDecision;

/**
 * Conditions for policies deciding `dbaas-tenant` permissions.
 *
 * @public
 */
export const dbaasTenantConditions = tenantConditionExports.conditions;

/** @public */
export const createDbaasTenantConditionalDecision =
  tenantConditionExports.createConditionalDecision;
