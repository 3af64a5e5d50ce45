import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { FakeGitHub } from '@dbaas/plugin-dbaas-node/testUtils';
import { createContext } from './__testUtils__/actionTestEnvironment';
import { createDbaasDatabaseCreateAction } from './actions';
import { createActionEnvironment } from './createActionEnvironment';

// The module's own wiring: config, the allowed apps repositories, the dbaas
// backend (here not installed: nothing answers at its address).
describe('createActionEnvironment', () => {
  let fake: FakeGitHub;

  beforeEach(async () => {
    fake = await FakeGitHub.start();
    for (const repo of ['apps', 'apps-eu', 'other']) {
      fake.seedRepo('acme', repo, { files: { 'README.md': '# apps\n' } });
    }
  });

  afterEach(() => fake.stop());

  function environment() {
    return createActionEnvironment({
      config: mockServices.rootConfig({
        data: {
          integrations: {
            github: [
              { host: 'github.com', apiBaseUrl: fake.apiBaseUrl, token: 't' },
            ],
          },
          dbaas: {
            gitops: {
              provider: 'github',
              repoUrl: 'https://github.com/acme/apps',
              allowedRepoUrls: ['github.com?owner=acme&repo=apps-eu'],
            },
            tenants: [
              { namespace: 'payments', owner: 'group:default/payments' },
            ],
          },
        },
      }),
      logger: mockServices.logger.mock(),
      auth: mockServices.auth(),
      permissions: mockServices.permissions(),
      userInfo: mockServices.userInfo({
        ownershipEntityRefs: ['user:default/ana', 'group:default/payments'],
      }),
      catalog: catalogServiceMock({ entities: [] }),
      discovery: {
        getBaseUrl: async () => 'http://127.0.0.1:1/api/dbaas',
        getExternalBaseUrl: async () => 'http://127.0.0.1:1/api/dbaas',
      },
    });
  }

  function create(repoUrl: string) {
    const logger = mockServices.logger.mock();
    const ctx = createContext(
      { namespace: 'payments', name: 'payouts', repoUrl } as any,
      { taskId: 'task-1', logger },
    );
    return {
      ctx,
      logger,
      done: createDbaasDatabaseCreateAction(environment()).handler(ctx as any),
    };
  }

  it.each([
    'https://github.com/acme/other',
    'https://github.example.com/acme/apps',
    'github.com?owner=evil&repo=apps',
    'not a url',
  ])(
    'refuses repoUrl %s before any call, naming the allowed ones',
    async repoUrl => {
      await expect(create(repoUrl).done).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(
          /github\.com\/acme\/apps, github\.com\/acme\/apps-eu|Invalid GitHub repository URL/,
        ),
      });
      expect(fake.requests).toEqual([]);
    },
  );

  it('accepts the configured and the allowed repositories, compared by host, owner and name', async () => {
    const eu = create('HTTPS://GitHub.com/ACME/Apps-EU.git');
    await eu.done;
    expect(fake.listPulls('acme', 'apps-eu')).toHaveLength(1);
    // The inventory follows acme/apps only: not asked for acme/apps-eu.
    expect(eu.logger.warn).not.toHaveBeenCalled();

    const configured = create('github.com?owner=acme&repo=apps');
    await configured.done;
    expect(fake.listPulls('acme', 'apps')).toHaveLength(1);
    expect(configured.logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('reading the apps repository instead'),
    );
    expect(fake.listPulls('acme', 'other', { state: 'all' })).toEqual([]);
  });
});
