import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { userEntityRefOf } from './userEntityRefOf';

/** The initiating user's entity ref, for pull request texts. */
export async function requestedBy(
  ctx: ActionContext<any, any>,
): Promise<string | undefined> {
  if (ctx.user?.ref) {
    return ctx.user.ref;
  }
  return userEntityRefOf(await ctx.getInitiatorCredentials());
}
