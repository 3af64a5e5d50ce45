import { useCallback } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  DatabaseRecoveryResponse,
  DatabaseRef,
} from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../../api/DbaasApi';
import { LoadState, useAbortableLoad } from '../../common/useAbortableLoad';

/** The recovery objectives, measurements and drills of one database. */
export function useRecovery(
  ref: DatabaseRef,
): LoadState<DatabaseRecoveryResponse> & { retry: () => void } {
  const dbaasApi = useApi(dbaasApiRef);
  const { namespace, name } = ref;
  const load = useCallback(
    (signal: AbortSignal) =>
      dbaasApi.getRecovery({ namespace, name }, { signal }),
    [dbaasApi, namespace, name],
  );
  return useAbortableLoad(load);
}
