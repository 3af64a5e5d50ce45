import { useCallback } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  BillingMonthResponse,
  TenantBillingResponse,
} from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../api/DbaasApi';
import { LoadState, useAbortableLoad } from '../common/useAbortableLoad';

/** Every tenant's cost for `month` (the caller may see). */
export function useBillingMonth(
  month: string,
): LoadState<BillingMonthResponse> & { retry: () => void } {
  const dbaasApi = useApi(dbaasApiRef);
  const load = useCallback(
    async (signal: AbortSignal) => dbaasApi.getBillingMonth({ month, signal }),
    [dbaasApi, month],
  );
  return useAbortableLoad(load);
}

/**
 * One tenant's `month` per database and day; without a month, the month
 * the backend's clock is in (what the entity page shows).
 */
export function useTenantBilling(
  namespace: string,
  month?: string,
): LoadState<TenantBillingResponse> & { retry: () => void } {
  const dbaasApi = useApi(dbaasApiRef);
  const load = useCallback(
    // async: an API without the method fails this load, not the render.
    async (signal: AbortSignal) =>
      dbaasApi.getTenantBilling(namespace, { month, signal }),
    [dbaasApi, namespace, month],
  );
  return useAbortableLoad(load);
}
