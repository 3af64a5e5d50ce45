import { useCallback } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { dbaasApiRef } from '../../api/DbaasApi';
import type { Tenant } from '../../api/types';
import { useAbortableLoad } from '../common/useAbortableLoad';

/** Where loading the tenants the user's groups own stands. */
export type OwnedTenants =
  | { state: 'loading' }
  | { state: 'loaded'; tenants: Tenant[] }
  | { state: 'failed'; error: Error };

/**
 * Loads the tenants the signed-in user's groups own, once per mount and
 * again on `retry`. Unmounting aborts the request.
 */
export function useOwnedTenants(): OwnedTenants & { retry: () => void } {
  const dbaasApi = useApi(dbaasApiRef);
  const load = useCallback(
    async (signal: AbortSignal) =>
      (await dbaasApi.listTenants({ owned: true, signal })).items,
    [dbaasApi],
  );
  const result = useAbortableLoad(load);
  if (result.state === 'loaded') {
    return { state: 'loaded', tenants: result.value, retry: result.retry };
  }
  return result;
}
