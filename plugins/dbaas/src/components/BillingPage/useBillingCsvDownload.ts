import { useCallback, useState } from 'react';
import { ResponseError } from '@backstage/errors';
import { fetchApiRef, useApi } from '@backstage/frontend-plugin-api';
import { dbaasApiRef } from '../../api/DbaasApi';
import type { BillingCsvFormat } from '../../api/types';
import { toError } from '../common/toError';

export type CsvDownloadState =
  | { state: 'idle' }
  | { state: 'downloading' }
  | { state: 'failed'; error: Error };

/**
 * `dbaas-billing-2025-03.csv`, `dbaas-billing-2025-03-payments.csv`,
 * `dbaas-billing-2025-03-payments-focus.csv` (the backend's names).
 */
export function billingCsvFileName(
  month: string,
  namespace?: string,
  format: BillingCsvFormat = 'dbaas',
): string {
  return `dbaas-billing-${month}${namespace ? `-${namespace}` : ''}${
    format === 'focus' ? '-focus' : ''
  }.csv`;
}

export interface BillingCsvRequest {
  month: string;
  namespace?: string;
  format?: BillingCsvFormat;
}

/**
 * Downloads the month's CSV (all tenants the user may read, or one), in
 * dbaas's columns or FOCUS's.
 *
 * A plain link would reach the backend without the user's Backstage token,
 * which the browser does not attach on its own: the file is fetched through
 * the fetch API, which adds it, then handed to the browser as a blob.
 */
export function useBillingCsvDownload(): {
  status: CsvDownloadState;
  download(options: BillingCsvRequest): Promise<void>;
} {
  const dbaasApi = useApi(dbaasApiRef);
  const fetchApi = useApi(fetchApiRef);
  const [status, setStatus] = useState<CsvDownloadState>({ state: 'idle' });

  const download = useCallback(
    async (options: BillingCsvRequest) => {
      setStatus({ state: 'downloading' });
      try {
        const url = await dbaasApi.getBillingCsvUrl(options);
        const response = await fetchApi.fetch(url);
        if (!response.ok) {
          throw await ResponseError.fromResponse(response);
        }
        saveBlob(
          await response.blob(),
          billingCsvFileName(options.month, options.namespace, options.format),
        );
        setStatus({ state: 'idle' });
      } catch (error) {
        setStatus({ state: 'failed', error: toError(error) });
      }
    },
    [dbaasApi, fetchApi],
  );

  return { status, download };
}

function saveBlob(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers: the blob is
  // released once the browser has surely taken it.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
