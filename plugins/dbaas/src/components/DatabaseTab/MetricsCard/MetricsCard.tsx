import Button from '@material-ui/core/Button';
import ButtonGroup from '@material-ui/core/ButtonGroup';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import type {
  DatabaseMetricsResponse,
  DatabaseRef,
} from '@dbaas/plugin-dbaas-common';
import { describeError } from '../../common/describeError';
import { formatBytes } from '../../common/formatBytes';
import { isForbidden } from '../../common/responseStatus';
import { grafanaLink } from './grafanaLink';
import { ChartPoint, MetricChart } from './MetricChart';
import { METRICS_RANGES, useMetricsRange } from './metricsRange';
import {
  RESOLUTION_LABELS,
  formatPercent,
  formatPointTime,
  formatRate,
} from './metricsFormat';
import { chartWindow } from './chartWindow';
import { useDatabaseMetrics } from './useDatabaseMetrics';

const useStyles = makeStyles(theme => ({
  resolution: {
    color: theme.palette.text.secondary,
    marginBottom: theme.spacing(2),
  },
}));

const RangeSelector = () => {
  const [range, setRange] = useMetricsRange();
  return (
    <ButtonGroup size="small" aria-label="Metrics range">
      {METRICS_RANGES.map(choice => (
        <Button
          key={choice.value}
          title={choice.title}
          aria-pressed={choice.value === range}
          color={choice.value === range ? 'primary' : 'default'}
          variant={choice.value === range ? 'contained' : 'outlined'}
          onClick={() => setRange(choice.value)}
        >
          {choice.label}
        </Button>
      ))}
    </ButtonGroup>
  );
};

function chartPoints(metrics: DatabaseMetricsResponse): ChartPoint[] {
  return metrics.points.map(point => ({
    t: Date.parse(point.at),
    sizeBytes: point.sizeBytes,
    connections: point.connections,
    commitsPerSecond: point.commitsPerSecond,
    rollbacksPerSecond: point.rollbacksPerSecond,
    cacheHitRatio: point.cacheHitRatio,
  }));
}

const MetricsCharts = ({ metrics }: { metrics: DatabaseMetricsResponse }) => {
  const classes = useStyles();
  const theme = useTheme();
  const data = chartPoints(metrics);
  const { domain, ticks, collectingSince } = chartWindow(metrics);
  const averaged = metrics.resolution !== 'raw';
  const per = averaged
    ? `averaged over each ${metrics.resolution === 'hour' ? 'hour' : 'day'}`
    : 'at each sample';
  return (
    <>
      <Typography variant="body2" className={classes.resolution}>
        Resolution: {RESOLUTION_LABELS[metrics.resolution]} ({data.length}{' '}
        {data.length === 1 ? 'point' : 'points'})
        {collectingSince !== undefined && (
          <>
            . Collecting since {formatPointTime(collectingSince)}: the charts
            start at the first sample and fill the range as samples arrive.
          </>
        )}
      </Typography>
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <MetricChart
            title="Size"
            explanation={`Size of the database on disk (pg_database_size), ${per}.`}
            data={data}
            domain={domain}
            ticks={ticks}
            series={[
              {
                key: 'sizeBytes',
                name: 'Size',
                color: theme.palette.primary.main,
              },
            ]}
            formatValue={formatBytes}
          />
        </Grid>
        <Grid item xs={12} md={6}>
          <MetricChart
            title="Connections"
            explanation={`Client connections to the database, ${per}${
              metrics.maxConnections !== undefined
                ? '; dashed line: max_connections of the cluster'
                : ''
            }.`}
            data={data}
            domain={domain}
            ticks={ticks}
            series={[
              {
                key: 'connections',
                name: 'Connections',
                color: theme.palette.primary.main,
              },
            ]}
            formatValue={value => Math.round(value).toString()}
            reference={
              metrics.maxConnections !== undefined
                ? {
                    value: metrics.maxConnections,
                    label: `max ${metrics.maxConnections}`,
                    color: theme.palette.error.main,
                  }
                : undefined
            }
          />
        </Grid>
        <Grid item xs={12} md={6}>
          <MetricChart
            title="Transactions/s"
            explanation={`Commits and rollbacks per second: the change in the committed and rolled-back counts between consecutive samples, divided by the seconds between them${
              averaged ? `, ${per}` : ''
            }.`}
            data={data}
            domain={domain}
            ticks={ticks}
            series={[
              {
                key: 'commitsPerSecond',
                name: 'Commits/s',
                color: theme.palette.primary.main,
              },
              {
                key: 'rollbacksPerSecond',
                name: 'Rollbacks/s',
                color: theme.palette.error.main,
              },
            ]}
            formatValue={formatRate}
          />
        </Grid>
        <Grid item xs={12} md={6}>
          <MetricChart
            title="Cache hit ratio"
            explanation={`Cache hit ratio = blocks hit / (hit + read) over each interval between samples${
              averaged ? `, ${per}` : ''
            }.`}
            data={data}
            domain={domain}
            ticks={ticks}
            yDomain={[0, 1]}
            series={[
              {
                key: 'cacheHitRatio',
                name: 'Cache hit ratio',
                color: theme.palette.primary.main,
              },
            ]}
            formatValue={formatPercent}
          />
        </Grid>
      </Grid>
    </>
  );
};

const MetricsContent = ({ databaseRef }: { databaseRef: DatabaseRef }) => {
  const [range] = useMetricsRange();
  const metrics = useDatabaseMetrics(databaseRef, range);

  if (metrics.state === 'loading') {
    return <Progress aria-label="Loading metrics" />;
  }
  if (metrics.state === 'failed') {
    if (isForbidden(metrics.error)) {
      return (
        <Typography variant="body2">
          You may not see the metrics of this database: they need the
          dbaas.database.read permission, which the owners of the tenant{' '}
          {databaseRef.namespace} usually have.
        </Typography>
      );
    }
    return (
      <>
        <ResponseErrorPanel
          error={metrics.error}
          title={`Could not load the metrics: ${describeError(metrics.error)}`}
        />
        <Button color="primary" onClick={metrics.retry}>
          Retry
        </Button>
      </>
    );
  }
  if (metrics.value.points.length === 0) {
    return (
      <Typography variant="body2">
        No samples yet: the first arrive within a minute of the database being
        ready.
      </Typography>
    );
  }
  return <MetricsCharts metrics={metrics.value} />;
};

/**
 * Size, connections, transactions per second and cache hit ratio of a
 * database over the last 24 hours, 7 or 30 days (`?metricsRange=`), with a
 * link to its Grafana dashboard when `dbaas.metrics.grafanaUrl` is set.
 */
export const MetricsCard = ({
  databaseRef,
  cluster,
}: {
  databaseRef: DatabaseRef;
  cluster?: string;
}) => {
  const grafana = grafanaLink(
    useApi(configApiRef).getOptionalString('dbaas.metrics.grafanaUrl'),
    { ...databaseRef, cluster },
  );
  return (
    <InfoCard
      title="Metrics"
      action={<RangeSelector />}
      deepLink={
        grafana ? { title: 'Open in Grafana', link: grafana } : undefined
      }
    >
      <MetricsContent databaseRef={databaseRef} />
    </InfoCard>
  );
};
