import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { RestoredCopy, databaseEntityRef } from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../../api/DbaasApi';
import { describeError } from '../../common/describeError';
import { formatAbsoluteTime } from '../../common/formatTime';
import { RelativeTime } from '../../common/RelativeTime';
import { userName } from './userName';

const useStyles = makeStyles(theme => ({
  copy: {
    marginTop: theme.spacing(1),
    padding: theme.spacing(1, 2),
    borderLeft: `4px solid ${theme.palette.info.main}`,
    background: theme.palette.background.default,
  },
  row: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
  name: { fontFamily: 'monospace' },
}));

/** What becomes of the copy, in one sentence. */
const CopyFate = ({ copy }: { copy: RestoredCopy }) => {
  switch (copy.state) {
    case 'expiring':
      return copy.expiresAt ? (
        <>
          Not in the apps repository: dropped with its roles and secrets{' '}
          <RelativeTime iso={copy.expiresAt} /> unless someone keeps it.
        </>
      ) : (
        <>
          Not in the apps repository; restored before copies expired, it stays
          until someone keeps or deletes it.
        </>
      );
    case 'kept':
      return (
        <>
          Kept by {userName(copy.keep?.by ?? '')}
          {copy.keep?.pullRequestUrl ? (
            <>
              :{' '}
              <Link to={copy.keep.pullRequestUrl}>
                {copy.keep.merged
                  ? 'added to the apps repository'
                  : `pull request #${copy.keep.pullRequestNumber}`}
              </Link>
              {copy.keep.merged
                ? '; an ordinary database from now on.'
                : ' adds it to the apps repository; once merged it is an ordinary database.'}
            </>
          ) : (
            '; the pull request adding it to the apps repository is not open yet.'
          )}{' '}
          It no longer expires.
        </>
      );
    case 'dropping':
      return <>Being dropped with its roles and secrets.</>;
    case 'dropped':
    default:
      return (
        <>
          Dropped {copy.dropped ? formatAbsoluteTime(copy.dropped.at) : ''}
          {copy.dropped?.reason === 'expired'
            ? ': nobody kept it before it expired.'
            : ` by ${userName(copy.dropped?.by ?? '')}.`}
        </>
      );
  }
};

/**
 * The database a `new-database` restore created: a link to it, what
 * becomes of it, and Keep / Delete now for those who may.
 */
export const RestoredCopyPanel = ({
  copy,
  onChanged,
}: {
  copy: RestoredCopy;
  onChanged: (copy: RestoredCopy) => void;
}) => {
  const classes = useStyles();
  const dbaasApi = useApi(dbaasApiRef);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');

  const act = async (call: () => Promise<RestoredCopy>) => {
    setBusy(true);
    setError(undefined);
    try {
      onChanged(await call());
      setConfirming(false);
    } catch (e) {
      setError(describeError(e as Error));
    } finally {
      setBusy(false);
    }
  };

  const gone = copy.state === 'dropped';
  return (
    <Box
      className={classes.copy}
      data-testid={`dbaas-restored-copy-${copy.restoreId}`}
    >
      <div className={classes.row}>
        <Typography variant="body2" component="span">
          Restored copy{' '}
          {gone ? (
            <span className={classes.name}>{copy.databaseName}</span>
          ) : (
            <EntityRefLink entityRef={databaseEntityRef(copy.databaseName)}>
              <span className={classes.name}>{copy.databaseName}</span>
            </EntityRefLink>
          )}
          , from {copy.source.databaseName} at{' '}
          {formatAbsoluteTime(copy.snapshotCreatedAt)}
        </Typography>
        <Box flexGrow={1} />
        {copy.allowedActions.includes('keep') && (
          <Button
            variant="contained"
            color="primary"
            size="small"
            disabled={busy}
            onClick={() => act(() => dbaasApi.keepRestoredCopy(copy.restoreId))}
          >
            Keep
          </Button>
        )}
        {copy.allowedActions.includes('delete') && (
          <Button
            variant="outlined"
            size="small"
            disabled={busy}
            onClick={() => {
              setTyped('');
              setError(undefined);
              setConfirming(true);
            }}
          >
            Delete now
          </Button>
        )}
      </div>
      <Typography
        variant="body2"
        color="textSecondary"
        data-testid="dbaas-restored-copy-fate"
      >
        <CopyFate copy={copy} />
      </Typography>
      {copy.lastError && (
        <Typography variant="body2" color="error">
          Last attempt: {copy.lastError}
        </Typography>
      )}
      {error && !confirming && (
        <Typography color="error" role="alert">
          {error}
        </Typography>
      )}
      <Dialog open={confirming} onClose={() => !busy && setConfirming(false)}>
        <DialogTitle>Delete the restored copy {copy.databaseName}?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            The database {copy.databaseName}, its read, write and admin roles
            and their secrets are dropped now; its data is gone.{' '}
            {copy.source.databaseName} is not touched. Type the database name to
            confirm.
          </DialogContentText>
          <TextField
            fullWidth
            id={`dbaas-delete-copy-${copy.restoreId}`}
            label="Database name"
            value={typed}
            onChange={e => setTyped(e.target.value)}
            margin="normal"
          />
          {error && (
            <Typography color="error" role="alert">
              Could not delete: {error}
            </Typography>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)} disabled={busy}>
            Back
          </Button>
          <Button
            color="secondary"
            variant="contained"
            disabled={busy || typed !== copy.databaseName}
            onClick={() =>
              act(() =>
                dbaasApi.deleteRestoredCopy(copy.restoreId, copy.databaseName),
              )
            }
          >
            Delete the copy
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
};
