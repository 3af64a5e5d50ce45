import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import type { DatabaseDetail } from '@dbaas/plugin-dbaas-common';
import { formatAbsoluteTime } from '../../common/formatTime';
import { describeSafetyCopyPeriod } from './safetyCopyPeriod';

const useStyles = makeStyles(theme => ({
  warning: {
    margin: theme.spacing(2, 0),
    padding: theme.spacing(1, 2),
    borderLeft: `4px solid ${theme.palette.warning.main}`,
    background: theme.palette.background.default,
  },
  list: { margin: theme.spacing(1, 0), paddingLeft: theme.spacing(3) },
}));

/** What an in-place restore does to the live database, step by step. */
export const InPlaceWarning = ({
  database,
  snapshotCreatedAt,
}: {
  database: DatabaseDetail;
  snapshotCreatedAt?: string;
}) => {
  const classes = useStyles();
  const safetyCopyPeriod = describeSafetyCopyPeriod(
    useApi(configApiRef).getOptional('dbaas.restore.keepSafetyCopyFor'),
  );
  const approvers =
    database.mode === 'protected'
      ? `${database.databaseName} is protected: two different people must approve`
      : 'One person must approve';
  return (
    <div
      className={classes.warning}
      role="note"
      aria-label="What an in-place restore does"
    >
      <Typography variant="subtitle2">
        An in-place restore replaces the data of {database.databaseName}
      </Typography>
      <ol className={classes.list}>
        <Typography component="li" variant="body2">
          The snapshot is restored into a scratch database and verified. Until
          then nothing changes.
        </Typography>
        <Typography component="li" variant="body2">
          A short maintenance step disconnects every client of{' '}
          {database.databaseName} and swaps the restored database in. Changes
          made after the snapshot
          {snapshotCreatedAt
            ? ` (${formatAbsoluteTime(snapshotCreatedAt)})`
            : ''}{' '}
          are no longer in the live database.
        </Typography>
        <Typography component="li" variant="body2">
          The previous data is kept as a safety copy for {safetyCopyPeriod},
          then dropped. Its name shows on the request.
        </Typography>
        <Typography component="li" variant="body2">
          {approvers}; nobody approves their own request.
        </Typography>
      </ol>
      <Typography variant="body2">
        To look at old data without touching the live database, restore to a new
        database instead.
      </Typography>
    </div>
  );
};
