import { ActionContext } from '@backstage/plugin-scaffolder-node';
import {
  DatabaseMode,
  DatabaseRef,
  DerivedDatabaseNames,
  deriveDatabaseNames,
} from '@dbaas/plugin-dbaas-common';
import {
  AppsRepository,
  DatabaseChangeKind,
  databaseFolderPaths,
  suiteBranchName,
} from '@dbaas/plugin-dbaas-node';
import { authorizeTenantChange } from './authorizeTenantChange';
import { checkDatabaseRef } from './checkDatabaseRef';
import { DbaasActionEnvironment } from './DbaasActionEnvironment';
import { locateDefinedDatabaseOnce } from './locateDefinedDatabase';
import { requestedBy } from './requestedBy';

/** What changing or removing a defined database starts from. */
export interface ExistingDatabaseChange {
  appsRepo: AppsRepository;
  branchName: string;
  names: DerivedDatabaseNames;
  /** Where and how it is defined on the base branch. */
  defined: { folder: string; mode: DatabaseMode };
  folderPath: string;
  requestedBy?: string;
}

/**
 * The checks and look-ups `update` and `delete` share: naming rules (400),
 * reserved namespace and tenant ownership (403), then the database's folder
 * on the base branch, once per task.
 */
export async function prepareExistingDatabaseChange(
  ctx: ActionContext<any, any>,
  env: DbaasActionEnvironment,
  kind: Exclude<DatabaseChangeKind, 'create'>,
  ref: DatabaseRef,
): Promise<ExistingDatabaseChange> {
  checkDatabaseRef(ref, env.reservedNamespaces);
  await authorizeTenantChange(
    env,
    await ctx.getInitiatorCredentials(),
    ref.namespace,
  );
  const appsRepo = env.appsRepoFor();
  const branchName = suiteBranchName(kind, ref.namespace, ref.name);
  const defined = await locateDefinedDatabaseOnce(
    ctx,
    env.checkerFor(appsRepo),
    ref,
    branchName,
  );
  return {
    appsRepo,
    branchName,
    defined,
    names: deriveDatabaseNames(ref.namespace, ref.name, {
      secretPathTemplate: env.secretPathTemplate,
    }),
    folderPath: databaseFolderPaths({
      basePath: env.settings.basePath,
      namespace: ref.namespace,
      folder: defined.folder,
    }).folder,
    requestedBy: await requestedBy(ctx),
  };
}
