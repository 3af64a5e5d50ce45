import { ConflictError, NotFoundError } from '@backstage/errors';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import {
  DatabaseMode,
  DatabaseRef,
  isSameDatabase,
} from '@dbaas/plugin-dbaas-common';
import {
  DatabaseRequestChecker,
  KnownDatabase,
} from '@dbaas/plugin-dbaas-node';

/**
 * Finds the folder of a database defined on the base branch, to change or
 * remove it. One that is only requested in an open pull request is changed
 * in that pull request, not by a second one.
 */
export async function locateDefinedDatabase(
  checker: DatabaseRequestChecker,
  ref: DatabaseRef,
): Promise<KnownDatabase> {
  const databases = await checker.readNow();
  const defined = databases.defined.find(db => isSameDatabase(db, ref));
  if (defined) {
    return defined;
  }
  const requested = databases.find(ref);
  if (requested) {
    throw new ConflictError(
      `${ref.namespace}/${
        ref.name
      } is not merged yet: it is ${databases.describeWhere(
        requested,
      )}; change that pull request instead`,
    );
  }
  throw new NotFoundError(
    `Database ${ref.namespace}/${ref.name} is not defined in the apps repository`,
  );
}

/**
 * {@link locateDefinedDatabase} once per task: after a local repository
 * merged the change, a recovered task would no longer find what it changed,
 * so the first answer is kept in the task's checkpoint.
 */
export async function locateDefinedDatabaseOnce(
  ctx: ActionContext<any, any>,
  checker: DatabaseRequestChecker,
  ref: DatabaseRef,
  branchName: string,
): Promise<{ folder: string; mode: DatabaseMode }> {
  return ctx.checkpoint({
    key: `dbaas.located.${branchName}`,
    fn: async () => {
      const found = await locateDefinedDatabase(checker, ref);
      return { folder: found.folder, mode: found.mode };
    },
  });
}
