import { Config } from '@backstage/config';
import { DEFAULT_RESERVED_NAMESPACES } from '@dbaas/plugin-dbaas-common';
import {
  AppsRepository,
  DatabaseRequestChecker,
} from '@dbaas/plugin-dbaas-node';
import { Knex } from 'knex';
import { DatabaseAppsRepoViewStore } from '../inventory/AppsRepoViewStore';
import { InventoryStore } from '../inventory/InventoryStore';
import { InventoryRequestChecker } from './InventoryRequestChecker';

/**
 * The checks behind `POST /validate`: a requested database's names against
 * the naming rules, `dbaas.naming.reservedNamespaces` (Backstage's defaults
 * when unset), then what the inventory knows (definitions, open pull
 * requests, databases in the clusters); before the inventory's first
 * cycle, what the apps repository holds.
 */
export function createRequestChecker(options: {
  config: Config;
  appsRepo: AppsRepository;
  /** `dbaas.gitops.basePath`, normalized. */
  basePath: string;
  inventory: InventoryStore;
  knex: Knex;
}): InventoryRequestChecker {
  const reservedNamespaces =
    options.config.getOptionalStringArray('dbaas.naming.reservedNamespaces') ??
    DEFAULT_RESERVED_NAMESPACES;
  return new InventoryRequestChecker({
    inventory: options.inventory,
    views: new DatabaseAppsRepoViewStore(options.knex),
    fallback: new DatabaseRequestChecker({
      appsRepo: options.appsRepo,
      basePath: options.basePath,
      reservedNamespaces,
    }),
    reservedNamespaces,
    secretPathTemplate: options.config.getOptionalString(
      'dbaas.secrets.pathTemplate',
    ),
  });
}
