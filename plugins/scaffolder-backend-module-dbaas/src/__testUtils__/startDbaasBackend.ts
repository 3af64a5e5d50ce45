import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// Tests only (a devDependency): the whole action against the real backend.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import dbaasPlugin from '@dbaas/plugin-dbaas-backend';
import { FakeGitHub } from '@dbaas/plugin-dbaas-node/testUtils';
import { AddressInfo } from 'node:net';
import { DbaasBackendClient } from '../DbaasBackendClient';

/** The token the dbaas backend's inventory uses, to tell its calls apart. */
export const INVENTORY_TOKEN = 'inventory-token';

/**
 * The real dbaas backend plugin (PostgreSQL, its inventory following
 * `acme/apps` on the fake GitHub), and a {@link DbaasBackendClient} that
 * calls it as this module does. Resolves once the inventory has synced.
 */
export async function startDbaasBackend(
  databases: TestDatabases,
  fake: FakeGitHub,
) {
  const knex = await databases.init('POSTGRES_15');
  const testBackend = await startTestBackend({
    features: [
      dbaasPlugin,
      mockServices.rootConfig.factory({
        data: {
          integrations: {
            github: [
              {
                host: 'github.com',
                apiBaseUrl: fake.apiBaseUrl,
                token: INVENTORY_TOKEN,
              },
            ],
          },
          dbaas: {
            gitops: {
              provider: 'github',
              repoUrl: 'https://github.com/acme/apps',
            },
            tenants: [
              { namespace: 'payments', owner: 'group:default/payments' },
            ],
          },
        },
      }),
      mockServices.database.factory({ knex }),
      catalogServiceMock.factory({ entities: [] }),
    ],
  });
  const { port } = testBackend.server.address() as AddressInfo;
  const client = new DbaasBackendClient({
    auth: mockServices.auth({ pluginId: 'scaffolder' }),
    discovery: {
      getBaseUrl: async () => `http://localhost:${port}/api/dbaas`,
      getExternalBaseUrl: async () => `http://localhost:${port}/api/dbaas`,
    },
  });

  /** Waits until the inventory completed a cycle after `after`. */
  async function synced(after = new Date(0)): Promise<Date> {
    for (let attempt = 0; attempt < 300; attempt++) {
      const check = await client.checkRequest({
        namespace: 'payments',
        name: 'probe',
      });
      const at = check.inventory?.syncedAt;
      if (at && at > after) return at;
      await new Promise(done => setTimeout(done, 100));
    }
    throw new Error('The dbaas inventory did not sync within 30 s');
  }

  /** Asks for a cycle and waits for it. */
  async function resync(): Promise<void> {
    const before = await synced();
    await client.refreshInventory();
    await synced(before);
  }

  await synced();
  return { client, resync, stop: () => testBackend.stop() };
}
