import {
  AuthService,
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

/** Builds the actions' environment from config and backend services. */
export function createActionEnvironment(deps: {
  config: RootConfigService;
  logger: LoggerService;
  auth: AuthService;
  permissions: PermissionsService;
  userInfo: UserInfoService;
  catalog: CatalogService;
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
  };
}
