import { BackendFeature } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Permission } from '@backstage/plugin-permission-common';
import permissionBackend from '@backstage/plugin-permission-backend';
import request from 'supertest';
import { userInfo } from './users';

/**
 * Starts the permission backend with a policy module, as an adopter's
 * backend would, and returns a way to ask it for decisions.
 */
export async function startPermissionBackend(
  policyModule: BackendFeature,
  config: object,
) {
  const { server } = await startTestBackend({
    features: [
      permissionBackend,
      policyModule,
      mockServices.rootConfig.factory({ data: config }),
      mockServices.userInfo.mock({ getUserInfo: userInfo.getUserInfo }).factory,
    ],
  });

  /** The results for the permissions, in order, for the user. */
  async function authorize(
    userEntityRef: string,
    permissions: Permission[],
  ): Promise<string[]> {
    const response = await request(server)
      .post('/api/permission/authorize')
      // As a plugin asks, on behalf of the user: resource permissions may
      // then come without a resource ref.
      .set(
        'Authorization',
        `Bearer ${mockCredentials.user.token(userEntityRef, {
          actor: { subject: 'dbaas' },
        })}`,
      )
      .send({
        items: permissions.map((permission, i) => ({ id: `${i}`, permission })),
      });
    expect(response.status).toBe(200);
    return response.body.items.map((item: { result: string }) => item.result);
  }

  return { authorize };
}
