import {
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { DatabaseRef } from '@dbaas/plugin-dbaas-common';
import {
  AppsRepository,
  DatabaseRequestChecker,
  GitopsSettings,
  TenantDirectory,
} from '@dbaas/plugin-dbaas-node';
import type { DbaasRequestCheck } from '../../DbaasBackendClient';

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
  /**
   * The configured apps repository, or the one an action's `repoUrl` names
   * when it is allowed (`dbaas.gitops.allowedRepoUrls`); throws
   * `InputError` naming the allowed ones otherwise, before any call.
   */
  appsRepoFor(repoUrl?: string): AppsRepository;
  /** Checks against the apps repository itself (reads it now). */
  checkerFor(appsRepo: AppsRepository): DatabaseRequestChecker;
  /**
   * Asks the dbaas backend whether a new database may be requested in
   * `appsRepo` (answered from its inventory, no GitHub call); `undefined`
   * when its inventory does not follow that repository. Throws when the
   * backend cannot be reached (the caller then reads the repository).
   */
  checkWithInventory?(
    appsRepo: AppsRepository,
    ref: DatabaseRef,
  ): Promise<DbaasRequestCheck | undefined>;
  tenants: TenantDirectory;
  permissions: PermissionsService;
  userInfo: UserInfoService;
  /**
   * Asks the dbaas backend to sync its inventory now, so the new status
   * shows at once; best effort (the periodic sync catches up anyway). Does
   * nothing for a repository the inventory does not follow.
   */
  refreshInventory?(appsRepo?: AppsRepository): Promise<void>;
  /**
   * The portal page of a database (`<app.baseUrl>/dbaas/databases/<namespace>/<name>`),
   * which shows its lifecycle and changes. A change in a local apps
   * repository has no pull request page (its URL is a `file://` one a
   * browser will not open): the task links here instead.
   */
  databasePageUrl?(ref: DatabaseRef): string;
}
