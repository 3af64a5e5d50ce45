import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
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
import eventsPlugin from '@backstage/plugin-events-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import { FakeGitHub } from '@dbaas/plugin-dbaas-node/testUtils';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import request from 'supertest';
import { DatabaseSyncRequestStore } from './inventory/DatabaseSyncRequestStore';
import { INVENTORY_SYNC_TASK_ID } from './inventory/scheduleInventorySync';
import {
  describeWithCluster,
  dropTenantDatabases,
  localClusterConfig,
  testClusterUrl,
} from './__testUtils__/testCluster';
import { dbaasPlugin } from './plugin';

jest.setTimeout(120_000);

// A merge on GitHub shows in the inventory within seconds through a
// webhook, while the scheduled poll is an hour away: the portal's wiring
// (events backend, GitHub events module with a webhook secret, the real
// events service and scheduler) in front of the dbaas plugin, the fake
// GitHub as the apps repository and the test PostgreSQL server as a
// self-hosted cluster the suite provisions.
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

const SECRET = 'webhook-secret';

// The GitHub events module's default export loads its two modules with a
// dynamic import(), which Jest cannot run without --experimental-vm-modules:
// load the same two modules from its dist folder instead.
const githubModuleDist = dirname(
  require.resolve('@backstage/plugin-events-backend-module-github'),
);
const githubEventsModules = [
  'service/eventsModuleGithubEventRouter.cjs.js',
  'service/eventsModuleGithubWebhook.cjs.js',
].map(file => require(join(githubModuleDist, file)).default);

describeWithCluster('dbaas plugin with GitHub webhooks', () => {
  const tenant = `w${randomBytes(3).toString('hex')}`;
  let fake: FakeGitHub;
  let snapshotsDir: string;

  beforeAll(async () => {
    fake = await FakeGitHub.start();
    fake.seedRepo('acme', 'apps', { files: { 'README.md': '# apps\n' } });
    snapshotsDir = await mkdtemp(join(tmpdir(), 'dbaas-webhooks-'));
  });

  afterAll(async () => {
    await fake.stop();
    await rm(snapshotsDir, { recursive: true, force: true });
    await dropTenantDatabases(testClusterUrl!, tenant);
  });

  /** A webhook as GitHub sends it: JSON body signed with the secret. */
  function webhook(
    server: Parameters<typeof request>[0],
    event: string,
    payload: object,
    secret = SECRET,
  ) {
    const body = JSON.stringify(payload);
    const signature = `sha256=${createHmac('sha256', secret)
      .update(body)
      .digest('hex')}`;
    return request(server)
      .post('/api/events/http/github')
      .set('content-type', 'application/json')
      .set('x-github-event', event)
      .set('x-hub-signature-256', signature)
      .send(body);
  }

  const push = (repo: string) => ({
    ref: 'refs/heads/main',
    repository: {
      full_name: `acme/${repo}`,
      html_url: `https://github.com/acme/${repo}`,
    },
  });

  it('syncs on a push to the apps repository, not on one to another repository', async () => {
    // A database per plugin, as in the portal (their migrations collide).
    const knex = await databases.init('POSTGRES_15');
    const eventsKnex = await databases.init('POSTGRES_15');
    const { server } = await startTestBackend({
      features: [
        dbaasPlugin,
        eventsPlugin,
        ...githubEventsModules,
        eventsServiceFactory,
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            integrations: {
              github: [
                { host: 'github.com', apiBaseUrl: fake.apiBaseUrl, token: 't' },
              ],
            },
            events: {
              modules: { github: { webhookSecret: SECRET } },
              // Short long-polls of the event bus, so shutdown is quick.
              notifyTimeoutMs: 1000,
            },
            dbaas: {
              gitops: {
                provider: 'github',
                repoUrl: 'https://github.com/acme/apps',
              },
              inventory: {
                // Only the first cycle at start-up is scheduled.
                schedule: { frequency: { hours: 1 }, timeout: { minutes: 2 } },
                refreshDebounce: '200ms',
              },
              clusters: [localClusterConfig(testClusterUrl!)],
              tenants: [{ namespace: tenant, owner: 'group:default/team' }],
              secrets: { provider: 'local' },
              snapshots: { local: { directory: snapshotsDir } },
            },
          },
        }),
        createServiceFactory({
          service: coreServices.database,
          deps: { plugin: coreServices.pluginMetadata },
          factory: ({ plugin }) =>
            mockServices.database({
              knex: plugin.getId() === 'events' ? eventsKnex : knex,
            }),
        }),
        catalogServiceMock.factory({ entities: [] }),
      ],
    });
    const store = new DatabaseSyncRequestStore(knex);
    const counts = () => store.counts(INVENTORY_SYNC_TASK_ID);
    const statusOf = async () => {
      const response = await request(server)
        .get(`/api/dbaas/databases?namespace=${tenant}`)
        .set('authorization', mockCredentials.user.header());
      expect(response.status).toBe(200);
      return response.body.items.map((d: any) => `${d.name}:${d.status}`);
    };
    const waitFor = async (predicate: () => Promise<boolean>) => {
      const deadline = Date.now() + 30_000;
      while (!(await predicate()) && Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 100));
      }
      return predicate();
    };

    // The first scheduled cycle: nothing defined yet.
    expect(await waitFor(async () => (await counts()).cycles >= 1)).toBe(true);
    expect(await statusOf()).toEqual([]);

    // A merge: the definition lands on main.
    fake.commitToBranch('acme', 'apps', 'main', {
      [`${tenant}/ledger/values.yaml`]:
        'postgresqlDatabases:\n  - name: ledger\n',
    });

    // A wrong signature is refused by the GitHub module; another
    // repository's push is accepted by the events backend and ignored.
    expect((await webhook(server, 'push', push('apps'), 'wrong')).status).toBe(
      403,
    );
    expect((await webhook(server, 'push', push('website'))).status).toBe(202);
    await new Promise(resolve => setTimeout(resolve, 1000));
    expect(await counts()).toMatchObject({ requested: 0, cycles: 1 });
    expect(await statusOf()).toEqual([]);

    const sent = Date.now();
    expect((await webhook(server, 'push', push('apps'))).status).toBe(202);
    expect(
      await waitFor(async () => (await statusOf()).includes('ledger:ready')),
    ).toBe(true);
    const elapsedMs = Date.now() - sent;
    // The scheduler picks a triggered task up within its 5 s poll.
    expect(elapsedMs).toBeLessThan(10_000);
    expect(await counts()).toMatchObject({
      requested: 1,
      served: 1,
      lastCycleReason: 'webhook',
    });
    // eslint-disable-next-line no-console
    console.log(`webhook to ready: ${elapsedMs} ms`);
  });
});
