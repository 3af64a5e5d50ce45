import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { dbaasPermissions } from '@dbaas/plugin-dbaas-common';
import { DbaasPermissionPolicy } from './DbaasPermissionPolicy';
import { createDbaasPolicyDecider } from './DbaasPolicyDecider';
import {
  oncallLead,
  paymentsDeveloper,
  platformEngineer,
  rolesConfig,
  userInfo,
  userWith,
} from './__testUtils__/users';

const config = new ConfigReader(rolesConfig);
const dbaas = createDbaasPolicyDecider({ config, userInfo });
const policy = DbaasPermissionPolicy.fromConfig(config, userInfo);

const users = {
  'platform engineer': platformEngineer,
  'tenant owner': paymentsDeveloper,
  approver: oncallLead,
  'no user': undefined,
};

function deciderWith(platformGroups: unknown, approvers?: unknown) {
  return createDbaasPolicyDecider({
    config: new ConfigReader({
      permission: { dbaas: { platformGroups } },
      ...(approvers ? { dbaas: { restore: { approvers } } } : {}),
    } as any),
    userInfo,
  });
}

describe('createDbaasPolicyDecider', () => {
  it.each([
    createPermission({
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
      resourceType: 'catalog-entity',
    }),
    createPermission({
      name: 'scaffolder.task.create',
      attributes: { action: 'create' },
    }),
    // Only the `dbaas.` prefix is the plugin's, not a look-alike.
    createPermission({ name: 'dbaasx.read', attributes: { action: 'read' } }),
  ])('leaves $name to the caller (undefined)', async permission => {
    for (const user of Object.values(users)) {
      await expect(dbaas.decide({ permission }, user)).resolves.toBeUndefined();
    }
  });

  describe.each(Object.entries(users))('for %s', (_, user) => {
    it.each(dbaasPermissions.map(p => [p.name, p]))(
      '%s: the same decision as DbaasPermissionPolicy',
      async (__, permission) => {
        const decision = await dbaas.decide({ permission }, user);
        expect(decision).toBeDefined();
        expect(decision).toEqual(await policy.handle({ permission }, user));
      },
    );
  });

  it('denies a dbaas permission it does not know', async () => {
    const unknown = createPermission({
      name: 'dbaas.cluster.delete',
      attributes: { action: 'delete' },
    });
    await expect(
      dbaas.decide({ permission: unknown }, platformEngineer),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('reads group refs as dbaas.tenants[].owner: default kind and namespace, any case', async () => {
    const shorthand = deciderWith(['Platform']);
    const approve = dbaasPermissions.find(
      p => p.name === 'dbaas.restore.approve',
    )!;
    await expect(
      shorthand.decide({ permission: approve }, platformEngineer),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    const upperCaseClaim = userWith(
      'user:default/kim',
      'group:default/PLATFORM',
    );
    await expect(
      shorthand.decide({ permission: approve }, upperCaseClaim),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it.each([
    [
      ['group:default/'],
      undefined,
      "permission.dbaas.platformGroups[0] 'group:default/' is not a group ref",
    ],
    [
      ['component:default/platform'],
      undefined,
      "permission.dbaas.platformGroups[0] 'component:default/platform' must name a group or a user",
    ],
    [
      ['group:default/platform'],
      ['group:/oncall'],
      "dbaas.restore.approvers[0] 'group:/oncall' is not a group ref",
    ],
  ])(
    'refuses %j / approvers %j at startup',
    (platformGroups, approvers, message) => {
      expect(() => deciderWith(platformGroups, approvers)).toThrow(message);
    },
  );

  it.each([['group:default/platform'], [['group:default/platform', '']]])(
    'refuses platformGroups %j, naming the key (the config reader checks the type)',
    platformGroups => {
      expect(() => deciderWith(platformGroups)).toThrow(
        /Invalid type in config for key 'permission\.dbaas\.platformGroups(\[1\])?'/,
      );
    },
  );
});
