import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ServerPermissionClient } from '@backstage/plugin-permission-node';
import { InventoryRefreshService } from './InventoryRefreshService';

// Service principals are decided by Backstage's permission client from
// their access restrictions, never by the policy: the real client, with
// permissions enabled and no permission backend to ask (a user's request
// would fail here, a service's never leaves the process).
describe('InventoryRefreshService for service principals', () => {
  const permissions = ServerPermissionClient.fromConfig(
    new ConfigReader({ permission: { enabled: true } }),
    { auth: mockServices.auth(), discovery: mockServices.discovery() },
  );

  function service() {
    const requests: string[] = [];
    const refresh = new InventoryRefreshService(
      {
        isAllowed: async (permission, credentials) => {
          const [decision] = await permissions.authorize([{ permission }], {
            credentials,
          });
          return decision.result === AuthorizeResult.ALLOW;
        },
      },
      {
        requestSync: async source => {
          requests.push(source);
          return 'requested';
        },
      },
    );
    return { refresh, requests };
  }

  it.each([
    ['without access restrictions (the scaffolder module)', undefined],
    [
      'restricted to this permission',
      { permissionNames: ['dbaas.database.read', 'dbaas.inventory.refresh'] },
    ],
    [
      'restricted to the update action',
      { permissionAttributes: { action: ['update' as const] } },
    ],
  ])('allows a service %s', async (_, accessRestrictions) => {
    const { refresh, requests } = service();
    await expect(
      refresh.refresh(
        mockCredentials.service('external:ci', accessRestrictions),
      ),
    ).resolves.toBe('requested');
    expect(requests).toEqual(['refresh']);
  });

  it.each([
    [
      'restricted to other permissions',
      { permissionNames: ['dbaas.database.read'] },
    ],
    [
      'restricted to reading',
      { permissionAttributes: { action: ['read' as const] } },
    ],
  ])(
    'refuses a service %s, asking for nothing',
    async (_, accessRestrictions) => {
      const { refresh, requests } = service();
      await expect(
        refresh.refresh(
          mockCredentials.service('external:ci', accessRestrictions),
        ),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: 'You may not refresh the inventory',
      });
      expect(requests).toEqual([]);
    },
  );
});
