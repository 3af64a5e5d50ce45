import {
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  AppsRepository,
  DatabaseRequestChecker,
  GitopsSettings,
  TenantDirectory,
} from '@dbaas/plugin-dbaas-node';

/**
 * Everything the dbaas actions need, built once by the module from config
 * and services (tests build it around real repositories).
 *
 * @public
 */
export interface DbaasActionEnvironment {
  settings: GitopsSettings;
  reservedNamespaces: readonly string[];
  /** `dbaas.secrets.pathTemplate`, for the secret paths a pull request names. */
  secretPathTemplate?: string;
  /** The configured apps repository; `repoUrl` in an action's input may name another one. */
  appsRepoFor(repoUrl?: string): AppsRepository;
  checkerFor(appsRepo: AppsRepository): DatabaseRequestChecker;
  tenants: TenantDirectory;
  permissions: PermissionsService;
  userInfo: UserInfoService;
  /**
   * Asks the dbaas backend to sync its inventory now, so the new status
   * shows at once; best effort (the periodic sync catches up anyway).
   */
  refreshInventory?(): Promise<void>;
}
