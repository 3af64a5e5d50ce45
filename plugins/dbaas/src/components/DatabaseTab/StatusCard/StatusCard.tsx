import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { InfoCard } from '@backstage/core-components';
import type { DatabaseDetail } from '@dbaas/plugin-dbaas-common';
import { RelativeTime } from '../../common/RelativeTime';
import { DatabaseStatusLabel } from './DatabaseStatusLabel';
import { LifecycleTimeline } from './LifecycleTimeline';
import { PullRequestList } from './PullRequestList';
import { StatusHistory } from './StatusHistory';
import { STATUS_DESCRIPTIONS } from './statusDescriptions';
import { restoredFromText } from '../../common/restoredFrom';

const capitalize = (text: string) =>
  text.charAt(0).toUpperCase() + text.slice(1);

const useStyles = makeStyles(theme => ({
  notice: {
    margin: theme.spacing(2, 0),
    padding: theme.spacing(1, 2),
    borderLeft: `4px solid ${theme.palette.warning.main}`,
    background: theme.palette.background.default,
  },
  error: {
    margin: theme.spacing(2, 0),
    padding: theme.spacing(1, 2),
    borderLeft: `4px solid ${theme.palette.error.main}`,
    background: theme.palette.background.default,
  },
  errorText: {
    margin: 0,
    fontFamily: 'monospace',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
  },
  section: {
    marginTop: theme.spacing(2),
  },
}));

export interface StatusCardProps {
  database: DatabaseDetail;
  /**
   * `summary` (for the overview page) leaves out the pull requests and the
   * history.
   */
  variant?: 'full' | 'summary';
}

/**
 * Where the database stands: its status and since when, the lifecycle with
 * the current step, the last error, and — in full — its pull requests and
 * history. When the cluster cannot be reached the status is the last one
 * known, said as such rather than shown as a failure.
 */
export const StatusCard = ({ database, variant = 'full' }: StatusCardProps) => {
  const classes = useStyles();
  return (
    <InfoCard title="Status">
      <Typography variant="body1" component="div">
        <DatabaseStatusLabel status={database.status} /> since{' '}
        <RelativeTime iso={database.statusSince} />
      </Typography>
      {database.restoredFrom && (
        <Typography variant="body2" data-testid="dbaas-restored-from">
          {capitalize(restoredFromText(database.restoredFrom))}
        </Typography>
      )}
      <Typography variant="body2" color="textSecondary">
        {STATUS_DESCRIPTIONS[database.status]}
      </Typography>

      {database.unknownSince && (
        <Box
          className={classes.notice}
          role="status"
          aria-label="Status unknown"
        >
          <Typography variant="body2">
            Unknown since <RelativeTime iso={database.unknownSince} />
            {database.unknownReason ? `: ${database.unknownReason}` : ''}
          </Typography>
          <Typography variant="caption" color="textSecondary">
            The cluster cannot be reached right now; the status above is the
            last one known, not a failure.
          </Typography>
        </Box>
      )}

      <LifecycleTimeline status={database.status} />

      {database.lastError && (
        <Box className={classes.error} role="alert" aria-label="Last error">
          <Typography variant="subtitle2" color="error">
            Last error
          </Typography>
          <pre className={classes.errorText}>{database.lastError}</pre>
        </Box>
      )}

      {variant === 'full' && (
        <>
          <Typography variant="subtitle2" className={classes.section}>
            Pull requests
          </Typography>
          {database.pullRequests.length > 0 ? (
            <PullRequestList pullRequests={database.pullRequests} />
          ) : (
            <Typography variant="body2" color="textSecondary">
              No pull request of the portal is known for this database.
            </Typography>
          )}
          <Typography variant="subtitle2" className={classes.section}>
            History
          </Typography>
          {database.history.length > 0 ? (
            <StatusHistory history={database.history} />
          ) : (
            <Typography variant="body2" color="textSecondary">
              No status change recorded yet.
            </Typography>
          )}
        </>
      )}
    </InfoCard>
  );
};
