import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { GithubEventRouter } from '@backstage/plugin-events-backend-module-github';
import {
  DefaultEventsService,
  EventsService,
} from '@backstage/plugin-events-node';
import { GitopsSettings } from '@dbaas/plugin-dbaas-node';
import { subscribeToAppsRepositoryEvents } from './subscribeToAppsRepositoryEvents';

const gitops: GitopsSettings = {
  provider: 'github',
  repoUrl: 'https://github.com/acme/apps',
  basePath: '',
  baseBranch: 'main',
  chartVersion: '1.0.1',
  protectedDatabases: { labels: [], reviewers: [], teamReviewers: [] },
};

/**
 * The real in-process events service with the GitHub module's router, so
 * that a webhook published on `github` (as the events backend's HTTP
 * ingress does, headers as metadata) reaches `github.<event>` subscribers.
 */
async function githubEvents(): Promise<{
  events: EventsService;
  webhook(event: string, payload: unknown): Promise<void>;
}> {
  const root = DefaultEventsService.create({
    logger: mockServices.logger.mock(),
  });
  const events = root.forPlugin('dbaas');
  await new GithubEventRouter({ events: root.forPlugin('events') }).subscribe();
  return {
    events,
    webhook: (event, payload) =>
      root.forPlugin('events').publish({
        topic: 'github',
        eventPayload: payload,
        metadata: { 'x-github-event': event },
      }),
  };
}

const push = (htmlUrl: string, ref = 'refs/heads/main') => ({
  ref,
  repository: { html_url: htmlUrl },
});

describe('subscribeToAppsRepositoryEvents', () => {
  it('requests a sync for a push to the base branch of the apps repository, not for another repository or branch', async () => {
    const { events, webhook } = await githubEvents();
    const logger = mockServices.logger.mock();
    let requests = 0;
    await subscribeToAppsRepositoryEvents({
      events,
      config: new ConfigReader({}),
      gitops,
      logger,
      requestSync: async () => {
        requests++;
        return requests === 1 ? 'requested' : 'coalesced';
      },
    });

    await webhook('push', push('https://github.com/acme/website'));
    await webhook('push', push('https://github.com/acme/apps', 'refs/heads/x'));
    await webhook('issues', push('https://github.com/acme/apps'));
    expect(requests).toBe(0);

    await webhook('push', push('https://github.com/acme/apps'));
    expect(requests).toBe(1);
    await webhook('pull_request', {
      action: 'closed',
      repository: { html_url: 'https://github.com/acme/apps' },
      pull_request: {
        number: 3,
        merged: true,
        head: { ref: 'dbaas/create/payments/ledger' },
        base: { ref: 'main' },
      },
    });
    expect(requests).toBe(2);
    expect(logger.info).toHaveBeenCalledWith(
      "Inventory sync requested for GitHub's push to main of acme/apps",
    );
    expect(logger.info).toHaveBeenCalledWith(
      "Inventory sync already requested, also serves GitHub's pull request #3 of acme/apps closed (merged)",
    );
  });

  it('logs a failed request and leaves the change to the scheduled sync', async () => {
    const { events, webhook } = await githubEvents();
    const logger = mockServices.logger.mock();
    await subscribeToAppsRepositoryEvents({
      events,
      config: new ConfigReader({}),
      gitops,
      logger,
      requestSync: async () => {
        throw new Error('connection terminated');
      },
    });
    await webhook('push', push('https://github.com/acme/apps'));
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not request an inventory sync for push to main of acme/apps: connection terminated; the next scheduled sync will see it',
    );
  });

  it.each([
    ['a local apps repository', { ...gitops, provider: 'local' as const }, {}],
    [
      'dbaas.inventory.webhooks.enabled: false',
      gitops,
      { dbaas: { inventory: { webhooks: { enabled: false } } } },
    ],
  ])('subscribes to nothing with %s', async (_, settings, config) => {
    const { events, webhook } = await githubEvents();
    let requests = 0;
    await subscribeToAppsRepositoryEvents({
      events,
      config: new ConfigReader(config),
      gitops: settings,
      logger: mockServices.logger.mock(),
      requestSync: async () => {
        requests++;
        return 'requested';
      },
    });
    await webhook('push', push('https://github.com/acme/apps'));
    expect(requests).toBe(0);
  });
});
