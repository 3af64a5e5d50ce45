import { useEffect, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import type { ValidateDatabaseResponse } from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../api/DbaasApi';

/** How long the user must stop typing before the backend is asked. */
export const NAME_CHECK_DEBOUNCE_MS = 400;

/** Where the backend check of one (namespace, name) pair stands. */
export type DatabaseNameCheck =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'checked'; response: ValidateDatabaseResponse }
  | { state: 'failed'; error: Error };

interface SettledCheck {
  key: string;
  check: DatabaseNameCheck;
}

/**
 * Asks the backend whether a (namespace, name) pair may be requested, once
 * the values have been still for {@link NAME_CHECK_DEBOUNCE_MS}. A newer pair
 * aborts the request of the previous one, so an answer never describes a
 * value the user has already changed.
 */
export function useDatabaseNameCheck(options: {
  namespace: string | undefined;
  name: string;
  enabled: boolean;
}): DatabaseNameCheck {
  const { namespace, name, enabled } = options;
  const dbaasApi = useApi(dbaasApiRef);
  const [settled, setSettled] = useState<SettledCheck>();

  const key =
    enabled && namespace !== undefined
      ? JSON.stringify([namespace, name])
      : undefined;

  useEffect(() => {
    if (key === undefined || namespace === undefined) {
      return undefined;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      dbaasApi
        .validateDatabase({ namespace, name }, { signal: controller.signal })
        .then(
          response => {
            if (!controller.signal.aborted) {
              setSettled({ key, check: { state: 'checked', response } });
            }
          },
          error => {
            if (!controller.signal.aborted) {
              setSettled({ key, check: { state: 'failed', error } });
            }
          },
        );
    }, NAME_CHECK_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [dbaasApi, key, namespace, name]);

  if (key === undefined) {
    return { state: 'idle' };
  }
  if (settled?.key !== key) {
    return { state: 'checking' };
  }
  return settled.check;
}
