import Button from '@material-ui/core/Button';
import { EmptyState, ResponseErrorPanel } from '@backstage/core-components';
import { describeError } from '../common/describeError';
import { isForbidden, isNotFound } from '../common/responseStatus';
import { formatBillingMonth } from './billingMonths';

/**
 * Why billing could not be shown. A 403 is an answer, not a fault: the
 * user is told which permission it takes instead of seeing an error.
 */
export const BillingLoadError = (props: {
  error: Error;
  /** The tenant asked for; without one, the month overview. */
  namespace?: string;
  month: string;
  retry(): void;
}) => {
  const { error, namespace, month } = props;
  if (isForbidden(error)) {
    return (
      <EmptyState
        missing="info"
        title={
          namespace
            ? `You may not see the billing of ${namespace}`
            : 'You may not see billing'
        }
        description={
          namespace
            ? `Costs of tenant ${namespace} need the dbaas.billing.read permission for that tenant, which its owners usually have. Ask them, or the platform team, if you need these numbers.`
            : 'Billing needs the dbaas.billing.read permission, which the owners of each tenant usually have for their tenant.'
        }
      />
    );
  }
  if (namespace && isNotFound(error)) {
    return (
      <EmptyState
        missing="data"
        title={`No billing for ${namespace} in ${formatBillingMonth(month)}`}
        description={`The backend knows no costs of tenant ${namespace} for this month. Numbers appear after the first billing run that finds one of its databases.`}
      />
    );
  }
  return (
    <>
      <ResponseErrorPanel
        error={error}
        title={`Could not load the billing${
          namespace ? ` of ${namespace}` : ''
        }: ${describeError(error)}`}
      />
      <Button color="primary" onClick={props.retry}>
        Retry
      </Button>
    </>
  );
};
