import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { isError } from '@backstage/errors';
import { EventsService } from '@backstage/plugin-events-node';
import { GitopsSettings, parseGitHubRepoUrl } from '@dbaas/plugin-dbaas-node';
import {
  GITHUB_PULL_REQUEST_TOPIC,
  GITHUB_PUSH_TOPIC,
  describeAppsRepositoryEvent,
} from './appsRepositoryEvent';
import { SyncRequestOutcome } from '../inventory/scheduleInventorySync';

/**
 * Subscriber id (the events service prefixes the plugin id): replicas
 * share it, so the event bus hands each event to one of them.
 */
export const APPS_REPOSITORY_SUBSCRIBER_ID = 'inventory-webhooks';

/**
 * Asks for an inventory cycle when GitHub reports a change of the apps
 * repository: a push to its base branch, or a suite pull request opened,
 * updated, closed or merged (see `describeAppsRepositoryEvent`). The
 * webhooks reach Backstage through `@backstage/plugin-events-backend` and
 * `@backstage/plugin-events-backend-module-github`, which verifies their
 * signature and publishes them on `github.<event>`.
 *
 * Nothing is subscribed for a local apps repository, or with
 * `dbaas.inventory.webhooks.enabled: false`. A failing request is logged:
 * the scheduled poll still catches the change.
 */
export async function subscribeToAppsRepositoryEvents(options: {
  events: EventsService;
  config: Config;
  gitops: GitopsSettings;
  logger: LoggerService;
  requestSync(): Promise<SyncRequestOutcome>;
}): Promise<void> {
  const { events, config, gitops, logger } = options;
  const enabled =
    config.getOptionalBoolean('dbaas.inventory.webhooks.enabled') ?? true;
  if (!enabled || gitops.provider !== 'github' || !gitops.repoUrl) {
    return;
  }
  const watched = {
    ...parseGitHubRepoUrl(gitops.repoUrl),
    baseBranch: gitops.baseBranch,
  };
  await events.subscribe({
    id: APPS_REPOSITORY_SUBSCRIBER_ID,
    topics: [GITHUB_PUSH_TOPIC, GITHUB_PULL_REQUEST_TOPIC],
    onEvent: async ({ topic, eventPayload }) => {
      const description = describeAppsRepositoryEvent(
        topic,
        eventPayload,
        watched,
      );
      if (!description) {
        return;
      }
      try {
        const outcome = await options.requestSync();
        logger.info(
          outcome === 'requested'
            ? `Inventory sync requested for GitHub's ${description}`
            : `Inventory sync already requested, also serves GitHub's ${description}`,
        );
      } catch (error) {
        logger.warn(
          `Could not request an inventory sync for ${description}: ${
            isError(error) ? error.message : String(error)
          }; the next scheduled sync will see it`,
        );
      }
    },
  });
}
