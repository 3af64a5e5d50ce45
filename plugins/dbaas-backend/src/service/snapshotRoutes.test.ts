import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  dbaasDatabaseReadPermission,
  dbaasRestoreRequestPermission,
} from '@dbaas/plugin-dbaas-common';
import {
  createDbaasDatabaseConditionalDecision,
  dbaasDatabaseConditions,
  initLocalAppsRepository,
} from '@dbaas/plugin-dbaas-node';
import request from 'supertest';
import { startPluginWithInventory } from '../__testUtils__/startPluginWithInventory';
import { DatabaseInventoryStore } from '../inventory/DatabaseInventoryStore';
import { dbaasPlugin } from '../plugin';
import {
  TEST_DATABASE_ENV,
  createDatabaseWithData,
  dropDatabase,
  uniqueNamespace,
} from '../snapshots/__testUtils__/testCluster';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

describe('snapshot routes', () => {
  let appsRepoPath: string;

  beforeAll(async () => {
    appsRepoPath = await mkdtemp(join(tmpdir(), 'dbaas-snapshot-routes-'));
    await initLocalAppsRepository({ path: appsRepoPath, files: [] });
  });
  afterAll(() => rm(appsRepoPath, { recursive: true, force: true }));

  describe('on an Aurora cluster', () => {
    async function start(decide: (permission: string) => PolicyDecision) {
      const { server, actions } = await startPluginWithInventory({
        databases,
        appsRepoPath,
        decide,
      });
      const call = (method: 'get' | 'post', path: string) =>
        request(server)
          [method](`/api/dbaas${path}`)
          .set('authorization', mockCredentials.user.header());
      return { call, actions };
    }

    it('refuses readers without dbaas.database.read with 403, in the API and the MCP action', async () => {
      const { call, actions } = await start(() => DENY);
      const response = await call(
        'get',
        '/databases/payments/ledger/snapshots',
      );
      expect(response.status).toBe(403);
      expect(response.body.error.message).toBe(
        'You may not see payments/ledger',
      );
      await expect(
        actions.invoke({
          id: 'test:list-database-snapshots',
          input: { namespace: 'payments', name: 'ledger' },
          credentials: mockCredentials.user(),
        }),
      ).rejects.toThrow('You may not see payments/ledger');
    });

    it('is 404 for a database not in the inventory and 400 for a malformed name', async () => {
      const { call } = await start(() => ALLOW);
      expect(
        (await call('get', '/databases/payments/unknown/snapshots')).status,
      ).toBe(404);
      expect(
        (await call('post', '/databases/payments/unknown/snapshots')).status,
      ).toBe(404);
      expect(
        (await call('get', '/databases/payments/Ledger/snapshots')).status,
      ).toBe(400);
    });

    it('refuses an on-demand snapshot to non-owners (403) and on Aurora (400)', async () => {
      const readOnly = await start(name =>
        name === dbaasRestoreRequestPermission.name ? DENY : ALLOW,
      );
      const forbidden = await readOnly.call(
        'post',
        '/databases/payments/ledger/snapshots',
      );
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.error.message).toBe(
        'You may not take a snapshot of payments/ledger',
      );

      const owner = await start(() => ALLOW);
      const aurora = await owner.call(
        'post',
        '/databases/payments/ledger/snapshots',
      );
      expect(aurora.status).toBe(400);
      expect(aurora.body.error.message).toMatch(/snapshots are taken by AWS/);
    });
  });

  describe('on a self-hosted cluster (real PostgreSQL and pg_dump)', () => {
    let directory: string;
    let namespace: string;
    let databaseName: string;

    beforeAll(async () => {
      directory = await mkdtemp(join(tmpdir(), 'dbaas-snapshot-files-'));
      namespace = uniqueNamespace();
      databaseName = await createDatabaseWithData(namespace, 'ledger');
    });
    afterAll(async () => {
      await dropDatabase(databaseName);
      await rm(directory, { recursive: true, force: true });
    });

    async function start() {
      const knex = await databases.init('POSTGRES_15');
      const audit: Array<{ eventId: string; outcome: string; meta: unknown }> =
        [];
      const actions = actionsRegistryServiceMock();
      const ownerOfTenant = (permission: string) =>
        createDbaasDatabaseConditionalDecision(
          permission === dbaasRestoreRequestPermission.name
            ? dbaasRestoreRequestPermission
            : dbaasDatabaseReadPermission,
          dbaasDatabaseConditions.isTenantOwner({
            claims: [`group:default/${namespace}`],
          }),
        );
      const permissions = mockServices.permissions.mock({
        authorizeConditional: async (requests: any[]) =>
          requests.map(r => ownerOfTenant(r.permission.name)) as any,
      });
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
                    name: 'local',
                    environment: 'dev',
                    provider: 'local',
                    connection: process.env[TEST_DATABASE_ENV],
                    publicEndpoint: { host: '127.0.0.1', port: 5432 },
                  },
                ],
                tenants: [
                  { namespace, owner: `group:default/${namespace}` },
                  { namespace: 'checkout', owner: 'group:default/checkout' },
                ],
                snapshots: { local: { directory } },
              },
            },
          }),
          mockServices.database.factory({ knex }),
          mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
          permissions.factory,
          catalogServiceMock.factory({ entities: [] }),
          createServiceFactory({
            service: coreServices.auditor,
            deps: {},
            factory: () => ({
              createEvent: async (options: {
                eventId: string;
                meta?: any;
              }) => ({
                success: async (o?: { meta?: unknown }) => {
                  audit.push({
                    eventId: options.eventId,
                    outcome: 'success',
                    meta: { ...options.meta, ...(o?.meta as object) },
                  });
                },
                fail: async (o: { error: Error }) => {
                  audit.push({
                    eventId: options.eventId,
                    outcome: 'fail',
                    meta: { ...options.meta, error: o.error.message },
                  });
                },
              }),
            }),
          }),
        ],
      });
      await new DatabaseInventoryStore(knex).applyUpdates(
        ['ledger', 'checkout/orders'].map(ref => {
          const [ns, name] = ref.includes('/')
            ? ref.split('/')
            : [namespace, ref];
          return {
            namespace: ns,
            name,
            databaseName: `${ns}-${name}`,
            mode: 'standard' as const,
            status: 'ready' as const,
            cluster: 'local',
            pullRequests: [],
          };
        }),
      );
      const call = (
        method: 'get' | 'post',
        path: string,
        user = `user:default/${namespace}-owner`,
      ) =>
        request(server)
          [method](`/api/dbaas${path}`)
          .set('authorization', mockCredentials.user.header(user));
      return { call, knex, audit, actions };
    }

    it('takes an on-demand snapshot for the owner (201), lists it, audits it, and refuses a second one while it runs (409)', async () => {
      const { call, knex, audit, actions } = await start();
      // Ownership comes from the user's claims; the mock user owns the tenant.
      const taken = await call(
        'post',
        `/databases/${namespace}/ledger/snapshots`,
      );
      expect(taken.status).toBe(201);
      expect(taken.body).toMatchObject({
        source: 'pg_dump',
        type: 'on-demand',
        status: 'available',
        cluster: 'local',
        checksum: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      });
      expect(audit).toEqual([
        {
          eventId: 'snapshot-create',
          outcome: 'success',
          meta: expect.objectContaining({
            namespace,
            name: 'ledger',
            snapshotId: taken.body.id,
          }),
        },
      ]);

      const listed = await call(
        'get',
        `/databases/${namespace}/ledger/snapshots`,
      );
      expect(listed.status).toBe(200);
      expect(listed.body).toMatchObject({
        databaseName,
        cluster: 'local',
        retentionDays: 7,
        items: [taken.body],
        restoreWindow: {
          earliest: taken.body.createdAt,
          latest: taken.body.createdAt,
        },
      });
      const { output } = (await actions.invoke({
        id: 'test:list-database-snapshots',
        input: { namespace, name: 'ledger' },
        credentials: mockCredentials.user(`user:default/${namespace}-owner`),
      })) as any;
      expect(output.snapshots.map((s: any) => s.id)).toEqual([taken.body.id]);

      const now = new Date();
      await knex('dbaas_snapshots').insert({
        id: 'abcdefab-cdef-4abc-8def-abcdefabcdef',
        cluster: 'local',
        database_name: databaseName,
        namespace,
        name: 'ledger',
        type: 'scheduled',
        status: 'creating',
        created_at: now,
        heartbeat_at: now,
        expires_at: new Date(now.getTime() + 7 * 86_400_000),
      });
      const conflict = await call(
        'post',
        `/databases/${namespace}/ledger/snapshots`,
      );
      expect(conflict.status).toBe(409);
      expect(conflict.body.error.message).toMatch(
        /A scheduled snapshot of .* is already being taken/,
      );
    });

    it("refuses a snapshot of another tenant's database (403)", async () => {
      const { call, audit } = await start();
      const response = await call(
        'post',
        '/databases/checkout/orders/snapshots',
      );
      expect(response.status).toBe(403);
      expect(audit).toEqual([
        expect.objectContaining({
          eventId: 'snapshot-create',
          outcome: 'fail',
        }),
      ]);
    });
  });
});
