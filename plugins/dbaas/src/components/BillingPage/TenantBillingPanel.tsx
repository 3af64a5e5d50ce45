import type { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import CloseIcon from '@material-ui/icons/Close';
import { InfoCard, Progress } from '@backstage/core-components';
import type { TenantBillingResponse } from '@dbaas/plugin-dbaas-common';
import { BillingDownloadMenu } from './BillingDownloadMenu';
import { BillingLoadError } from './BillingLoadError';
import { BudgetUsage } from './BudgetUsage';
import { CostTrendChart } from './CostTrendChart';
import { DatabaseCostTable } from './DatabaseCostTable';
import { formatBillingMonth } from './billingMonths';
import { describeForecast } from './forecastFormula';
import { formatCents } from './formatMoney';
import { useTenantBilling } from './useBilling';

const Figure = (props: {
  label: string;
  value: string;
  children?: ReactNode;
}) => (
  <Box>
    <Typography variant="overline" color="textSecondary">
      {props.label}
    </Typography>
    <Typography variant="h6" component="p">
      {props.value}
    </Typography>
    {props.children}
  </Box>
);

const TenantBillingContent = ({
  billing,
}: {
  billing: TenantBillingResponse;
}) => {
  const money = (cents: number) => formatCents(cents, billing.currency);
  const hasBudget =
    billing.budgetCents !== undefined && billing.budgetCents > 0;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} sm={4}>
        <Figure
          label={billing.status === 'current' ? 'Month to date' : 'Total'}
          value={money(billing.cents.total)}
        >
          <Typography variant="caption" color="textSecondary">
            {billing.databases.length}{' '}
            {billing.databases.length === 1 ? 'database' : 'databases'}
          </Typography>
        </Figure>
      </Grid>
      <Grid item xs={12} sm={4}>
        <Figure
          label="Forecast to month end"
          value={money(billing.forecastCents)}
        >
          <Typography variant="caption" color="textSecondary">
            {describeForecast(billing, billing.cents.total)}
          </Typography>
        </Figure>
      </Grid>
      <Grid item xs={12} sm={4}>
        <Figure
          label="Monthly budget"
          value={hasBudget ? money(billing.budgetCents!) : 'None'}
        >
          {hasBudget ? (
            <BudgetUsage budgetUsedPercent={billing.budgetUsedPercent} />
          ) : (
            <Typography variant="caption" color="textSecondary">
              Set one in dbaas.tenants[].budget to be warned at 80 % and 100 %.
            </Typography>
          )}
        </Figure>
      </Grid>
      <Grid item xs={12}>
        {billing.databases.length === 0 ? (
          <Typography variant="body2">
            {billing.status === 'current'
              ? `No database of ${
                  billing.namespace
                } has costs in ${formatBillingMonth(
                  billing.month,
                )} yet: numbers appear after the first billing run that finds one.`
              : `No database of ${
                  billing.namespace
                } had costs in ${formatBillingMonth(billing.month)}.`}
          </Typography>
        ) : (
          <Box overflow="auto">
            <DatabaseCostTable
              namespace={billing.namespace}
              databases={billing.databases}
              total={billing.cents}
              currency={billing.currency}
            />
          </Box>
        )}
      </Grid>
      {billing.days.length > 0 && (
        <Grid item xs={12}>
          <CostTrendChart
            title={`Cost per day of ${billing.namespace}`}
            period={billing}
            days={billing.days}
            height={200}
          />
        </Grid>
      )}
    </Grid>
  );
};

/**
 * The drill-down into one tenant's month: its total, forecast and budget,
 * each database's cost with the usage behind it, and the cost per day.
 */
export const TenantBillingPanel = (props: {
  namespace: string;
  month: string;
  onClose(): void;
}) => {
  const { namespace, month } = props;
  const billing = useTenantBilling(namespace, month);
  return (
    <section aria-label={`Billing of ${namespace}`}>
      <InfoCard
        title={`Tenant ${namespace}`}
        subheader={`Its databases in ${formatBillingMonth(month)}`}
        action={
          <Box display="flex" alignItems="flex-start" gridGap={8}>
            {billing.state === 'loaded' && (
              <BillingDownloadMenu
                month={month}
                namespace={namespace}
                scope={namespace}
              />
            )}
            <IconButton
              size="small"
              aria-label={`Close the details of ${namespace}`}
              onClick={props.onClose}
            >
              <CloseIcon />
            </IconButton>
          </Box>
        }
      >
        {billing.state === 'loading' && (
          <Progress aria-label={`Loading the billing of ${namespace}`} />
        )}
        {billing.state === 'failed' && (
          <BillingLoadError
            error={billing.error}
            namespace={namespace}
            month={month}
            retry={billing.retry}
          />
        )}
        {billing.state === 'loaded' && (
          <TenantBillingContent billing={billing.value} />
        )}
      </InfoCard>
    </section>
  );
};
