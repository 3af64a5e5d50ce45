import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  DatabaseDetail,
  DatabaseSnapshotsResponse,
  RestoreRequest,
  dbaasRestoreRequestPermission,
  formatDatabaseAnnotation,
} from '@dbaas/plugin-dbaas-common';
import { describeError } from '../../common/describeError';
import { RelativeTime } from '../../common/RelativeTime';
import { formatAbsoluteTime } from '../../common/formatTime';
import { isForbidden } from '../../common/responseStatus';
import type { PolledLoad } from '../../common/usePolledLoad';
import { RequestRestoreDialog } from './RequestRestoreDialog';
import { SnapshotList } from './SnapshotList';
import {
  TakeSnapshotButton,
  snapshotNotAllowedText,
} from './TakeSnapshotButton';
import { SNAPSHOT_SOURCE_LABELS } from './snapshotLabels';

const useStyles = makeStyles(theme => ({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: theme.spacing(0, 0, 2),
    '& dt': { color: theme.palette.text.secondary },
    '& dd': { margin: 0 },
  },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(2),
  },
}));

const TITLE = 'Snapshots';

export interface SnapshotsCardProps {
  database: DatabaseDetail;
  snapshots: PolledLoad<DatabaseSnapshotsResponse> & { reload: () => void };
  /** A restore of this database still pending, approved or running. */
  activeRestore?: RestoreRequest;
  onRestoreRequested: (request: RestoreRequest) => void;
}

const RestoreWindowFacts = ({
  snapshots,
}: {
  snapshots: DatabaseSnapshotsResponse;
}) => {
  const classes = useStyles();
  const source = snapshots.items[0]?.source;
  return (
    <dl className={classes.facts}>
      <dt>Restore window</dt>
      <dd data-testid="dbaas-restore-window">
        {snapshots.restoreWindow
          ? `${formatAbsoluteTime(
              snapshots.restoreWindow.earliest,
            )} – ${formatAbsoluteTime(snapshots.restoreWindow.latest)}`
          : 'none: no snapshot is available yet'}
      </dd>
      <dt>Retention</dt>
      <dd>{snapshots.retentionDays} days</dd>
      <dt>Next scheduled</dt>
      <dd>
        {snapshots.nextScheduledAt ? (
          <RelativeTime iso={snapshots.nextScheduledAt} />
        ) : (
          'not known'
        )}
      </dd>
      {source && (
        <>
          <dt>Kind</dt>
          <dd>{SNAPSHOT_SOURCE_LABELS[source] ?? source}</dd>
        </>
      )}
    </dl>
  );
};

/**
 * The database's snapshots and restore window, with "Take snapshot now"
 * (self-hosted clusters) and "Request restore".
 */
export const SnapshotsCard = ({
  database,
  snapshots,
  activeRestore,
  onRestoreRequested,
}: SnapshotsCardProps) => {
  const classes = useStyles();
  const [dialogOpen, setDialogOpen] = useState(false);
  const ref = { namespace: database.namespace, name: database.name };
  // Taking a snapshot and requesting a restore need the same permission;
  // the backend decides again on each call.
  const permission = usePermission({
    permission: dbaasRestoreRequestPermission,
    resourceRef: formatDatabaseAnnotation(ref),
  });
  const mayRequest = permission.allowed;

  if (snapshots.state === 'loading') {
    return (
      <InfoCard title={TITLE}>
        <Progress aria-label="Loading snapshots" />
      </InfoCard>
    );
  }
  if (snapshots.state === 'failed') {
    return (
      <InfoCard title={TITLE}>
        {isForbidden(snapshots.error) ? (
          <Typography variant="body2">
            You may not see the snapshots of this database:{' '}
            {describeError(snapshots.error)}
          </Typography>
        ) : (
          <>
            <ResponseErrorPanel
              error={snapshots.error}
              title={`Could not load the snapshots: ${describeError(
                snapshots.error,
              )}`}
            />
            <Button color="primary" onClick={snapshots.reload}>
              Retry
            </Button>
          </>
        )}
      </InfoCard>
    );
  }

  const value = snapshots.value;
  // Aurora snapshots are taken by AWS: the backend refuses on-demand ones.
  const aurora = value.items.some(s => s.source === 'aurora-cluster-snapshot');
  // Aurora's window can be restored to any second, snapshot or not.
  const restorable =
    value.items.some(s => s.status === 'available') ||
    !!value.restoreWindow?.pointInTime;
  return (
    <InfoCard title={TITLE}>
      <RestoreWindowFacts snapshots={value} />
      <div className={classes.actions}>
        <Button
          color="primary"
          variant="contained"
          onClick={() => setDialogOpen(true)}
          disabled={!restorable || !!activeRestore || !mayRequest}
          data-testid="dbaas-request-restore"
        >
          Request restore
        </Button>
        {!aurora && (
          <TakeSnapshotButton
            databaseRef={ref}
            onTaken={snapshots.reload}
            allowed={mayRequest}
          />
        )}
        <Box flexGrow={1} />
        {activeRestore && (
          <Typography variant="body2" color="textSecondary" role="status">
            A restore of this database is {activeRestore.state}: one restore at
            a time. It shows below.
          </Typography>
        )}
        {!restorable && (
          <Typography variant="body2" color="textSecondary">
            Nothing to restore from until a snapshot is available.
          </Typography>
        )}
        {!permission.loading && !mayRequest && (
          <Typography
            variant="body2"
            color="textSecondary"
            data-testid="dbaas-snapshots-not-allowed"
          >
            {snapshotNotAllowedText(ref)}
          </Typography>
        )}
      </div>
      {snapshots.pollError && (
        <Typography variant="body2" color="error" role="alert">
          Could not refresh the snapshots: {describeError(snapshots.pollError)}
        </Typography>
      )}
      <SnapshotList snapshots={value.items} />
      <RequestRestoreDialog
        open={dialogOpen}
        onClose={() => setDialogOpen(false)}
        database={database}
        snapshots={value.items}
        restoreWindow={value.restoreWindow}
        onRequested={onRestoreRequested}
      />
    </InfoCard>
  );
};
