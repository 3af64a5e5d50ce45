import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { billingMonthOf, isBillingMonth } from './billingMonths';

/** The query parameters of the billing page, so a view can be linked. */
export const BILLING_MONTH_PARAM = 'month';
export const BILLING_TENANT_PARAM = 'namespace';

export interface BillingSelection {
  /** `YYYY-MM`; the current month when the URL names none (or garbage). */
  month: string;
  isCurrentMonth: boolean;
  /** The tenant drilled into, if any. */
  namespace?: string;
  setMonth(month: string): void;
  setNamespace(namespace: string | undefined): void;
}

/** The month and tenant the billing page shows, kept in the query string. */
export function useBillingSelection(now: Date = new Date()): BillingSelection {
  const [searchParams, setSearchParams] = useSearchParams();
  const currentMonth = billingMonthOf(now);
  const asked = searchParams.get(BILLING_MONTH_PARAM);
  const month = isBillingMonth(asked) ? asked! : currentMonth;
  const namespace = searchParams.get(BILLING_TENANT_PARAM) || undefined;

  const update = useCallback(
    (name: string, value: string | undefined) =>
      setSearchParams(current => {
        const next = new URLSearchParams(current);
        if (value) {
          next.set(name, value);
        } else {
          next.delete(name);
        }
        return next;
      }),
    [setSearchParams],
  );

  return useMemo(
    () => ({
      month,
      isCurrentMonth: month === currentMonth,
      namespace,
      setMonth: (value: string) =>
        update(BILLING_MONTH_PARAM, value === currentMonth ? undefined : value),
      setNamespace: (value: string | undefined) =>
        update(BILLING_TENANT_PARAM, value),
    }),
    [month, currentMonth, namespace, update],
  );
}
