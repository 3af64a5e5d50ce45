import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useApi } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { RestoreRequest } from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../api/DbaasApi';
import { CancelRestoreButton } from '../DatabaseTab/RestoresCard/CancelRestoreButton';
import {
  RestoreFacts,
  RestoreTargetText,
} from '../DatabaseTab/RestoresCard/RestoreFacts';
import { RestoreLog } from '../DatabaseTab/RestoresCard/RestoreLog';
import { RestorePreviewPanel } from '../DatabaseTab/RestoresCard/RestorePreviewPanel';
import { RestoreStateChip } from '../DatabaseTab/RestoresCard/RestoreStateChip';
import { RestoreStepList } from '../DatabaseTab/RestoresCard/RestoreStepList';
import { formatAbsoluteTime, formatRelativeTime } from '../common/formatTime';
import { DecisionDialog } from './DecisionDialog';

const useStyles = makeStyles(theme => ({
  item: { padding: theme.spacing(2), marginBottom: theme.spacing(2) },
  header: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
  note: {
    margin: theme.spacing(1, 0),
    padding: theme.spacing(1, 2),
    borderLeft: `4px solid ${theme.palette.info.main}`,
    background: theme.palette.background.default,
  },
  actions: { display: 'flex', gap: theme.spacing(1), flexWrap: 'wrap' },
  section: { marginTop: theme.spacing(2) },
}));

/** Why the signed-in user cannot decide, when the request waits. */
function DecisionNote({
  request,
  currentUser,
}: {
  request: RestoreRequest;
  currentUser?: string;
}) {
  const classes = useStyles();
  if (request.state !== 'pending-approval') {
    return null;
  }
  let note: string | undefined;
  if (currentUser && request.requestedBy === currentUser) {
    note =
      'You requested this restore: you cannot approve your own request. Someone else must.';
  } else if (
    currentUser &&
    request.approvals.some(approval => approval.by === currentUser)
  ) {
    note =
      'You approved this request. It needs another approver: the same person cannot approve twice.';
  } else if (!request.allowedActions.includes('approve')) {
    note = 'Only the restore approvers can decide on this request.';
  }
  return note ? (
    <Typography
      variant="body2"
      className={classes.note}
      role="note"
      data-testid="dbaas-restore-decision-note"
    >
      {note}
    </Typography>
  ) : null;
}

/**
 * One restore request on the approvals page: what it would do, who asked
 * and why, its approvals, and Approve / Reject for those the backend lets
 * decide. The approval carries the fingerprint of the request as shown, so
 * it is refused if the request changed meanwhile.
 */
export const ApprovalRequestItem = ({
  request,
  currentUser,
  onChanged,
}: {
  request: RestoreRequest;
  currentUser?: string;
  onChanged: () => void;
}) => {
  const classes = useStyles();
  const dbaasApi = useApi(dbaasApiRef);
  const [deciding, setDeciding] = useState<'approve' | 'reject'>();
  const [showProgress, setShowProgress] = useState(false);
  const own = !!currentUser && request.requestedBy === currentUser;
  const canApprove = request.allowedActions.includes('approve') && !own;
  const canReject = request.allowedActions.includes('reject');
  const pending = request.state === 'pending-approval';
  const database = `${request.namespace}/${request.name}`;

  return (
    <Paper
      variant="outlined"
      className={classes.item}
      data-testid={`dbaas-restore-${request.id}`}
      aria-label={`Restore of ${database}`}
      component="section"
    >
      <div className={classes.header}>
        <RestoreStateChip state={request.state} />
        <Typography variant="h6" component="h3">
          <EntityRefLink entityRef={`resource:default/${request.databaseName}`}>
            {database}
          </EntityRefLink>
        </Typography>
        <Typography variant="body2" component="span">
          <RestoreTargetText request={request} />
        </Typography>
        <Box flexGrow={1} />
        <Typography variant="caption" color="textSecondary">
          requested {formatRelativeTime(request.requestedAt)}
        </Typography>
      </div>

      <RestoreFacts request={request} />
      <DecisionNote request={request} currentUser={currentUser} />
      {request.state === 'awaiting-finalize' && (
        <RestorePreviewPanel request={request} onChanged={onChanged} />
      )}

      <div className={classes.actions}>
        {canApprove && (
          <Button
            variant="contained"
            color="primary"
            onClick={() => setDeciding('approve')}
          >
            Approve
          </Button>
        )}
        {canReject && (
          <Button variant="outlined" onClick={() => setDeciding('reject')}>
            Reject
          </Button>
        )}
        {request.allowedActions.includes('cancel') && (
          <CancelRestoreButton request={request} onChanged={onChanged} />
        )}
        {!pending && (
          <Button size="small" onClick={() => setShowProgress(!showProgress)}>
            {showProgress ? 'Hide steps and log' : 'Show steps and log'}
          </Button>
        )}
      </div>

      {showProgress && (
        <Grid container spacing={2} className={classes.section}>
          <Grid item xs={12} md={5}>
            <RestoreStepList request={request} />
          </Grid>
          <Grid item xs={12} md={7}>
            <RestoreLog log={request.log} />
          </Grid>
        </Grid>
      )}

      <DecisionDialog
        open={deciding === 'approve'}
        onClose={() => setDeciding(undefined)}
        title={`Approve the restore of ${database}?`}
        textId={`dbaas-approve-${request.id}`}
        textLabel="Comment (optional)"
        textHelp="Kept with your approval in the audit trail."
        confirmLabel="Approve restore"
        confirmColor="primary"
        decide={comment =>
          dbaasApi.approveRestore(request.id, {
            ...(comment ? { comment } : {}),
            fingerprint: request.fingerprint,
          })
        }
        onChanged={onChanged}
      >
        <Typography variant="body2" paragraph>
          <RestoreTargetText request={request} />,{' '}
          {request.pointInTime
            ? 'the data as it was at'
            : 'from the snapshot of'}{' '}
          {formatAbsoluteTime(request.snapshotCreatedAt)}.
        </Typography>
        {request.target === 'in-place' && (
          <Typography variant="body2" paragraph color="error">
            Once approved, it runs: clients of {request.databaseName} are
            disconnected during the swap, and changes made after the snapshot
            leave the live database (the previous data is kept as a safety
            copy).
          </Typography>
        )}
        <Typography variant="body2">
          Approval {request.approvals.length + 1} of {request.approvalsRequired}
          . Your approval holds for the request as shown here only: if it
          changes, it must be approved again.
        </Typography>
      </DecisionDialog>

      <DecisionDialog
        open={deciding === 'reject'}
        onClose={() => setDeciding(undefined)}
        title={`Reject the restore of ${database}?`}
        textId={`dbaas-reject-${request.id}`}
        textLabel="Reason"
        textHelp="Shown to the requester and kept in the audit trail."
        textRequired="A reason is required: the requester needs to know why"
        confirmLabel="Reject request"
        confirmColor="secondary"
        decide={reason => dbaasApi.rejectRestore(request.id, reason)}
        onChanged={onChanged}
      >
        <Typography variant="body2">
          Nothing is restored. The requester can ask again.
        </Typography>
      </DecisionDialog>
    </Paper>
  );
};
