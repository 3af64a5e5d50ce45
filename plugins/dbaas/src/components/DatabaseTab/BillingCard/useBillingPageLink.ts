import { useRouteRef } from '@backstage/core-plugin-api';
import { billingRouteRef } from '../../../routes';
import { BILLING_TENANT_PARAM } from '../../BillingPage/useBillingSelection';

/**
 * The billing page drilled into `namespace`, or undefined in an app that
 * mounts no dbaas page (the card then just has no link).
 */
export function useBillingPageLink(namespace: string): string | undefined {
  let path: string | undefined;
  try {
    // useRouteRef throws when the route is not mounted, after its own hooks
    // have run: catching it keeps the hook order the same on every render.
    // eslint-disable-next-line react-hooks/rules-of-hooks
    path = useRouteRef(billingRouteRef)();
  } catch {
    return undefined;
  }
  const query = new URLSearchParams({ [BILLING_TENANT_PARAM]: namespace });
  return `${path}?${query}`;
}
