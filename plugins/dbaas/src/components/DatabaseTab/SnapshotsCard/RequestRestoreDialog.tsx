import { ReactNode, useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  CreateRestoreRequest,
  DatabaseDetail,
  DatabaseSnapshot,
  RestoreRequest,
  RestoreTarget,
  RestoreWindow,
} from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../../api/DbaasApi';
import { plainMessage, plainMessages } from '../../common/plainMessage';
import { useDatabaseNameCheck } from '../../DbaasDatabaseNamePicker/useDatabaseNameCheck';
import { unavailableMessages } from '../../DbaasDatabaseNamePicker/validation';
import { InPlaceWarning } from './InPlaceWarning';
import { describeRestoreRequestError } from './restoreRequestError';
import {
  defaultRestoreTargetName,
  targetNameProblems,
} from './restoreTargetName';
import {
  earliestSecond,
  formatUtcSecond,
  fromUtcInputValue,
  pointInTimeProblem,
  toUtcInputValue,
} from './pointInTimeInput';
import { describeSnapshot } from './snapshotLabels';

const useStyles = makeStyles(theme => ({
  field: { marginTop: theme.spacing(2) },
  summary: {
    marginTop: theme.spacing(2),
    padding: theme.spacing(1, 2),
    borderLeft: `4px solid ${theme.palette.info.main}`,
    background: theme.palette.background.default,
  },
  name: { fontFamily: 'monospace' },
  available: { color: theme.palette.success.main },
}));

export interface RequestRestoreDialogProps {
  open: boolean;
  onClose: () => void;
  database: DatabaseDetail;
  /** Newest first, as the backend lists them. */
  snapshots: DatabaseSnapshot[];
  /**
   * The listing's window; with `pointInTime` (Aurora) the dialog also
   * offers any second inside it.
   */
  restoreWindow?: RestoreWindow;
  onRequested: (request: RestoreRequest) => void;
}

interface Problems {
  pointInTime?: string;
  confirmation?: string;
  reason?: string;
}

const RestoreForm = ({
  onClose,
  database,
  snapshots,
  restoreWindow,
  onRequested,
}: RequestRestoreDialogProps) => {
  const classes = useStyles();
  const dbaasApi = useApi(dbaasApiRef);
  const available = snapshots.filter(s => s.status === 'available');
  const [snapshotId, setSnapshotId] = useState(available[0]?.id ?? '');
  const pitrWindow = restoreWindow?.pointInTime ? restoreWindow : undefined;
  const [source, setSource] = useState<'snapshot' | 'point-in-time'>(
    pitrWindow && available.length === 0 ? 'point-in-time' : 'snapshot',
  );
  const [pointInTime, setPointInTime] = useState(
    pitrWindow ? toUtcInputValue(pitrWindow.latest) : '',
  );
  const byTime = source === 'point-in-time' && pitrWindow !== undefined;
  const [target, setTarget] = useState<RestoreTarget>('new-database');
  const [customName, setCustomName] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<string>();

  const ref = { namespace: database.namespace, name: database.name };
  const snapshot = available.find(s => s.id === snapshotId);
  const chosenTime = byTime ? fromUtcInputValue(pointInTime) : undefined;
  const dataFrom = byTime ? chosenTime?.toISOString() : snapshot?.createdAt;
  const previewName =
    customName.trim() || defaultRestoreTargetName(database.name, new Date());

  // A name typed for the new database is checked as it is typed: the naming
  // rules at once, whether it is free once typing pauses (POST /validate).
  // The default, stamped with the minute of the request, is left to the
  // backend.
  const newDatabase = target === 'new-database' && customName.trim() !== '';
  const localNameProblems = newDatabase
    ? targetNameProblems(ref, previewName)
    : [];
  const nameCheck = useDatabaseNameCheck({
    namespace: database.namespace,
    name: previewName,
    enabled: newDatabase && localNameProblems.length === 0,
  });
  const nameProblems = plainMessages([
    ...localNameProblems,
    ...(nameCheck.state === 'checked'
      ? unavailableMessages(nameCheck.response, previewName, database.namespace)
      : []),
  ]);
  const shownName = plainMessage(`\`${database.namespace}-${previewName}\``);
  let nameHelp: ReactNode = `Empty: ${database.name}-restored-<yyyymmddhhmm>, the minute of the request in UTC.`;
  if (nameProblems.length > 0) {
    nameHelp = nameProblems.join('; ');
  } else if (nameCheck.state === 'checking') {
    nameHelp = `Checking whether ${shownName} is free…`;
  } else if (nameCheck.state === 'checked') {
    nameHelp = <span className={classes.available}>✓ {shownName} is free</span>;
  } else if (nameCheck.state === 'failed') {
    nameHelp = `Could not check whether ${shownName} is free; the request checks it again.`;
  }

  const check = (): Problems => {
    const found: Problems = {};
    if (byTime) {
      const problem = pointInTimeProblem(pointInTime, pitrWindow);
      if (problem) {
        found.pointInTime = problem;
      }
    }
    if (
      target === 'in-place' &&
      confirmation.trim() !== database.databaseName
    ) {
      found.confirmation = `Type ${database.databaseName} to confirm the in-place restore`;
    }
    if (!reason.trim()) {
      found.reason = 'A reason is required: approvers read it';
    }
    return found;
  };

  const submit = async () => {
    if (!byTime && !snapshot) {
      return;
    }
    // The default name takes the minute the request is sent, in UTC.
    const targetName =
      target === 'new-database'
        ? customName.trim() ||
          defaultRestoreTargetName(database.name, new Date())
        : undefined;
    const found = check();
    setProblems(found);
    const nameRefused =
      targetName !== undefined &&
      (targetNameProblems(ref, targetName).length > 0 ||
        nameProblems.length > 0);
    if (Object.keys(found).length > 0 || nameRefused) {
      return;
    }
    const body: CreateRestoreRequest = {
      ...(byTime
        ? { pointInTime: chosenTime!.toISOString().replace(/\.000Z$/, 'Z') }
        : { snapshotId: snapshot!.id }),
      target,
      reason: reason.trim(),
      ...(targetName ? { targetName } : {}),
    };
    setSubmitting(true);
    setFailure(undefined);
    try {
      const request = await dbaasApi.requestRestore(ref, body);
      onRequested(request);
      onClose();
    } catch (error) {
      setFailure(
        plainMessage(describeRestoreRequestError(error as Error, ref)),
      );
      setSubmitting(false);
    }
  };

  return (
    <>
      <DialogTitle id="dbaas-restore-dialog-title">
        Request a restore of {database.namespace}/{database.name}
      </DialogTitle>
      <DialogContent>
        {pitrWindow && (
          <TextField
            select
            fullWidth
            id="dbaas-restore-source"
            label="Restore from"
            value={source}
            onChange={e =>
              setSource(e.target.value as 'snapshot' | 'point-in-time')
            }
            SelectProps={{ native: true }}
          >
            <option value="snapshot">A snapshot</option>
            <option value="point-in-time">
              A point in time (any second of the restore window)
            </option>
          </TextField>
        )}
        {byTime ? (
          <TextField
            fullWidth
            id="dbaas-restore-point-in-time"
            label="Point in time (UTC)"
            type="datetime-local"
            className={classes.field}
            value={pointInTime}
            onChange={e => setPointInTime(e.target.value)}
            InputLabelProps={{ shrink: true }}
            inputProps={{
              step: 1,
              min: toUtcInputValue(earliestSecond(pitrWindow)),
              max: toUtcInputValue(pitrWindow.latest),
            }}
            error={!!problems.pointInTime}
            helperText={
              problems.pointInTime ??
              `The data comes back as it was at this second. Any second from ${formatUtcSecond(
                earliestSecond(pitrWindow),
              )} to ${formatUtcSecond(pitrWindow.latest)}.`
            }
          />
        ) : (
          <TextField
            select
            fullWidth
            id="dbaas-restore-snapshot"
            label="Snapshot"
            className={pitrWindow ? classes.field : undefined}
            value={snapshotId}
            onChange={e => setSnapshotId(e.target.value)}
            SelectProps={{ native: true }}
            helperText="The data comes back as it was at this moment."
          >
            {available.map(s => (
              <option key={s.id} value={s.id}>
                {describeSnapshot(s)}
              </option>
            ))}
          </TextField>
        )}

        <TextField
          select
          fullWidth
          id="dbaas-restore-target"
          label="Target"
          className={classes.field}
          value={target}
          onChange={e => {
            setTarget(e.target.value as RestoreTarget);
            setFailure(undefined);
          }}
          SelectProps={{ native: true }}
        >
          <option value="new-database">
            A new database (recommended: the original stays as it is)
          </option>
          <option value="in-place">
            In place (replaces the data of {database.databaseName})
          </option>
        </TextField>

        {target === 'new-database' ? (
          <>
            <TextField
              fullWidth
              id="dbaas-restore-target-name"
              label="Name of the new database (optional)"
              className={classes.field}
              value={customName}
              onChange={e => {
                setCustomName(e.target.value);
                // A refusal was about the name sent; it no longer applies.
                setFailure(undefined);
              }}
              placeholder={`${database.name}-restored-<yyyymmddhhmm>`}
              error={nameProblems.length > 0}
              helperText={nameHelp}
              inputProps={{ spellCheck: false, autoComplete: 'off' }}
            />
            <div className={classes.summary} aria-label="What will happen">
              <Typography variant="body2">
                {byTime ? 'The data as it was then is' : 'The snapshot is'}{' '}
                restored into a new database{' '}
                <span className={classes.name}>
                  {database.namespace}-{previewName}
                </span>{' '}
                ({database.namespace}/{previewName}) with its own read, write
                and admin roles and secrets. {database.databaseName} stays as it
                is. One person other than you must approve.
              </Typography>
            </div>
          </>
        ) : (
          <>
            <InPlaceWarning database={database} snapshotCreatedAt={dataFrom} />
            <TextField
              fullWidth
              id="dbaas-restore-confirmation"
              label={`Type ${database.databaseName} to confirm`}
              value={confirmation}
              onChange={e => setConfirmation(e.target.value)}
              error={!!problems.confirmation}
              helperText={problems.confirmation}
              autoComplete="off"
            />
          </>
        )}

        <TextField
          fullWidth
          multiline
          minRows={2}
          required
          id="dbaas-restore-reason"
          label="Reason"
          className={classes.field}
          value={reason}
          onChange={e => setReason(e.target.value)}
          error={!!problems.reason}
          helperText={
            problems.reason ??
            'What happened and why this snapshot: shown to approvers, kept in the audit trail.'
          }
        />

        {failure && (
          <Typography
            color="error"
            role="alert"
            className={classes.field}
            data-testid="dbaas-restore-error"
          >
            {failure}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={submitting}>
          Cancel
        </Button>
        <Button
          color={target === 'in-place' ? 'secondary' : 'primary'}
          variant="contained"
          onClick={submit}
          disabled={submitting || (!byTime && !snapshot)}
        >
          Request restore
        </Button>
      </DialogActions>
    </>
  );
};

/**
 * Asks for a restore: which snapshot (or, on Aurora, which second of the
 * restore window), where to (a new database unless told
 * otherwise) and why. It says what will happen before anything is sent; an
 * in-place restore must be confirmed by typing the database's name.
 */
export const RequestRestoreDialog = (props: RequestRestoreDialogProps) => (
  <Dialog
    open={props.open}
    onClose={props.onClose}
    maxWidth="md"
    fullWidth
    aria-labelledby="dbaas-restore-dialog-title"
    PaperProps={{ 'data-testid': 'dbaas-restore-dialog' } as object}
  >
    {/* Mounted only while open, so each opening starts from the defaults. */}
    {props.open && <RestoreForm {...props} />}
  </Dialog>
);
