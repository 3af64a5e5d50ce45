import { ConflictError, NotFoundError } from '@backstage/errors';
import { DatabaseRef, isSameDatabase } from '@dbaas/plugin-dbaas-common';
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
