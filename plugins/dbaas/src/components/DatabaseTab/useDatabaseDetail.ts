import { useCallback } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import type { DatabaseDetail, DatabaseRef } from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../api/DbaasApi';
import { LoadState, useAbortableLoad } from '../common/useAbortableLoad';

/** One database with its pull requests and history. */
export function useDatabaseDetail(
  ref: DatabaseRef,
): LoadState<DatabaseDetail> & { retry: () => void } {
  const dbaasApi = useApi(dbaasApiRef);
  const { namespace, name } = ref;
  const load = useCallback(
    (signal: AbortSignal) =>
      dbaasApi.getDatabase({ namespace, name }, { signal }),
    [dbaasApi, namespace, name],
  );
  return useAbortableLoad(load);
}
