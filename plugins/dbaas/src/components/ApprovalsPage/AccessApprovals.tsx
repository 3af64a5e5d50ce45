import { useCallback, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Paper from '@material-ui/core/Paper';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { EmptyState, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { AccessGrant } from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../api/DbaasApi';
import { describeError } from '../common/describeError';
import { RelativeTime } from '../common/RelativeTime';
import { usePolledLoad } from '../common/usePolledLoad';
import { INBOX_POLL_INTERVAL_MS } from './RestoreApprovals';
import { useCurrentUser } from './useCurrentUser';

const always = () => true;

function whyNoDecision(
  grant: AccessGrant,
  currentUser: string | undefined,
): string | undefined {
  if (grant.allowedActions.includes('approve')) {
    return undefined;
  }
  if (currentUser && grant.requestedBy === currentUser) {
    return 'This is your own request: someone else decides on it.';
  }
  return 'Only the platform team decides on access requests (dbaas.access.approve).';
}

const AccessRequestItem = (props: {
  grant: AccessGrant;
  currentUser?: string;
  onChanged: () => void;
}) => {
  const { grant } = props;
  const dbaasApi = useApi(dbaasApiRef);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const note = whyNoDecision(grant, props.currentUser);

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setFailure(undefined);
    try {
      await fn();
      setRejecting(false);
      props.onChanged();
    } catch (error) {
      setFailure(describeError(error as Error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper variant="outlined" style={{ padding: 16, marginBottom: 12 }}>
      <Typography variant="subtitle1">
        {grant.requestedBy} asks for <strong>{grant.access}</strong> access to{' '}
        <code>{grant.databaseName}</code> for {grant.durationMinutes} minutes
      </Typography>
      <Typography variant="body2">Reason: {grant.reason}</Typography>
      <Typography variant="body2" color="textSecondary">
        Asked <RelativeTime iso={grant.requestedAt} />
        {grant.expiresAt && (
          <>
            ; expires undecided <RelativeTime iso={grant.expiresAt} />
          </>
        )}
      </Typography>
      <Box mt={1} display="flex" alignItems="center">
        <Button
          color="primary"
          variant="contained"
          disabled={busy || !grant.allowedActions.includes('approve')}
          onClick={() => run(() => dbaasApi.approveAccessGrant(grant.id))}
        >
          Approve
        </Button>
        <Box ml={1}>
          <Button
            disabled={busy || !grant.allowedActions.includes('reject')}
            onClick={() => setRejecting(true)}
          >
            Reject
          </Button>
        </Box>
        {note && (
          <Box ml={2}>
            <Typography variant="body2" color="textSecondary">
              {note}
            </Typography>
          </Box>
        )}
      </Box>
      {failure && (
        <Typography color="error" role="alert">
          {failure}
        </Typography>
      )}
      <Dialog open={rejecting} onClose={() => setRejecting(false)}>
        <DialogTitle>Reject the access request</DialogTitle>
        <DialogContent>
          <TextField
            id={`dbaas-access-reject-reason-${grant.id}`}
            label="Reason"
            value={reason}
            onChange={e => setReason(e.target.value)}
            fullWidth
            required
            multiline
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setRejecting(false)}>Cancel</Button>
          <Button
            color="primary"
            disabled={busy || !reason.trim()}
            onClick={() =>
              run(() => dbaasApi.rejectAccessGrant(grant.id, reason.trim()))
            }
          >
            Reject
          </Button>
        </DialogActions>
      </Dialog>
    </Paper>
  );
};

/**
 * Requests for personal access waiting for a decision. Approving takes
 * `dbaas.access.approve` and is never open to the requester: the buttons
 * follow the backend's `allowedActions`, with a note saying why not.
 */
export const AccessApprovals = ({
  pollIntervalMs = INBOX_POLL_INTERVAL_MS,
}: {
  pollIntervalMs?: number;
}) => {
  const dbaasApi = useApi(dbaasApiRef);
  const currentUser = useCurrentUser();
  const load = useCallback(
    (signal: AbortSignal) =>
      dbaasApi.listAccessGrants({ state: 'pending', signal }),
    [dbaasApi],
  );
  const pending = usePolledLoad(load, {
    pollWhile: always,
    intervalMs: pollIntervalMs,
  });

  let content;
  if (pending.state === 'loading') {
    content = <Progress aria-label="Loading access requests" />;
  } else if (pending.state === 'failed') {
    content = (
      <Typography color="error" role="alert">
        Could not load the access requests: {describeError(pending.error)}
      </Typography>
    );
  } else if (pending.value.items.length === 0) {
    content = (
      <EmptyState
        missing="data"
        title="No access request is waiting for a decision"
        description="Requests for personal access made from a database’s Personal access card show here until they are approved, rejected or expire."
      />
    );
  } else {
    content = pending.value.items.map(grant => (
      <AccessRequestItem
        key={grant.id}
        grant={grant}
        currentUser={currentUser}
        onChanged={pending.reload}
      />
    ));
  }
  return (
    <Box mt={4} component="section" aria-label="Access requests">
      <Typography variant="h5" gutterBottom>
        Access requests
      </Typography>
      {content}
    </Box>
  );
};
