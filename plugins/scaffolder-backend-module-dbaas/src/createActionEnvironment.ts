import {
  AuthService,
  DiscoveryService,
  LoggerService,
  PermissionsService,
  RootConfigService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
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
  const configuredRepo = createAppsRepository(settings, config, logger);
  const reservedNamespaces =
    config.getOptionalStringArray('dbaas.naming.reservedNamespaces') ??
    DEFAULT_RESERVED_NAMESPACES;
  const checkers = new WeakMap<AppsRepository, DatabaseRequestChecker>();

  return {
    settings,
    reservedNamespaces,
    secretPathTemplate: config.getOptionalString('dbaas.secrets.pathTemplate'),
    appsRepoFor(repoUrl) {
      if (!repoUrl || repoUrl === settings.repoUrl) {
        return configuredRepo;
      }
      return createAppsRepository(
        { ...settings, provider: 'github', repoUrl },
        config,
        logger,
      );
    },
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
    tenants: new MergedTenantDirectory([
      ConfigTenantDirectory.fromConfig(config),
      new CatalogTenantDirectory(deps.catalog, deps.auth),
    ]),
    permissions: deps.permissions,
    userInfo: deps.userInfo,
    async refreshInventory() {
      const { token } = await deps.auth.getPluginRequestToken({
        onBehalfOf: await deps.auth.getOwnServiceCredentials(),
        targetPluginId: 'dbaas',
      });
      const response = await fetch(
        `${await deps.discovery.getBaseUrl('dbaas')}/refresh`,
        { method: 'POST', headers: { authorization: `Bearer ${token}` } },
      );
      if (!response.ok) {
        throw await ResponseError.fromResponse(response);
      }
    },
  };
}
