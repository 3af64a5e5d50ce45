import { Config } from '@backstage/config';
import { DEFAULT_RESERVED_NAMESPACES } from '@dbaas/plugin-dbaas-common';
import {
  AppsRepository,
  DatabaseRequestChecker,
} from '@dbaas/plugin-dbaas-node';

/**
 * The checks behind `POST /validate`: a requested database's names against
 * the naming rules, `dbaas.naming.reservedNamespaces` (Backstage's defaults
 * when unset) and what the apps repository already defines.
 */
export function createRequestChecker(options: {
  config: Config;
  appsRepo: AppsRepository;
  /** `dbaas.gitops.basePath`, normalized. */
  basePath: string;
}): DatabaseRequestChecker {
  return new DatabaseRequestChecker({
    appsRepo: options.appsRepo,
    basePath: options.basePath,
    reservedNamespaces:
      options.config.getOptionalStringArray(
        'dbaas.naming.reservedNamespaces',
      ) ?? DEFAULT_RESERVED_NAMESPACES,
  });
}
