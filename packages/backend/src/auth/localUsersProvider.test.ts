import { JsonObject } from '@backstage/types';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import authPlugin from '@backstage/plugin-auth-backend';
import request from 'supertest';
import localUsersProvider, { LOCAL_USER_HEADER } from './localUsersProvider';

const pat = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'pat', namespace: 'default' },
  spec: { memberOf: ['platform'] },
  relations: [{ type: 'memberOf', targetRef: 'group:default/platform' }],
};

describe('localUsers auth provider', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

  async function start(providerConfig: JsonObject) {
    const knex = await databases.init('POSTGRES_15');
    const { server } = await startTestBackend({
      features: [
        authPlugin,
        localUsersProvider,
        mockServices.database.factory({ knex }),
        catalogServiceMock.factory({ entities: [pat] }),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            auth: { providers: { localUsers: providerConfig } },
          },
        }),
      ],
    });
    return server;
  }

  function refresh(server: Parameters<typeof request>[0], user?: string) {
    const req = request(server)
      .get('/api/auth/localUsers/refresh')
      .set('X-Requested-With', 'XMLHttpRequest');
    return user ? req.set(LOCAL_USER_HEADER, user) : req;
  }

  it('signs in as a listed catalog user, with their groups', async () => {
    const server = await start({
      users: ['user:default/pat', 'user:default/guest'],
      dangerouslyAllowOutsideDevelopment: true,
    });

    const response = await refresh(server, 'user:default/pat');

    expect(response.status).toBe(200);
    expect(response.body.backstageIdentity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/pat',
      ownershipEntityRefs: expect.arrayContaining([
        'user:default/pat',
        'group:default/platform',
      ]),
    });
  });

  it('refuses a user that is not listed', async () => {
    const server = await start({
      users: ['user:default/guest'],
      dangerouslyAllowOutsideDevelopment: true,
    });

    const response = await refresh(server, 'user:default/pat');

    expect(response.status).toBe(403);
    expect(response.body.error.message).toContain(
      "'user:default/pat' is not one of auth.providers.localUsers.users",
    );
  });

  it('refuses a request that names no user', async () => {
    const server = await start({
      users: ['user:default/pat'],
      dangerouslyAllowOutsideDevelopment: true,
    });

    const response = await refresh(server);

    expect(response.status).toBe(400);
  });

  it('refuses everyone outside development unless explicitly allowed', async () => {
    const server = await start({ users: ['user:default/pat'] });

    const response = await refresh(server, 'user:default/pat');

    expect(response.status).toBe(403);
    expect(response.body.error.message).toContain('only works in development');
  });
});
