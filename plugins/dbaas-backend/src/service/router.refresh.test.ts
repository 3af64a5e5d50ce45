import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionBackend from '@backstage/plugin-permission-backend';
import policyModule from '@dbaas/plugin-permission-backend-module-dbaas-policy';
import { initLocalAppsRepository } from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DatabaseSyncRequestStore } from '../inventory/DatabaseSyncRequestStore';
import { INVENTORY_SYNC_TASK_ID } from '../inventory/scheduleInventorySync';
import { dbaasPlugin } from '../plugin';

jest.setTimeout(60_000);

// POST /refresh under the portal's real permission path: Backstage's
// permission client, the permission backend and the dbaas policy, with the
// real scheduler, so that cycles run as in production and are counted.
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

const ownership: Record<string, string[]> = {
  'user:default/pat': ['user:default/pat', 'group:default/platform'],
  'user:default/ana': ['user:default/ana', 'group:default/payments'],
};

describe('POST /refresh', () => {
  let appsRepoPath: string;
  let server: Parameters<typeof request>[0];
  let knex: Knex;

  const counts = () =>
    new DatabaseSyncRequestStore(knex).counts(INVENTORY_SYNC_TASK_ID);

  async function waitFor(predicate: () => Promise<boolean>) {
    const deadline = Date.now() + 20_000;
    while (!(await predicate()) && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    expect(await predicate()).toBe(true);
  }

  /** Waits until every request is served, then returns the counts. */
  async function settled() {
    await waitFor(async () => {
      const c = await counts();
      return c.requested === c.served;
    });
    // A cycle that started meanwhile finishes: nothing more may start.
    await new Promise(resolve => setTimeout(resolve, 2000));
    return counts();
  }

  beforeAll(async () => {
    appsRepoPath = await mkdtemp(join(tmpdir(), 'dbaas-refresh-'));
    await initLocalAppsRepository({ path: appsRepoPath, files: [] });
    knex = await databases.init('POSTGRES_15');
    ({ server } = await startTestBackend({
      features: [
        dbaasPlugin,
        permissionBackend,
        policyModule,
        permissionsServiceFactory,
        schedulerServiceFactory,
        mockServices.userInfo.mock({
          getUserInfo: async credentials => {
            const { userEntityRef } = credentials.principal as {
              userEntityRef: string;
            };
            return {
              userEntityRef,
              ownershipEntityRefs: ownership[userEntityRef] ?? [userEntityRef],
            };
          },
        }).factory,
        mockServices.rootConfig.factory({
          data: {
            permission: {
              enabled: true,
              dbaas: { platformGroups: ['group:default/platform'] },
            },
            dbaas: {
              gitops: { provider: 'local', local: { path: appsRepoPath } },
              inventory: {
                schedule: { frequency: { hours: 1 }, timeout: { minutes: 1 } },
                refreshDebounce: '500ms',
              },
            },
          },
        }),
        mockServices.database.factory({ knex }),
        catalogServiceMock.factory({ entities: [] }),
      ],
    }));
    // The first, scheduled cycle at start-up.
    await waitFor(async () => (await counts()).cycles === 1);
  });

  afterAll(() => rm(appsRepoPath, { recursive: true, force: true }));

  const refresh = (authorization: string) =>
    request(server)
      .post('/api/dbaas/refresh')
      .set('authorization', authorization);

  it('refuses a user without dbaas.inventory.refresh with 403 and counts no request', async () => {
    const before = await counts();
    const response = await refresh(
      mockCredentials.user.header('user:default/ana'),
    );
    expect(response.status).toBe(403);
    expect(response.body.error).toEqual({
      name: 'NotAllowedError',
      message: 'You may not refresh the inventory',
    });
    expect(await counts()).toEqual(before);
  });

  it('accepts the platform team with 202 and syncs', async () => {
    const before = await settled();
    const response = await refresh(
      mockCredentials.user.header('user:default/pat'),
    );
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ status: 'requested' });
    const after = await settled();
    expect(after.cycles).toBe(before.cycles + 1);
    expect(after.lastCycleReason).toBe('refresh');
  });

  it("accepts the scaffolder module's service token without asking the policy", async () => {
    const before = await settled();
    const response = await refresh(
      mockCredentials.service.header({
        onBehalfOf: mockCredentials.service('plugin:scaffolder'),
        targetPluginId: 'dbaas',
      }),
    );
    expect(response.status).toBe(202);
    expect((await settled()).cycles).toBe(before.cycles + 1);
  });

  it('answers ten refreshes at once with one cycle: one requested, nine coalesced', async () => {
    const before = await settled();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        refresh(mockCredentials.user.header('user:default/pat')),
      ),
    );
    expect(responses.map(r => r.status)).toEqual(Array(10).fill(202));
    const statuses = responses.map(r => r.body.status).sort();
    expect(statuses).toEqual([...Array(9).fill('coalesced'), 'requested']);
    const after = await settled();
    expect(after.requested).toBe(before.requested + 10);
    expect(after.cycles).toBe(before.cycles + 1);
  });
});
