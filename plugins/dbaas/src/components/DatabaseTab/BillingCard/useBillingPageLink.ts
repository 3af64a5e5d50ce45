import { useRouteRef } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import { dbaasBillingReadPermission } from '@dbaas/plugin-dbaas-common';
import { billingRouteRef } from '../../../routes';
import { BILLING_TENANT_PARAM } from '../../BillingPage/useBillingSelection';

/**
 * The billing page drilled into `namespace`, or undefined when the user may
 * not read that tenant's billing (`dbaas.billing.read` on it: no link to a
 * page that would refuse them), while that is being asked, or in an app
 * that mounts no dbaas page (the card then just has no link).
 */
export function useBillingPageLink(namespace: string): string | undefined {
  const { allowed } = usePermission({
    permission: dbaasBillingReadPermission,
    resourceRef: namespace,
  });
  let path: string | undefined;
  try {
    // useRouteRef throws when the route is not mounted, after its own hooks
    // have run: catching it keeps the hook order the same on every render.
    // eslint-disable-next-line react-hooks/rules-of-hooks
    path = useRouteRef(billingRouteRef)();
  } catch {
    return undefined;
  }
  if (!allowed) {
    return undefined;
  }
  const query = new URLSearchParams({ [BILLING_TENANT_PARAM]: namespace });
  return `${path}?${query}`;
}
