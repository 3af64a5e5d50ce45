import {
  AuditorService,
  LoggerService,
  SchedulerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { errorMessageLine, TenantDirectory } from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import { DatabaseAccess } from '../access/DatabaseAccess';
import { InventoryStore } from '../inventory/InventoryStore';
import { ClusterProviderBundle } from '../providers/ClusterProviderBundle';
import { createSecretStore } from '../secrets/createSecretStore';
import { CredentialRotationStore } from './CredentialRotationStore';
import { ClusterCredentialRotator } from './CredentialRotators';
import { RotationEvents } from './RotationEvents';
import { RotationService } from './RotationService';
import { readRotationSettings, ROTATION_TASK_ID } from './RotationSettings';

/**
 * Credential rotation (`dbaas.rotation`): the service behind the
 * `/credentials` and `/credential-rotations` routes, and a global task that
 * runs what is approved, follows Aurora rotations and starts the scheduled
 * ones.
 */
export async function createRotation(options: {
  config: Config;
  logger: LoggerService;
  scheduler: SchedulerService;
  knex: Knex;
  inventory: InventoryStore;
  access: DatabaseAccess;
  providers: ClusterProviderBundle[];
  tenants: TenantDirectory;
  auditor: AuditorService;
  notifications?: NotificationService;
  userInfo: UserInfoService;
}): Promise<RotationService> {
  const { config, logger } = options;
  const settings = readRotationSettings(config, logger);
  const deps = {
    secretStore: createSecretStore(config, options.knex),
    secretPathTemplate: config.getOptionalString('dbaas.secrets.pathTemplate'),
    logger,
  };
  const rotators = new Map<string, ClusterCredentialRotator>(
    options.providers.flatMap(bundle => {
      const rotator = bundle.createCredentialRotator?.(deps);
      return rotator ? [[bundle.cluster.name, rotator] as const] : [];
    }),
  );
  const service = new RotationService({
    store: new CredentialRotationStore(options.knex),
    inventory: options.inventory,
    access: options.access,
    userInfo: options.userInfo,
    events: new RotationEvents({
      auditor: options.auditor,
      notifications: options.notifications,
      tenants: options.tenants,
      logger,
    }),
    settings,
    clusters: options.providers.map(({ cluster }) => cluster),
    rotators,
    logger,
  });
  await options.scheduler.scheduleTask({
    id: ROTATION_TASK_ID,
    ...settings.schedule,
    fn: async () => {
      try {
        await service.runDue();
      } catch (error) {
        logger.error(
          `Credential rotation task failed: ${errorMessageLine(error)}`,
        );
        throw error;
      }
    },
  });
  return service;
}
