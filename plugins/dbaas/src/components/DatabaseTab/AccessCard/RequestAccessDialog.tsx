import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  AccessGrant,
  DatabaseRef,
  RoleAccess,
} from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../../api/DbaasApi';
import { describeError } from '../../common/describeError';

const ROLE_TEXT: Record<RoleAccess, string> = {
  read: 'read: SELECT on every table',
  write: 'write: read, and INSERT, UPDATE, DELETE',
  admin: 'admin: owns the schema (DDL)',
};

/** Role, duration and reason; the backend decides whether it waits. */
export const RequestAccessDialog = (props: {
  open: boolean;
  onClose: () => void;
  databaseRef: DatabaseRef;
  maxDurationMinutes: number;
  defaultDurationMinutes: number;
  approvalRequired: boolean;
  onRequested: (grant: AccessGrant) => void;
}) => {
  const dbaasApi = useApi(dbaasApiRef);
  const [access, setAccess] = useState<RoleAccess>('read');
  const [duration, setDuration] = useState(
    String(props.defaultDurationMinutes),
  );
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<{
    duration?: string;
    reason?: string;
  }>({});
  const [failure, setFailure] = useState<string>();
  const [submitting, setSubmitting] = useState(false);

  const submit = async () => {
    const minutes = Number(duration);
    const found: typeof problems = {};
    if (
      !Number.isInteger(minutes) ||
      minutes < 1 ||
      minutes > props.maxDurationMinutes
    ) {
      found.duration = `A whole number of minutes from 1 to ${props.maxDurationMinutes}`;
    }
    if (!reason.trim()) {
      found.reason = 'A reason is required: owners and approvers read it';
    }
    setProblems(found);
    if (Object.keys(found).length > 0) {
      return;
    }
    setSubmitting(true);
    setFailure(undefined);
    try {
      const grant = await dbaasApi.requestAccess(props.databaseRef, {
        access,
        durationMinutes: minutes,
        reason: reason.trim(),
      });
      props.onRequested(grant);
    } catch (error) {
      setFailure(describeError(error as Error));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="dbaas-access-request-title"
    >
      <DialogTitle id="dbaas-access-request-title">
        Ask for personal access
      </DialogTitle>
      <DialogContent>
        <Typography variant="body2" paragraph>
          You get a login role of your own, a member of the database&apos;s
          role, for the time you ask for from when you activate it.{' '}
          {props.approvalRequired
            ? 'Your request waits for an approver (someone else than you).'
            : 'Your request is approved at once: activate it when you need it.'}
        </Typography>
        <TextField
          select
          label="Role"
          value={access}
          onChange={e => setAccess(e.target.value as RoleAccess)}
          fullWidth
          margin="normal"
          inputProps={{ 'aria-label': 'Role' }}
        >
          {(['read', 'write', 'admin'] as RoleAccess[]).map(role => (
            <MenuItem key={role} value={role}>
              {ROLE_TEXT[role]}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          id="dbaas-access-duration"
          label="Duration (minutes)"
          type="number"
          value={duration}
          onChange={e => setDuration(e.target.value)}
          fullWidth
          margin="normal"
          inputProps={{ min: 1, max: props.maxDurationMinutes }}
          error={Boolean(problems.duration)}
          helperText={
            problems.duration ?? `At most ${props.maxDurationMinutes} minutes`
          }
        />
        <TextField
          id="dbaas-access-reason"
          label="Reason"
          value={reason}
          onChange={e => setReason(e.target.value)}
          fullWidth
          multiline
          minRows={2}
          margin="normal"
          required
          error={Boolean(problems.reason)}
          helperText={problems.reason ?? 'Kept in the audit trail'}
        />
        {failure && (
          <Typography color="error" role="alert">
            {failure}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={submit}
          disabled={submitting}
        >
          Ask for access
        </Button>
      </DialogActions>
    </Dialog>
  );
};
