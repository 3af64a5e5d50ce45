import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { BillingPeriod, DayCostCents } from '@dbaas/plugin-dbaas-common';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { COST_COMPONENTS, useCostComponentColors } from './costComponents';
import { dailyCostBars } from './dailyCosts';
import { formatCents } from './formatMoney';

const useStyles = makeStyles(theme => ({
  title: {
    fontWeight: 'bold',
  },
  explanation: {
    color: theme.palette.text.secondary,
    marginBottom: theme.spacing(1),
  },
}));

/** `Mar 4` from `2025-03-04`, in UTC like the billing days. */
function formatDay(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString('en-US', {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

/**
 * Cost per UTC day of the month, stacked by component (compute used, idle
 * compute, storage, snapshots, base fee), with the sentence that says
 * where the figures come from.
 */
export const CostTrendChart = (props: {
  title: string;
  period: BillingPeriod;
  days: DayCostCents[];
  height?: number;
}) => {
  const classes = useStyles();
  const colors = useCostComponentColors();
  const { period } = props;
  const bars = dailyCostBars(period, props.days);
  const money = (cents: number) => formatCents(cents, period.currency);
  return (
    <figure aria-label={props.title} style={{ margin: 0 }}>
      <Typography component="figcaption" variant="body2">
        <span className={classes.title}>{props.title}</span>
      </Typography>
      <Typography
        variant="caption"
        component="p"
        className={classes.explanation}
      >
        Each bar is one UTC day: the sum of that day's hourly costs, split by
        component. A day's parts add up to its total.
      </Typography>
      <ResponsiveContainer width="100%" height={props.height ?? 240}>
        <BarChart
          data={bars}
          margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
        >
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tickFormatter={formatDay} minTickGap={16} />
          <YAxis width={80} tickFormatter={money} />
          <Tooltip
            labelFormatter={(day: string) => {
              const bar = bars.find(b => b.day === day);
              return `${formatDay(day)}: ${money(bar?.total ?? 0)}`;
            }}
            formatter={(value: number) => money(value)}
          />
          <Legend />
          {COST_COMPONENTS.map(component => (
            <Bar
              key={component.key}
              dataKey={component.key}
              name={component.label}
              stackId="cost"
              fill={colors[component.key]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
};
