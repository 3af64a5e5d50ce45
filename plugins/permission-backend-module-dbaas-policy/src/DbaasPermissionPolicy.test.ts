import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  ConditionalPolicyDecision,
  Permission,
  PermissionCondition,
  PolicyDecision,
  createPermission,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  dbaasBillingReadPermission,
  dbaasConnectionReadPermission,
  dbaasDatabaseCreatePermission,
  dbaasDatabaseReadPermission,
  dbaasInventoryRefreshPermission,
  dbaasRestoreApprovePermission,
  dbaasRestoreRequestPermission,
} from '@dbaas/plugin-dbaas-common';
import { dbaasDatabaseRules, dbaasTenantRules } from '@dbaas/plugin-dbaas-node';
import { DbaasPermissionPolicy } from './DbaasPermissionPolicy';
import {
  oncallLead,
  paymentsDeveloper,
  platformEngineer,
  rolesConfig,
  userInfo,
} from './__testUtils__/users';

const policy = DbaasPermissionPolicy.fromConfig(
  new ConfigReader(rolesConfig),
  userInfo,
);

const paymentsLedger = {
  namespace: 'payments',
  name: 'ledger',
  owners: ['group:default/payments'],
};
const checkoutOrders = {
  namespace: 'checkout',
  name: 'orders',
  owners: ['group:default/checkout'],
};

// Evaluates a conditional decision the way the dbaas backend will, with the
// rules it registers, so the test shows who ends up allowed on what.
function decideFor(
  decision: PolicyDecision,
  resource: { namespace: string; owners: string[] },
): AuthorizeResult.ALLOW | AuthorizeResult.DENY {
  if (decision.result !== AuthorizeResult.CONDITIONAL) {
    return decision.result;
  }
  const condition = (decision as ConditionalPolicyDecision)
    .conditions as PermissionCondition;
  const rules: Record<string, { apply(r: any, p: any): boolean }> =
    decision.resourceType === 'dbaas-tenant'
      ? {
          IS_TENANT_OWNER: dbaasTenantRules.isTenantOwner,
          IS_IN_NAMESPACE: dbaasTenantRules.isInNamespace,
        }
      : {
          IS_TENANT_OWNER: dbaasDatabaseRules.isTenantOwner,
          IS_IN_NAMESPACE: dbaasDatabaseRules.isInNamespace,
        };
  return rules[condition.rule].apply(
    { name: 'x', ...resource },
    condition.params,
  )
    ? AuthorizeResult.ALLOW
    : AuthorizeResult.DENY;
}

async function decide(permission: Permission, user?: PolicyQueryUser) {
  return policy.handle({ permission }, user);
}

const { ALLOW, DENY, CONDITIONAL } = AuthorizeResult;

describe('DbaasPermissionPolicy', () => {
  it.each([
    ['platform engineer', ALLOW, platformEngineer],
    ['tenant owner', ALLOW, paymentsDeveloper],
    ['approver', ALLOW, oncallLead],
  ])(
    'lets a %s read the inventory and request databases (%s)',
    async (_, expected, user) => {
      expect((await decide(dbaasDatabaseReadPermission, user)).result).toBe(
        expected,
      );
      expect((await decide(dbaasDatabaseCreatePermission, user)).result).toBe(
        expected,
      );
    },
  );

  it.each([
    [dbaasConnectionReadPermission.name, dbaasConnectionReadPermission],
    [dbaasRestoreRequestPermission.name, dbaasRestoreRequestPermission],
  ])(
    '%s: a tenant owner only for own tenants, the platform team for all',
    async (_, permission) => {
      const forOwner = await decide(permission, paymentsDeveloper);
      expect(forOwner).toEqual({
        result: CONDITIONAL,
        pluginId: 'dbaas',
        resourceType: 'dbaas-database',
        conditions: {
          rule: 'IS_TENANT_OWNER',
          resourceType: 'dbaas-database',
          params: {
            claims: ['user:default/ana', 'group:default/payments'],
          },
        },
      });
      expect(decideFor(forOwner, paymentsLedger)).toBe(ALLOW);
      expect(decideFor(forOwner, checkoutOrders)).toBe(DENY);

      const forPlatform = await decide(permission, platformEngineer);
      expect(decideFor(forPlatform, checkoutOrders)).toBe(ALLOW);

      const forLead = await decide(permission, oncallLead);
      expect(decideFor(forLead, paymentsLedger)).toBe(DENY);
    },
  );

  it.each([
    ['platform engineer', ALLOW, platformEngineer],
    ['configured approver', ALLOW, oncallLead],
    ['tenant owner', DENY, paymentsDeveloper],
  ])('restore approval: %s -> %s', async (_, expected, user) => {
    expect((await decide(dbaasRestoreApprovePermission, user)).result).toBe(
      expected,
    );
  });

  it.each([
    ['platform engineer', ALLOW, platformEngineer],
    ['tenant owner', DENY, paymentsDeveloper],
    ['approver', DENY, oncallLead],
  ])('inventory refresh: %s -> %s', async (_, expected, user) => {
    expect((await decide(dbaasInventoryRefreshPermission, user)).result).toBe(
      expected,
    );
  });

  it('billing: tenant owners see their tenants, the platform team all', async () => {
    const forOwner = await decide(
      dbaasBillingReadPermission,
      paymentsDeveloper,
    );
    expect(forOwner.result).toBe(CONDITIONAL);
    expect(forOwner).toMatchObject({ resourceType: 'dbaas-tenant' });
    expect(
      decideFor(forOwner, {
        namespace: 'payments',
        owners: ['group:default/payments'],
      }),
    ).toBe(ALLOW);
    expect(
      decideFor(forOwner, {
        namespace: 'checkout',
        owners: ['group:default/checkout'],
      }),
    ).toBe(DENY);
    expect(
      (await decide(dbaasBillingReadPermission, platformEngineer)).result,
    ).toBe(ALLOW);
  });

  it('gives calls without a user nothing but reading', async () => {
    expect((await decide(dbaasDatabaseReadPermission)).result).toBe(ALLOW);
    for (const permission of [
      dbaasDatabaseCreatePermission,
      dbaasConnectionReadPermission,
      dbaasRestoreRequestPermission,
      dbaasRestoreApprovePermission,
      dbaasBillingReadPermission,
      dbaasInventoryRefreshPermission,
    ]) {
      expect((await decide(permission)).result).toBe(DENY);
    }
  });

  it('denies a dbaas permission it does not know, allows other plugins', async () => {
    const unknown = createPermission({
      name: 'dbaas.cluster.delete',
      attributes: { action: 'delete' },
    });
    expect((await decide(unknown, platformEngineer)).result).toBe(DENY);
    const catalogRead = createPermission({
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
    });
    expect((await decide(catalogRead, paymentsDeveloper)).result).toBe(ALLOW);
  });

  it('has no approvers but the platform team when none are configured', async () => {
    const strict = DbaasPermissionPolicy.fromConfig(
      new ConfigReader({
        permission: { dbaas: { platformGroups: ['group:default/platform'] } },
      }),
      userInfo,
    );
    expect(
      (
        await strict.handle(
          { permission: dbaasRestoreApprovePermission },
          oncallLead,
        )
      ).result,
    ).toBe(DENY);
  });
});
