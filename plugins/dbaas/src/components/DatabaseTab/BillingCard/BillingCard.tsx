import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { InfoCard, Progress } from '@backstage/core-components';
import type {
  DatabaseCostCents,
  DatabaseRef,
  TenantBillingResponse,
} from '@dbaas/plugin-dbaas-common';
import { describeError } from '../../common/describeError';
import { BudgetUsage } from '../../BillingPage/BudgetUsage';
import { formatBillingMonth } from '../../BillingPage/billingMonths';
import { COST_COMPONENTS } from '../../BillingPage/costComponents';
import { describeForecast } from '../../BillingPage/forecastFormula';
import { formatCents } from '../../BillingPage/formatMoney';
import { describeActivity, formatGb } from '../../BillingPage/formatUsage';
import { useTenantBilling } from '../../BillingPage/useBilling';
import { RelativeTime } from '../../common/RelativeTime';
import { isForbidden, isNotFound } from '../../common/responseStatus';
import { useBillingPageLink } from './useBillingPageLink';

const useStyles = makeStyles(theme => ({
  heading: {
    fontWeight: 'bold',
  },
  parts: {
    margin: theme.spacing(1, 0),
    display: 'grid',
    gridTemplateColumns: 'auto auto',
    justifyContent: 'start',
    columnGap: theme.spacing(3),
    '& dd': { margin: 0, textAlign: 'right' },
  },
  caption: {
    color: theme.palette.text.secondary,
  },
}));

const NO_DATA_YET =
  'numbers appear after the first billing run that finds it, which prices each hour of its cluster.';

const DatabaseCost = (props: {
  database: DatabaseCostCents | undefined;
  currency: string;
  month: string;
}) => {
  const classes = useStyles();
  const { database } = props;
  const money = (cents: number) => formatCents(cents, props.currency);
  if (!database) {
    return (
      <>
        <Typography variant="subtitle2" className={classes.heading}>
          This database
        </Typography>
        <Typography variant="body2">
          No cost recorded in {formatBillingMonth(props.month)} yet:{' '}
          {NO_DATA_YET}
        </Typography>
      </>
    );
  }
  return (
    <>
      <Typography variant="subtitle2" className={classes.heading}>
        This database
      </Typography>
      <Typography variant="h5" component="p" aria-label="This database's cost">
        {money(database.cents.total)}
      </Typography>
      <dl className={classes.parts} aria-label="Cost by component">
        {COST_COMPONENTS.map(component => (
          <Box key={component.key} display="contents">
            <Typography component="dt" variant="body2">
              {component.label}
            </Typography>
            <Typography component="dd" variant="body2">
              {money(database.cents[component.key])}
            </Typography>
          </Box>
        ))}
      </dl>
      <Typography variant="caption" component="p" className={classes.caption}>
        Behind it: avg {formatGb(database.usage.averageStorageGb)} stored,{' '}
        {describeActivity(database.usage)}.
      </Typography>
    </>
  );
};

const TenantMonth = ({ billing }: { billing: TenantBillingResponse }) => {
  const classes = useStyles();
  const money = (cents: number) => formatCents(cents, billing.currency);
  const hasBudget =
    billing.budgetCents !== undefined && billing.budgetCents > 0;
  return (
    <>
      <Typography variant="subtitle2" className={classes.heading}>
        Tenant {billing.namespace}
      </Typography>
      <Typography
        variant="h5"
        component="p"
        aria-label="Tenant's month to date"
      >
        {money(billing.cents.total)}
      </Typography>
      <Typography variant="caption" component="p" className={classes.caption}>
        Month to date over {billing.databases.length}{' '}
        {billing.databases.length === 1 ? 'database' : 'databases'}.
      </Typography>
      <Box mt={1}>
        <Typography variant="body2">
          Forecast to month end: <strong>{money(billing.forecastCents)}</strong>
        </Typography>
        <Typography variant="caption" component="p" className={classes.caption}>
          {describeForecast(billing, billing.cents.total)}
        </Typography>
      </Box>
      <Box mt={1}>
        {hasBudget ? (
          <>
            <Typography variant="body2">
              Budget: {money(billing.budgetCents!)} a month
            </Typography>
            <BudgetUsage budgetUsedPercent={billing.budgetUsedPercent} />
          </>
        ) : (
          <Typography variant="body2" className={classes.caption}>
            No monthly budget set for {billing.namespace}.
          </Typography>
        )}
      </Box>
    </>
  );
};

const BillingContent = ({ databaseRef }: { databaseRef: DatabaseRef }) => {
  const classes = useStyles();
  const billing = useTenantBilling(databaseRef.namespace);
  if (billing.state === 'loading') {
    return <Progress aria-label="Loading the cost" />;
  }
  if (billing.state === 'failed') {
    if (isForbidden(billing.error)) {
      return (
        <Typography variant="body2">
          You may not see the billing of {databaseRef.namespace}: it needs the
          dbaas.billing.read permission for that tenant, which its owners
          usually have.
        </Typography>
      );
    }
    if (isNotFound(billing.error)) {
      return (
        <Typography variant="body2">
          No costs for the tenant {databaseRef.namespace} this month yet:{' '}
          {NO_DATA_YET}
        </Typography>
      );
    }
    return (
      <>
        <Typography variant="body2" color="error">
          Could not load the cost: {describeError(billing.error)}
        </Typography>
        <Button color="primary" onClick={billing.retry}>
          Retry
        </Button>
      </>
    );
  }
  const value = billing.value;
  const database = value.databases.find(db => db.name === databaseRef.name);
  return (
    <>
      <Typography variant="caption" component="p" className={classes.caption}>
        {formatBillingMonth(value.month)} (UTC), data up to{' '}
        <RelativeTime iso={value.asOf} />.
      </Typography>
      <Grid container spacing={3}>
        <Grid item xs={12} sm={6}>
          <DatabaseCost
            database={database}
            currency={value.currency}
            month={value.month}
          />
        </Grid>
        <Grid item xs={12} sm={6}>
          <TenantMonth billing={value} />
        </Grid>
      </Grid>
    </>
  );
};

/**
 * This month's cost of a database, by component, next to its tenant's
 * month-to-date, forecast and budget; links to the billing page, where
 * every figure is explained.
 */
export const BillingCard = ({ databaseRef }: { databaseRef: DatabaseRef }) => {
  const link = useBillingPageLink(databaseRef.namespace);
  return (
    <InfoCard
      title="Cost this month"
      deepLink={
        link
          ? { title: `Billing of ${databaseRef.namespace}`, link }
          : undefined
      }
    >
      <BillingContent databaseRef={databaseRef} />
    </InfoCard>
  );
};
