import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import { EmptyState, InfoCard, Progress } from '@backstage/core-components';
import type { BillingMonthResponse } from '@dbaas/plugin-dbaas-common';
import { AllocationExplanation } from './AllocationExplanation';
import { BillingDownloadMenu } from './BillingDownloadMenu';
import { BillingLoadError } from './BillingLoadError';
import { BillingSummary } from './BillingSummary';
import { CostTrendChart } from './CostTrendChart';
import { MonthPicker } from './MonthPicker';
import { TenantBillingPanel } from './TenantBillingPanel';
import { TenantCostTable } from './TenantCostTable';
import { formatBillingMonth } from './billingMonths';
import { describeBillingScope } from './billingScope';
import { useBillingMonth } from './useBilling';
import { BillingSelection, useBillingSelection } from './useBillingSelection';

const EMPTY_MONTH_DESCRIPTION: Record<BillingMonthResponse['status'], string> =
  {
    past: 'No costs were recorded for this month for the tenants you may see: billing may not have been running then, or their databases did not exist yet.',
    current:
      'Numbers appear after the first billing run: it prices each hour the clusters ran and splits it between their databases.',
    future: 'This month has not started: it has no costs to show.',
  };

const EmptyMonth = ({ month }: { month: BillingMonthResponse }) => (
  <EmptyState
    missing="data"
    title={`No costs for ${formatBillingMonth(month.month)}${
      month.status === 'current' ? ' yet' : ''
    }`}
    description={EMPTY_MONTH_DESCRIPTION[month.status]}
  />
);

const MonthContent = (props: {
  month: BillingMonthResponse;
  selection: BillingSelection;
}) => {
  const { month, selection } = props;
  if (month.tenants.length === 0) {
    return (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <EmptyMonth month={month} />
        </Grid>
        <Grid item xs={12}>
          <AllocationExplanation settings={month.settings} />
        </Grid>
      </Grid>
    );
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <BillingSummary month={month} />
      </Grid>
      <Grid item xs={12} lg={7}>
        <InfoCard
          title="Tenants"
          subheader="Select a tenant to see its databases; select a column to sort"
          noPadding
        >
          <Box overflow="auto">
            <TenantCostTable
              tenants={month.tenants}
              currency={month.currency}
              isCurrentMonth={month.status === 'current'}
              selected={selection.namespace}
              onSelect={namespace => selection.setNamespace(namespace)}
            />
          </Box>
        </InfoCard>
      </Grid>
      <Grid item xs={12} lg={5}>
        <InfoCard title="Trend">
          <CostTrendChart
            title="Cost per day, all tenants you may see"
            period={month}
            days={month.days}
          />
        </InfoCard>
      </Grid>
      {selection.namespace && (
        <Grid item xs={12}>
          <TenantBillingPanel
            namespace={selection.namespace}
            month={selection.month}
            onClose={() => selection.setNamespace(undefined)}
          />
        </Grid>
      )}
      <Grid item xs={12}>
        <AllocationExplanation
          settings={month.settings}
          clusters={month.clusters}
        />
      </Grid>
    </Grid>
  );
};

/**
 * The billing page's content: a month's cost per tenant with its summary,
 * trend, drill-down into a tenant's databases, CSV export and how every
 * figure is computed. The month and tenant are in the URL (`?month=`,
 * `?namespace=`), so a view can be shared.
 */
export const BillingOverview = () => {
  const selection = useBillingSelection();
  const month = useBillingMonth(selection.month);
  return (
    <>
      <Box
        display="flex"
        alignItems="flex-end"
        justifyContent="space-between"
        flexWrap="wrap"
        gridGap={16}
        mb={3}
      >
        <MonthPicker month={selection.month} onChange={selection.setMonth} />
        {month.state === 'loaded' && month.value.tenants.length > 0 && (
          <BillingDownloadMenu
            month={month.value.month}
            scope={describeBillingScope({
              namespaces: month.value.tenants.map(t => t.namespace),
              everyTenant: month.value.clusters !== undefined,
            })}
          />
        )}
      </Box>
      {month.state === 'loading' && (
        <Progress aria-label="Loading the billing" />
      )}
      {month.state === 'failed' && (
        <BillingLoadError
          error={month.error}
          month={selection.month}
          retry={month.retry}
        />
      )}
      {month.state === 'loaded' && (
        <MonthContent month={month.value} selection={selection} />
      )}
    </>
  );
};
