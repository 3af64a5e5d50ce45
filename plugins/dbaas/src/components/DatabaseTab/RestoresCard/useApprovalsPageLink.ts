import { useRouteRef } from '@backstage/core-plugin-api';
import { approvalsRouteRef } from '../../../routes';

/**
 * Where approvers decide, or undefined in an app that mounts no dbaas page
 * (the request then just has no link).
 */
export function useApprovalsPageLink(): string | undefined {
  try {
    // useRouteRef throws when the route is not mounted, after its own hooks
    // have run: catching it keeps the hook order the same on every render.
    // eslint-disable-next-line react-hooks/rules-of-hooks
    return useRouteRef(approvalsRouteRef)();
  } catch {
    return undefined;
  }
}
