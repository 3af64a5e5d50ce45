import { createServiceFactory } from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { PolicyDecision } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { dbaasDatabaseReadPermission } from '@dbaas/plugin-dbaas-common';
import {
  createDbaasDatabaseConditionalDecision,
  dbaasDatabaseConditions,
  initLocalAppsRepository,
} from '@dbaas/plugin-dbaas-node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DatabaseInventoryStore } from '../inventory/DatabaseInventoryStore';
import { dbaasPlugin } from '../plugin';

/**
 * Reading a database allowed only to the owner of tenant `payments` (one of
 * the inventory's two tenants): a CONDITIONAL decision.
 */
export const ownerOfPayments = createDbaasDatabaseConditionalDecision(
  dbaasDatabaseReadPermission,
  dbaasDatabaseConditions.isTenantOwner({
    claims: ['group:default/payments'],
  }),
);

/**
 * For the tests of the enclosing `describe`: an empty local apps repository
 * (see {@link useEmptyLocalAppsRepository}) and `start(decide)`, which
 * starts the plugin on it (see {@link startPluginWithInventory}).
 */
export function usePluginWithInventory(
  databases: TestDatabases,
  prefix: string,
) {
  const appsRepoPath = useEmptyLocalAppsRepository(prefix);
  return (decide: (permissionName: string) => PolicyDecision) =>
    startPluginWithInventory({
      databases,
      appsRepoPath: appsRepoPath(),
      decide,
    });
}

/**
 * An empty local apps repository in a temporary folder for the tests of the
 * enclosing `describe`: made before all of them, removed after all of them.
 * Returns its path (known once the tests run).
 */
export function useEmptyLocalAppsRepository(prefix: string): () => string {
  let path: string | undefined;
  beforeAll(async () => {
    path = await mkdtemp(join(tmpdir(), prefix));
    await initLocalAppsRepository({ path, files: [] });
  });
  afterAll(() =>
    path ? rm(path, { recursive: true, force: true }) : undefined,
  );
  return () => {
    if (!path) throw new Error('The apps repository is made in beforeAll');
    return path;
  };
}

/**
 * The plugin on a real PostgreSQL database with an Aurora cluster that is
 * never reached, whose permission service answers `decide(permission name)`
 * (never the mock's default ALLOW), and an inventory holding
 * payments/ledger and checkout/orders, ready on cluster `eu`; with `get`
 * (a GET of the plugin's API) and `invoke` (one of its actions), both as the
 * mock user.
 */
export async function startPluginWithInventory(options: {
  databases: TestDatabases;
  appsRepoPath: string;
  decide: (permissionName: string) => PolicyDecision;
}) {
  const { databases, appsRepoPath, decide } = options;
  const knex = await databases.init('POSTGRES_15');
  const permissions = mockServices.permissions.mock({
    authorizeConditional: async (requests: any[]) =>
      requests.map(r => decide(r.permission.name)) as any,
    authorize: async (requests: any[]) =>
      requests.map(r => decide(r.permission.name)) as any,
  });
  const actions = actionsRegistryServiceMock();
  const { server } = await startTestBackend({
    features: [
      dbaasPlugin,
      createServiceFactory({
        service: actionsRegistryServiceRef,
        deps: {},
        factory: () => actions,
      }),
      mockServices.rootConfig.factory({
        data: {
          dbaas: {
            gitops: { provider: 'local', local: { path: appsRepoPath } },
            clusters: [
              {
                name: 'eu',
                environment: 'production',
                provider: 'aurora',
                // Never reached: the tests fill the stores by hand.
                connection: 'postgresql://observer@127.0.0.1:1/postgres',
                publicEndpoint: { host: 'rds-proxy.internal', port: 5432 },
                aurora: { region: 'eu-west-1', clusterIdentifier: 'eu' },
              },
            ],
            tenants: [
              { namespace: 'payments', owner: 'group:default/payments' },
              { namespace: 'checkout', owner: 'group:default/checkout' },
            ],
          },
        },
      }),
      mockServices.database.factory({ knex }),
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      permissions.factory,
      catalogServiceMock.factory({ entities: [] }),
    ],
  });
  await new DatabaseInventoryStore(knex).applyUpdates(
    ['payments/ledger', 'checkout/orders'].map(ref => {
      const [namespace, name] = ref.split('/');
      return {
        namespace,
        name,
        databaseName: `${namespace}-${name}`,
        mode: 'standard' as const,
        status: 'ready' as const,
        cluster: 'eu',
        pullRequests: [],
      };
    }),
  );
  const get = (path: string) =>
    request(server)
      .get(`/api/dbaas${path}`)
      .set('authorization', mockCredentials.user.header());
  const invoke = (name: string, input: Record<string, string> = {}) =>
    actions.invoke({
      // The mock registry names actions after a fixed plugin id.
      id: `test:${name}`,
      input,
      credentials: mockCredentials.user(),
    });
  return { server, knex, actions, get, invoke };
}
