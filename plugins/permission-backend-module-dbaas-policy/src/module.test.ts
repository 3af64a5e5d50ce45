import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  dbaasConnectionReadPermission,
  dbaasRestoreApprovePermission,
} from '@dbaas/plugin-dbaas-common';
import permissionModule from './index';
import { startPermissionBackend } from './__testUtils__/permissionBackend';
import { rolesConfig } from './__testUtils__/users';

const { ALLOW, DENY, CONDITIONAL } = AuthorizeResult;

describe('the default export', () => {
  it('installs the dbaas policy in the permission backend, other plugins allowed', async () => {
    const { authorize } = await startPermissionBackend(
      permissionModule,
      rolesConfig,
    );
    const permissions = [
      dbaasRestoreApprovePermission,
      dbaasConnectionReadPermission,
      createPermission({
        name: 'catalog.entity.delete',
        attributes: { action: 'delete' },
        resourceType: 'catalog-entity',
      }),
    ];
    // pat is in the platform group, ana in payments (__testUtils__/users).
    await expect(authorize('user:default/pat', permissions)).resolves.toEqual([
      ALLOW,
      ALLOW,
      ALLOW,
    ]);
    await expect(authorize('user:default/ana', permissions)).resolves.toEqual([
      DENY,
      CONDITIONAL,
      ALLOW,
    ]);
  });

  it('fails the permission backend at startup on a malformed group ref', async () => {
    await expect(
      startPermissionBackend(permissionModule, {
        permission: { dbaas: { platformGroups: ['group:default/'] } },
      }),
    ).rejects.toThrow(
      "permission.dbaas.platformGroups[0] 'group:default/' is not a group ref",
    );
  });
});
