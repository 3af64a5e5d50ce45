import { ReactNode } from 'react';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { BillingMonthResponse } from '@dbaas/plugin-dbaas-common';
import { budgetLevel } from './budgetLevel';
import { DataAsOf } from './DataAsOf';
import { describeForecast, formatHours } from './forecastFormula';
import { formatCents } from './formatMoney';

const useStyles = makeStyles(theme => ({
  tile: {
    padding: theme.spacing(2),
    height: '100%',
  },
  figure: {
    fontWeight: 'bold',
    margin: theme.spacing(0.5, 0),
  },
}));

const SummaryTile = (props: {
  label: string;
  figure: string;
  children: ReactNode;
}) => {
  const classes = useStyles();
  return (
    <Paper className={classes.tile} role="group" aria-label={props.label}>
      <Typography variant="overline" color="textSecondary">
        {props.label}
      </Typography>
      <Typography variant="h4" component="p" className={classes.figure}>
        {props.figure}
      </Typography>
      <Typography variant="caption" component="div" color="textSecondary">
        {props.children}
      </Typography>
    </Paper>
  );
};

/**
 * The month at a glance: what it cost so far, where it is heading, and how
 * many tenants are near or over their budget.
 */
export const BillingSummary = ({ month }: { month: BillingMonthResponse }) => {
  const money = (cents: number) => formatCents(cents, month.currency);
  const current = month.status === 'current';
  const levels = month.tenants.map(t => budgetLevel(t.budgetUsedPercent));
  const withBudget = levels.filter(level => level !== 'none').length;
  const exceeded = levels.filter(level => level === 'exceeded').length;
  const warning = levels.filter(level => level === 'warning').length;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={4}>
        <SummaryTile
          label={current ? 'Month to date' : 'Month total'}
          figure={money(month.totalCents)}
        >
          Sum over the {month.tenants.length}{' '}
          {month.tenants.length === 1 ? 'tenant' : 'tenants'} you may see.{' '}
          <DataAsOf asOf={month.asOf} />
        </SummaryTile>
      </Grid>
      <Grid item xs={12} md={4}>
        <SummaryTile
          label="Forecast to month end"
          figure={money(month.forecastCents)}
        >
          {current
            ? `The sum of each tenant's forecast: its month-to-date ÷ ${formatHours(
                month.elapsedHours,
              )} elapsed × ${formatHours(month.hoursInMonth)} in the month.`
            : describeForecast(month, month.totalCents)}
        </SummaryTile>
      </Grid>
      <Grid item xs={12} md={4}>
        <SummaryTile
          label="Budgets"
          figure={
            withBudget === 0 ? 'None set' : `${exceeded} over · ${warning} near`
          }
        >
          {withBudget === 0
            ? 'No tenant you may see has a monthly budget (dbaas.tenants[].budget).'
            : `Of ${withBudget} ${
                withBudget === 1 ? 'tenant' : 'tenants'
              } with a budget: over = month-to-date ≥ 100 % of the budget, near = ≥ 80 %.`}
        </SummaryTile>
      </Grid>
    </Grid>
  );
};
