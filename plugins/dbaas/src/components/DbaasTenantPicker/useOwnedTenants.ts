import { useCallback, useEffect, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { dbaasApiRef } from '../../api/DbaasApi';
import type { Tenant } from '../../api/types';

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
  const [attempt, setAttempt] = useState(0);
  const [result, setResult] = useState<OwnedTenants>({ state: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    setResult({ state: 'loading' });
    dbaasApi.listTenants({ owned: true, signal: controller.signal }).then(
      ({ items }) => {
        if (!controller.signal.aborted) {
          setResult({ state: 'loaded', tenants: items });
        }
      },
      error => {
        if (!controller.signal.aborted) {
          setResult({
            state: 'failed',
            error: error instanceof Error ? error : new Error(String(error)),
          });
        }
      },
    );
    return () => controller.abort();
  }, [dbaasApi, attempt]);

  const retry = useCallback(() => setAttempt(current => current + 1), []);
  return { ...result, retry };
}
