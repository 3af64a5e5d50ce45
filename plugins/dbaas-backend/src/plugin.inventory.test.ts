import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { initLocalAppsRepository } from '@dbaas/plugin-dbaas-node';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import {
  describeWithCluster,
  dropTenantDatabases,
  localClusterConfig,
  testClusterUrl,
} from './__testUtils__/testCluster';
import { dbaasPlugin } from './plugin';

jest.setTimeout(120_000);

// The whole plugin on the embedded default's path: a real apps repository,
// the test PostgreSQL server as the cluster the provisioner manages, the
// local secret store. Every response, log line, audit event and
// notification is kept, then searched for the passwords the provisioner
// generated (QUALITY 13).
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

describeWithCluster('dbaas plugin with a real cluster', () => {
  const tenant = `t${randomBytes(3).toString('hex')}`;
  let appsRepoPath: string;
  const seen: string[] = [];

  const capture = (...items: unknown[]) => {
    for (const item of items) {
      seen.push(
        item instanceof Error
          ? `${item.message}\n${item.stack}`
          : JSON.stringify(item) ?? String(item),
      );
    }
  };

  function capturingLogger(): any {
    const log = (level: string) => (message: string, meta?: unknown) =>
      capture(level, message, meta);
    return {
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
      debug: log('debug'),
      child: () => capturingLogger(),
    };
  }

  beforeAll(async () => {
    appsRepoPath = await mkdtemp(join(tmpdir(), 'dbaas-inventory-'));
    await initLocalAppsRepository({
      path: appsRepoPath,
      files: [
        {
          path: `${tenant}/ledger/values.yaml`,
          content:
            'postgresqlDatabases:\n  - name: ledger\n    mode: protected\n  - name: cache\n',
        },
      ],
    });
  });

  afterAll(async () => {
    await rm(appsRepoPath, { recursive: true, force: true });
    await dropTenantDatabases(testClusterUrl!, tenant);
  });

  it('provisions, reports and never shows a password anywhere', async () => {
    const knex = await databases.init('POSTGRES_15');
    const url = new URL(testClusterUrl!);
    const { server } = await startTestBackend({
      features: [
        dbaasPlugin,
        mockServices.rootConfig.factory({
          data: {
            dbaas: {
              gitops: { provider: 'local', local: { path: appsRepoPath } },
              clusters: [localClusterConfig(testClusterUrl!)],
              tenants: [{ namespace: tenant, owner: 'group:default/team' }],
              secrets: { provider: 'local' },
              snapshots: {
                local: { directory: join(appsRepoPath, 'snapshots') },
              },
            },
          },
        }),
        mockServices.database.factory({ knex }),
        catalogServiceMock.factory({ entities: [] }),
        createServiceFactory({
          service: coreServices.logger,
          deps: {},
          factory: () => capturingLogger(),
        }),
        createServiceFactory({
          service: coreServices.auditor,
          deps: {},
          factory: () => ({
            createEvent: async (options: {
              eventId: string;
              severityLevel?: string;
              meta?: unknown;
            }) => {
              // The request itself is the auditor's to read; keep the rest.
              const { eventId, severityLevel, meta } = options;
              capture('audit', { eventId, severityLevel, meta });
              return {
                success: async (o?: unknown) => capture('audit success', o),
                fail: async (o: { error: Error }) =>
                  capture('audit fail', o, o.error),
              };
            },
          }),
        }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({
            send: async (options: unknown) => capture('notify', options),
          }),
        }),
      ],
    });

    const get = async (path: string) => {
      const response = await request(server)
        .get(`/api/dbaas${path}`)
        .set('authorization', mockCredentials.user.header());
      capture(path, response.status, response.body);
      return response;
    };

    // The mock scheduler ran the sync once at start-up; run one more
    // through the API, as the scaffolder module does after an action.
    const refresh = await request(server)
      .post('/api/dbaas/refresh')
      .set('authorization', mockCredentials.service.header());
    expect(refresh.status).toBe(202);

    const list = await get(`/databases?namespace=${tenant}`);
    expect(list.body.items.map((d: any) => [d.name, d.status])).toEqual([
      ['cache', 'ready'],
      ['ledger', 'ready'],
    ]);
    const detail = await get(`/databases/${tenant}/ledger`);
    expect(detail.body).toMatchObject({
      status: 'ready',
      mode: 'protected',
      folderPath: `${tenant}/ledger`,
      cluster: 'local',
      owners: ['group:default/team'],
    });
    expect(detail.body.history[0].status).toBe('ready');
    const connection = await get(`/databases/${tenant}/ledger/connection`);
    expect(connection.body.roles[1]).toEqual({
      access: 'write',
      host: url.hostname,
      port: Number(url.port),
      database: `${tenant}-ledger`,
      username: `${tenant}-ledger-write`,
      kubernetesSecretName: `${tenant}-ledger-write`,
      kubernetesNamespace: tenant,
      secretManagerPath: `customer/${tenant}/${tenant}-ledger-write`,
      sslmode: 'require',
    });
    await get(`/databases/${tenant}/missing`);
    await get(`/databases/${tenant}/Bad_Name`);

    // The write role really works with the stored password...
    const secrets = await knex('dbaas_local_secrets')
      .where('path', 'like', `customer/${tenant}/%`)
      .select('path', 'password');
    expect(secrets).toHaveLength(6);
    const write = secrets.find(s => s.path.endsWith('ledger-write'))!;
    const app = new Client({
      host: url.hostname,
      port: Number(url.port),
      database: `${tenant}-ledger`,
      user: `${tenant}-ledger-write`,
      password: write.password,
    });
    await app.connect();
    await app.query('SELECT 1');
    await app.end();

    // ...and appears nowhere the suite speaks.
    const everything = seen.join('\n');
    expect(everything).toContain(`${tenant}-ledger`);
    expect(everything).toContain('database-status-change');
    expect(everything).toContain('is ready');
    for (const { path, password } of secrets) {
      expect({ path, leaked: everything.includes(password) }).toEqual({
        path,
        leaked: false,
      });
    }
  });
});
