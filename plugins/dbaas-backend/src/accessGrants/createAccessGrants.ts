import {
  AuditorService,
  LoggerService,
  SchedulerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { ClusterSettings, TenantDirectory } from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import { DatabaseAccess } from '../access/DatabaseAccess';
import { ConnectionInfoBuilder } from '../connection/ConnectionInfoBuilder';
import { InventoryStore } from '../inventory/InventoryStore';
import { AccessGrantEvents } from './AccessGrantEvents';
import { AccessGrantsService } from './AccessGrantsService';
import { AccessGrantStore } from './AccessGrantStore';
import { readAccessSettings } from './AccessSettings';
import {
  clusterPersonalRoles,
  PersonalRoleManager,
} from './PersonalRoleManager';

/** Id of the access task in the scheduler (`scope: 'global'`). */
export const ACCESS_TASK_ID = 'dbaas-access-expiry';

/**
 * Just-in-time personal access: the grants (for the REST API and MCP
 * actions) and one global task that expires them and drops their login
 * roles. Reads `dbaas.access`.
 */
export async function createAccessGrants(options: {
  config: Config;
  logger: LoggerService;
  scheduler: SchedulerService;
  knex: Knex;
  clusters: ClusterSettings[];
  inventory: InventoryStore;
  access: DatabaseAccess;
  userInfo: UserInfoService;
  tenants: TenantDirectory;
  auditor: AuditorService;
  notifications?: NotificationService;
  /** Where login roles are made; each cluster's admin connection by default. */
  roles?: PersonalRoleManager;
  /** The clock (tests). */
  now?: () => Date;
}): Promise<AccessGrantsService> {
  const { config, logger } = options;
  const settings = readAccessSettings(config, logger);
  const service = new AccessGrantsService({
    store: new AccessGrantStore(options.knex),
    inventory: options.inventory,
    clusters: options.clusters,
    access: options.access,
    userInfo: options.userInfo,
    tenants: options.tenants,
    roles: options.roles ?? clusterPersonalRoles,
    events: new AccessGrantEvents({
      auditor: options.auditor,
      notifications: options.notifications,
      logger,
    }),
    settings,
    connectionInfo: ConnectionInfoBuilder.fromConfig(config),
    logger,
    now: options.now,
  });
  await options.scheduler.scheduleTask({
    id: ACCESS_TASK_ID,
    ...settings.schedule,
    fn: async () => {
      const { expired, revoked, dropped } = await service.runExpiry();
      if (expired + revoked + dropped > 0) {
        logger.info(
          `Access grants: ${expired} expired, ${revoked} revoked (database gone), ${dropped} login role(s) dropped`,
        );
      }
    },
  });
  return service;
}
