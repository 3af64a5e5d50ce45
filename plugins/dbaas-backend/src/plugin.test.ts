import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { initLocalAppsRepository } from '@dbaas/plugin-dbaas-node';
import { knex as createKnex } from 'knex';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { dbaasPlugin } from './plugin';

jest.setTimeout(60_000);

// The plugin's own database is PostgreSQL, as in production (the default
// in-memory SQLite of startTestBackend does not run under Node 24 here).
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

describe('dbaasPlugin', () => {
  let appsRepoPath: string;

  beforeAll(async () => {
    appsRepoPath = await mkdtemp(join(tmpdir(), 'dbaas-plugin-test-'));
    await initLocalAppsRepository({
      path: appsRepoPath,
      files: [
        {
          path: 'payments/ledger/values.yaml',
          content:
            'postgresqlDatabases:\n  - name: ledger\n    mode: protected\n',
        },
        {
          path: 'a/b-c/values.yaml',
          content: 'postgresqlDatabases:\n  - name: b-c\n    mode: standard\n',
        },
      ],
    });
  });

  afterAll(async () => {
    await rm(appsRepoPath, { recursive: true, force: true });
  });

  async function startPlugin(config: { dbaas?: object } = {}) {
    const knex = await databases.init('POSTGRES_15');
    const { server } = await startTestBackend({
      features: [
        dbaasPlugin,
        mockServices.rootConfig.factory({
          data: {
            ...config,
            dbaas: {
              gitops: { provider: 'local', local: { path: appsRepoPath } },
              tenants: [
                { namespace: 'payments', owner: 'group:default/payments' },
              ],
              ...config.dbaas,
            },
          },
        }),
        mockServices.database.factory({ knex }),
        createServiceFactory({
          service: coreServices.userInfo,
          deps: {},
          factory: () =>
            mockServices.userInfo({
              ownershipEntityRefs: ['user:default/ana', 'group:default/search'],
            }),
        }),
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Group',
              metadata: {
                name: 'search',
                annotations: { 'dbaas.io/namespaces': 'search' },
              },
              spec: { type: 'team', children: [] },
            },
          ],
        }),
      ],
    });
    return server;
  }

  it('answers /health without credentials', async () => {
    const server = await startPlugin();
    const response = await request(server)
      .get('/api/dbaas/health')
      .set('authorization', mockCredentials.none.header());
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  /**
   * Asks /validate until the answer comes from the inventory (its first
   * cycle runs at startup), so that every test sees the same source.
   */
  async function validateOnceSynced(server: any, body: object) {
    for (let attempt = 0; ; attempt++) {
      const response = await request(server)
        .post('/api/dbaas/validate')
        .set('authorization', mockCredentials.user.header())
        .send(body);
      if (response.body.inventory || attempt >= 100) return response;
      await new Promise(done => setTimeout(done, 100));
    }
  }

  it('validates a good request', async () => {
    const server = await startPlugin();
    const response = await request(server)
      .post('/api/dbaas/validate')
      .set('authorization', mockCredentials.user.header())
      .send({ namespace: 'payments', name: 'payouts' });
    expect(response.body).toMatchObject({ valid: true, problems: [] });
    expect(response.status).toBe(200);
  });

  it('answers from the inventory once it has synced, with the base head it read', async () => {
    const server = await startPlugin();
    const response = await validateOnceSynced(server, {
      namespace: 'payments',
      name: 'payouts',
    });
    expect(response.body).toEqual({
      valid: true,
      problems: [],
      inventory: {
        syncedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        baseSha: execFileSync('git', ['rev-parse', 'main'], {
          cwd: appsRepoPath,
          encoding: 'utf8',
        }).trim(),
      },
      names: {
        databaseName: 'payments-payouts',
        roles: {
          read: 'payments-payouts-read',
          write: 'payments-payouts-write',
          admin: 'payments-payouts-admin',
        },
        kubernetesSecrets: {
          read: 'payments-payouts-read',
          write: 'payments-payouts-write',
          admin: 'payments-payouts-admin',
        },
        secretManagerPaths: expect.objectContaining({
          admin: expect.stringContaining('payments-payouts-admin'),
        }),
        entityRef: 'resource:default/payments-payouts',
      },
    });
  });

  it('answers a service (the scaffolder module) too', async () => {
    const server = await startPlugin();
    const response = await request(server)
      .post('/api/dbaas/validate')
      .set('authorization', mockCredentials.service.header())
      .send({ namespace: 'payments', name: 'payouts' });
    expect(response.status).toBe(200);
    expect(response.body.valid).toBe(true);
  });

  it.each([
    ['../../clusters/prod/x', 'name'],
    ['a/b', 'name'],
    ['key: value', 'name'],
    ['line\nbreak', 'name'],
  ])('returns every problem of %j', async (value, field) => {
    const server = await startPlugin();
    const response = await request(server)
      .post('/api/dbaas/validate')
      .set('authorization', mockCredentials.user.header())
      .send({ namespace: 'payments', name: value });
    expect(response.status).toBe(200);
    expect(response.body.valid).toBe(false);
    expect(response.body.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field, rule: 'charset' }),
      ]),
    );
  });

  it('refuses reserved namespaces, from config when set', async () => {
    const server = await startPlugin({
      dbaas: { naming: { reservedNamespaces: ['legacy-*'] } },
    });
    const reserved = await request(server)
      .post('/api/dbaas/validate')
      .set('authorization', mockCredentials.user.header())
      .send({ namespace: 'legacy-billing', name: 'db' });
    expect(reserved.body.problems).toEqual([
      expect.objectContaining({ field: 'namespace', rule: 'reserved' }),
    ]);
    const notReservedHere = await request(server)
      .post('/api/dbaas/validate')
      .set('authorization', mockCredentials.user.header())
      .send({ namespace: 'argocd', name: 'db' });
    expect(notReservedHere.body.valid).toBe(true);
  });

  it('answers 400 with the schema rule for a malformed body', async () => {
    const server = await startPlugin();
    const response = await request(server)
      .post('/api/dbaas/validate')
      .set('authorization', mockCredentials.user.header())
      .send({ namespace: 'payments', name: 42, extra: true });
    expect(response.status).toBe(400);
    expect(response.body.error.name).toBe('InputError');
  });

  it('requires credentials for /validate', async () => {
    const server = await startPlugin();
    const response = await request(server)
      .post('/api/dbaas/validate')
      .set('authorization', mockCredentials.none.header())
      .send({ namespace: 'payments', name: 'ledger' });
    expect(response.status).toBe(401);
  });

  it('refuses a database that already exists, saying where', async () => {
    const server = await startPlugin();
    const response = await validateOnceSynced(server, {
      namespace: 'payments',
      name: 'ledger',
    });
    expect(response.body).toMatchObject({
      valid: false,
      problems: [
        {
          field: 'name',
          rule: 'exists',
          message:
            '`payments`/`ledger` already exists: `defined in payments/ledger/values.yaml on main`',
        },
      ],
    });
  });

  it('refuses a collision with another pair, naming both', async () => {
    const server = await startPlugin();
    const response = await validateOnceSynced(server, {
      namespace: 'a-b',
      name: 'c',
    });
    expect(response.body.problems).toEqual([
      {
        field: 'name',
        rule: 'collision',
        message:
          '`a-b`/`c` would create database `a-b-c`, which `a`/`b-c` already uses',
      },
    ]);
  });

  it('lists tenants from config and catalog, and those the caller owns', async () => {
    const server = await startPlugin();
    const all = await request(server)
      .get('/api/dbaas/tenants')
      .set('authorization', mockCredentials.user.header());
    expect(all.status).toBe(200);
    expect(all.body.items).toEqual([
      { namespace: 'payments', owners: ['group:default/payments'] },
      { namespace: 'search', owners: ['group:default/search'] },
    ]);
    const owned = await request(server)
      .get('/api/dbaas/tenants?owned=true')
      .set('authorization', mockCredentials.user.header());
    expect(owned.body.items).toEqual([
      { namespace: 'search', owners: ['group:default/search'] },
    ]);
  });

  it('does not start without dbaas.gitops, saying what is missing', async () => {
    const knex = await databases.init('POSTGRES_15');
    await expect(
      startTestBackend({
        features: [
          dbaasPlugin,
          mockServices.rootConfig.factory({ data: {} }),
          mockServices.database.factory({ knex }),
        ],
      }),
    ).rejects.toThrow(/dbaas.gitops is not configured/);
  });

  it('does not start on SQLite, saying what to configure', async () => {
    // Never connected: the check reads the client the database service returns.
    const knex = createKnex({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    try {
      await expect(
        startTestBackend({
          features: [
            dbaasPlugin,
            mockServices.rootConfig.factory({
              data: {
                backend: { database: { client: 'better-sqlite3' } },
                dbaas: {
                  gitops: { provider: 'local', local: { path: appsRepoPath } },
                },
              },
            }),
            mockServices.database.factory({ knex }),
          ],
        }),
      ).rejects.toThrow(
        "The dbaas backend plugin needs PostgreSQL, but backend.database.client is 'better-sqlite3'; set backend.database.client to 'pg' with a connection to a PostgreSQL server",
      );
    } finally {
      await knex.destroy();
    }
  });
});
