import {
  AuthService,
  DiscoveryService,
  LoggerService,
  PermissionsService,
  RootConfigService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DEFAULT_RESERVED_NAMESPACES } from '@dbaas/plugin-dbaas-common';
import {
  AppsRepository,
  CatalogTenantDirectory,
  ConfigTenantDirectory,
  DatabaseRequestChecker,
  createAppsRepository,
  MergedTenantDirectory,
  readGitopsSettings,
} from '@dbaas/plugin-dbaas-node';
import { DbaasActionEnvironment } from './actions';
import { AllowedAppsRepositories } from './AllowedAppsRepositories';
import { DbaasBackendClient } from './DbaasBackendClient';

/** Builds the actions' environment from config and backend services. */
export function createActionEnvironment(deps: {
  config: RootConfigService;
  logger: LoggerService;
  auth: AuthService;
  permissions: PermissionsService;
  userInfo: UserInfoService;
  catalog: CatalogService;
  discovery: DiscoveryService;
}): DbaasActionEnvironment {
  const { config, logger } = deps;
  const settings = readGitopsSettings(config);
  const repos = new AllowedAppsRepositories(
    settings,
    createAppsRepository(settings, config, logger),
    repoUrl =>
      createAppsRepository(
        { ...settings, provider: 'github', repoUrl },
        config,
        logger,
      ),
  );
  const reservedNamespaces =
    config.getOptionalStringArray('dbaas.naming.reservedNamespaces') ??
    DEFAULT_RESERVED_NAMESPACES;
  const checkers = new WeakMap<AppsRepository, DatabaseRequestChecker>();
  const backend = new DbaasBackendClient(deps);
  const appBaseUrl = config.getOptionalString('app.baseUrl');

  return {
    settings,
    reservedNamespaces,
    secretPathTemplate: config.getOptionalString('dbaas.secrets.pathTemplate'),
    appsRepoFor: repoUrl => repos.resolve(repoUrl),
    checkerFor(appsRepo) {
      let checker = checkers.get(appsRepo);
      if (!checker) {
        checker = new DatabaseRequestChecker({
          appsRepo,
          basePath: settings.basePath,
          reservedNamespaces,
        });
        checkers.set(appsRepo, checker);
      }
      return checker;
    },
    // The dbaas backend's inventory follows the configured repository only.
    checkWithInventory: async (appsRepo, ref) =>
      repos.isConfigured(appsRepo) ? backend.checkRequest(ref) : undefined,
    tenants: new MergedTenantDirectory([
      ConfigTenantDirectory.fromConfig(config),
      new CatalogTenantDirectory(deps.catalog, deps.auth),
    ]),
    permissions: deps.permissions,
    userInfo: deps.userInfo,
    ...(appBaseUrl && {
      databasePageUrl: ref => databasePageUrl(appBaseUrl, ref),
    }),
    refreshInventory: async appsRepo => {
      if (!appsRepo || repos.isConfigured(appsRepo)) {
        await backend.refreshInventory();
      }
    },
  };
}

/** The dbaas plugin's page of one database, below the portal's `/dbaas`. */
export function databasePageUrl(
  appBaseUrl: string,
  ref: { namespace: string; name: string },
): string {
  return `${appBaseUrl.replace(
    /\/+$/,
    '',
  )}/dbaas/databases/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(
    ref.name,
  )}`;
}
