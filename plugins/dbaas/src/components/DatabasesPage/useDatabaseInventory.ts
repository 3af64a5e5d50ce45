import { useCallback, useEffect, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import type { DatabaseSummary } from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../api/DbaasApi';
import { toError } from '../common/toError';

/** Where loading the inventory stands. */
export type DatabaseInventoryState =
  | { state: 'loading' }
  | { state: 'failed'; error: Error }
  | {
      state: 'loaded';
      items: DatabaseSummary[];
      /** The last refresh failed; `items` are from the one before. */
      refreshError?: Error;
    };

/**
 * Loads the whole inventory, once per mount and again on `retry`, then
 * refreshes it every `refreshIntervalMs` while the page is visible, so that
 * a requested database can be watched becoming ready. Unmounting aborts the
 * request under way.
 */
export function useDatabaseInventory(options: {
  refreshIntervalMs: number;
}): DatabaseInventoryState & { retry: () => void } {
  const { refreshIntervalMs } = options;
  const dbaasApi = useApi(dbaasApiRef);
  const [attempt, setAttempt] = useState(0);
  const [result, setResult] = useState<DatabaseInventoryState>({
    state: 'loading',
  });

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;

    function scheduleRefresh() {
      timer = setTimeout(() => {
        if (document.visibilityState === 'hidden') {
          scheduleRefresh();
        } else {
          load(false);
        }
      }, refreshIntervalMs);
    }

    function load(first: boolean) {
      dbaasApi.listDatabases({ signal: controller.signal }).then(
        ({ items }) => {
          if (controller.signal.aborted) return;
          setResult({ state: 'loaded', items });
          scheduleRefresh();
        },
        error => {
          if (controller.signal.aborted) return;
          if (first) {
            setResult({ state: 'failed', error: toError(error) });
            return;
          }
          // A failed refresh keeps what the page shows, and says so.
          setResult(current =>
            current.state === 'loaded'
              ? { ...current, refreshError: toError(error) }
              : current,
          );
          scheduleRefresh();
        },
      );
    }

    setResult({ state: 'loading' });
    load(true);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [dbaasApi, attempt, refreshIntervalMs]);

  const retry = useCallback(() => setAttempt(current => current + 1), []);
  return { ...result, retry };
}
