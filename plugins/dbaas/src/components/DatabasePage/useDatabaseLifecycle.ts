import { useCallback, useEffect, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  DatabaseDetail,
  DatabaseRef,
  DatabaseStatus,
} from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../api/DbaasApi';
import { isNotFound } from '../common/responseStatus';
import { toError } from '../common/toError';

/** How often the page asks again while the database is on its way. */
export const LIFECYCLE_POLL_MS = 3000;

/** Statuses a database stays in until someone acts: no need to ask again. */
const SETTLED: readonly DatabaseStatus[] = [
  'ready',
  'failed',
  'abandoned',
  'deleted',
  'orphaned',
  'unmanaged',
];

/** Where the page's view of the database stands. */
export type DatabaseLifecycle =
  | { state: 'loading' }
  /** The inventory does not know it (yet): a request just made is not in. */
  | { state: 'unknown' }
  | { state: 'known'; database: DatabaseDetail }
  | { state: 'failed'; error: Error };

/** Whether the page keeps asking, given what it knows. */
export function keepsPolling(lifecycle: DatabaseLifecycle): boolean {
  if (lifecycle.state === 'unknown') return true;
  if (lifecycle.state === 'known') {
    return !SETTLED.includes(lifecycle.database.status);
  }
  return false;
}

/**
 * The database as the inventory knows it, asked again every
 * {@link LIFECYCLE_POLL_MS} while it is not known yet (a request made a
 * moment ago) or on its way (requested, merged, provisioning, being
 * deleted). A failed poll after a success keeps what is shown.
 */
export function useDatabaseLifecycle(
  ref: DatabaseRef,
): DatabaseLifecycle & { retry: () => void } {
  const dbaasApi = useApi(dbaasApiRef);
  const { namespace, name } = ref;
  const [lifecycle, setLifecycle] = useState<DatabaseLifecycle>({
    state: 'loading',
  });
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => setAttempt(n => n + 1), []);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let shown: DatabaseLifecycle = { state: 'loading' };
    const show = (next: DatabaseLifecycle) => {
      shown = next;
      setLifecycle(next);
    };
    const run = async () => {
      try {
        const database = await dbaasApi.getDatabase(
          { namespace, name },
          { signal: controller.signal },
        );
        if (controller.signal.aborted) return;
        show({ state: 'known', database });
      } catch (error) {
        if (controller.signal.aborted) return;
        const failure = toError(error);
        if (isNotFound(failure)) {
          show({ state: 'unknown' });
        } else if (shown.state !== 'known') {
          show({ state: 'failed', error: failure });
        }
      }
      if (keepsPolling(shown)) {
        timer = setTimeout(run, LIFECYCLE_POLL_MS);
      }
    };
    run();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [dbaasApi, namespace, name, attempt]);

  return { ...lifecycle, retry };
}
