import { ReactNode } from 'react';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatPointTime, formatTick } from './metricsFormat';

const useStyles = makeStyles(theme => ({
  title: {
    fontWeight: 'bold',
  },
  explanation: {
    color: theme.palette.text.secondary,
    marginBottom: theme.spacing(1),
  },
}));

/** One line of a chart. */
export interface ChartSeries {
  key: string;
  name: string;
  color: string;
}

/** A point of a chart: its time in ms and one value per series key. */
export type ChartPoint = { t: number } & Record<string, number | undefined>;

/**
 * A small titled line chart over the card's range, with one line of text
 * that says how its figures are computed.
 */
export const MetricChart = (props: {
  title: string;
  explanation: ReactNode;
  data: ChartPoint[];
  series: ChartSeries[];
  domain: [number, number];
  /** Times of the x-axis ticks, in ms. */
  ticks?: number[];
  formatValue: (value: number) => string;
  yDomain?: [number | 'auto', number | 'auto'];
  reference?: { value: number; label: string; color: string };
}) => {
  const classes = useStyles();
  const { data, series, domain, ticks, formatValue, reference } = props;
  const spanMs = domain[1] - domain[0];
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
        {props.explanation}
      </Typography>
      <ResponsiveContainer width="100%" height={180}>
        <LineChart
          data={data}
          margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
        >
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={domain}
            ticks={ticks}
            interval="preserveStartEnd"
            tickFormatter={(value: number) => formatTick(value, spanMs)}
            minTickGap={24}
          />
          <YAxis
            width={72}
            domain={props.yDomain ?? [0, 'auto']}
            tickFormatter={(value: number) => formatValue(value)}
          />
          <Tooltip
            labelFormatter={(value: number) => formatPointTime(value)}
            formatter={(value: number) => formatValue(value)}
          />
          {series.length > 1 && <Legend />}
          {reference && (
            <ReferenceLine
              y={reference.value}
              stroke={reference.color}
              strokeDasharray="6 4"
              ifOverflow="extendDomain"
              label={{
                value: reference.label,
                position: 'insideTopRight',
                fontSize: 11,
              }}
            />
          )}
          {series.map(line => (
            <Line
              key={line.key}
              dataKey={line.key}
              name={line.name}
              stroke={line.color}
              type="monotone"
              dot={data.length === 1}
              connectNulls={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
};
