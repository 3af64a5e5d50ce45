import { ConflictError, InputError, isError } from '@backstage/errors';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { DatabaseRef, NamingProblem } from '@dbaas/plugin-dbaas-common';
import { AppsRepository } from '@dbaas/plugin-dbaas-node';
import { DbaasActionEnvironment } from './DbaasActionEnvironment';

/** What the check learnt that the proposal can use. */
export interface NewDatabaseCheck {
  /** The base head the inventory last read, to build the change on. */
  baseSha?: string;
}

function throwProblems(problems: NamingProblem[]): void {
  const taken = problems.filter(
    p => p.rule === 'exists' || p.rule === 'collision',
  );
  if (taken.length > 0) {
    throw new ConflictError(taken.map(p => p.message).join('; '));
  }
  if (problems.length > 0) {
    throw new InputError(problems.map(p => p.message).join('; '));
  }
}

/**
 * Whether a new database may be requested: asked of the dbaas backend,
 * which answers from its inventory without a GitHub call; when the backend
 * is not installed or cannot be reached (or its inventory follows another
 * repository), read from the apps repository as before, with a warning.
 * 409 when it exists or collides. The last word is the branch per
 * database when the change is written, which no concurrent request passes.
 */
export async function checkNewDatabase(
  ctx: ActionContext<any, any>,
  env: DbaasActionEnvironment,
  appsRepo: AppsRepository,
  ref: DatabaseRef,
): Promise<NewDatabaseCheck> {
  if (env.checkWithInventory) {
    let answer;
    try {
      answer = await env.checkWithInventory(appsRepo, ref);
    } catch (error) {
      ctx.logger.warn(
        `The dbaas backend could not check ${ref.namespace}/${ref.name} (${
          isError(error) ? error.message : String(error)
        }); reading the apps repository instead`,
      );
    }
    if (answer) {
      throwProblems(answer.problems);
      return answer.inventory?.baseSha
        ? { baseSha: answer.inventory.baseSha }
        : {};
    }
  }
  throwProblems(await env.checkerFor(appsRepo).checkFresh(ref));
  return {};
}
