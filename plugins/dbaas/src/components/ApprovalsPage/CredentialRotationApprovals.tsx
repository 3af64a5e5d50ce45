import { useCallback, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Paper from '@material-ui/core/Paper';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { CredentialRotation } from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../api/DbaasApi';
import { describeError } from '../common/describeError';
import { RelativeTime } from '../common/RelativeTime';
import { toError } from '../common/toError';
import { useAbortableLoad } from '../common/useAbortableLoad';

function PendingRotation({
  rotation,
  onChanged,
}: {
  rotation: CredentialRotation;
  onChanged: () => void;
}) {
  const dbaasApi = useApi(dbaasApiRef);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const may = rotation.allowedActions ?? [];

  const decide = async (decision: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await decision();
      onChanged();
    } catch (e) {
      setError(describeError(toError(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper variant="outlined" style={{ padding: 12, marginBottom: 8 }}>
      <Typography variant="body1">
        Rotate the <strong>{rotation.access}</strong> credential of{' '}
        <strong>{rotation.databaseName}</strong>
      </Typography>
      <Typography variant="body2" color="textSecondary">
        Asked by {rotation.requestedBy}{' '}
        <RelativeTime iso={rotation.requestedAt} />
        {rotation.reason ? `: ${rotation.reason}` : ''}
      </Typography>
      {may.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          Another approver decides (nobody approves their own rotation).
        </Typography>
      ) : (
        <Box display="flex" alignItems="center" mt={1} style={{ gap: 8 }}>
          <Button
            color="primary"
            variant="contained"
            size="small"
            disabled={busy}
            onClick={() =>
              decide(() => dbaasApi.approveCredentialRotation(rotation.id))
            }
          >
            Approve and rotate
          </Button>
          <TextField
            id={`reject-rotation-${rotation.id}`}
            size="small"
            label="Reason to reject"
            value={reason}
            onChange={e => setReason(e.target.value)}
          />
          <Button
            size="small"
            disabled={busy || reason.trim() === ''}
            onClick={() =>
              decide(() =>
                dbaasApi.rejectCredentialRotation(rotation.id, reason.trim()),
              )
            }
          >
            Reject
          </Button>
        </Box>
      )}
      {error && (
        <Typography variant="body2" color="error" role="alert">
          {error}
        </Typography>
      )}
    </Paper>
  );
}

/**
 * Credential rotations of protected or production databases waiting for
 * an approver (`dbaas.access.approve`); the backend decides who may.
 */
export const CredentialRotationApprovals = () => {
  const dbaasApi = useApi(dbaasApiRef);
  // async: whatever goes wrong stays in this section, never the page.
  const load = useCallback(
    async (signal: AbortSignal) =>
      dbaasApi.listCredentialRotations({ state: 'pending-approval', signal }),
    [dbaasApi],
  );
  const pending = useAbortableLoad(load);

  let content;
  if (pending.state === 'loading') {
    content = <Progress aria-label="Loading credential rotations" />;
  } else if (pending.state === 'failed') {
    content = (
      <Typography variant="body2" color="error">
        Could not load the credential rotations: {describeError(pending.error)}
      </Typography>
    );
  } else if (pending.value.items.length === 0) {
    content = (
      <Typography variant="body2" color="textSecondary">
        No credential rotation is waiting for a decision.
      </Typography>
    );
  } else {
    content = pending.value.items.map(rotation => (
      <PendingRotation
        key={rotation.id}
        rotation={rotation}
        onChanged={pending.retry}
      />
    ));
  }
  return (
    <Box component="section" mt={4} aria-label="Credential rotations">
      <Typography variant="h6" component="h2">
        Credential rotations
      </Typography>
      {content}
    </Box>
  );
};
