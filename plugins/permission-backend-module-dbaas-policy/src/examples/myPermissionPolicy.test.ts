import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  dbaasBillingReadPermission,
  dbaasRestoreApprovePermission,
} from '@dbaas/plugin-dbaas-common';
import { startPermissionBackend } from '../__testUtils__/permissionBackend';
import { rolesConfig } from '../__testUtils__/users';
import myPermissionPolicy from './myPermissionPolicy';

const { ALLOW, DENY, CONDITIONAL } = AuthorizeResult;

describe("the README's policy of one's own", () => {
  it('decides dbaas permissions as the dbaas policy and the rest by its own rules', async () => {
    const { authorize } = await startPermissionBackend(
      myPermissionPolicy,
      rolesConfig,
    );
    const permissions = [
      dbaasRestoreApprovePermission,
      dbaasBillingReadPermission,
      createPermission({
        name: 'catalog.entity.delete',
        attributes: { action: 'delete' },
        resourceType: 'catalog-entity',
      }),
      createPermission({
        name: 'catalog.entity.read',
        attributes: { action: 'read' },
        resourceType: 'catalog-entity',
      }),
    ];
    await expect(authorize('user:default/pat', permissions)).resolves.toEqual([
      ALLOW,
      ALLOW,
      DENY,
      ALLOW,
    ]);
    await expect(authorize('user:default/ana', permissions)).resolves.toEqual([
      DENY,
      CONDITIONAL,
      DENY,
      ALLOW,
    ]);
  });
});
