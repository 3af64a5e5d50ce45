import { useCallback } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  DatabaseMetricsResponse,
  DatabaseRef,
} from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../../api/DbaasApi';
import { LoadState, useAbortableLoad } from '../../common/useAbortableLoad';
import { MetricsRange, metricsRangeMs } from './metricsRange';

/** The metrics of one database over the `range` that ends now. */
export function useDatabaseMetrics(
  ref: DatabaseRef,
  range: MetricsRange,
): LoadState<DatabaseMetricsResponse> & { retry: () => void } {
  const dbaasApi = useApi(dbaasApiRef);
  const { namespace, name } = ref;
  const load = useCallback(
    (signal: AbortSignal) => {
      const to = new Date();
      const from = new Date(to.getTime() - metricsRangeMs(range));
      return dbaasApi.getDatabaseMetrics(
        { namespace, name },
        { from, to, signal },
      );
    },
    [dbaasApi, namespace, name, range],
  );
  return useAbortableLoad(load);
}
