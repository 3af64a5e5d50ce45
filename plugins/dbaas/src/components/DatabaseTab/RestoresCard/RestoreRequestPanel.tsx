import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { Link } from '@backstage/core-components';
import {
  RestoreRequest,
  SnapshotSource,
  isActiveRestoreState,
} from '@dbaas/plugin-dbaas-common';
import { CancelRestoreButton } from './CancelRestoreButton';
import { RestoreFacts, RestoreTargetText } from './RestoreFacts';
import { RestoreLog } from './RestoreLog';
import { RestorePreviewPanel } from './RestorePreviewPanel';
import { RestoreStateChip } from './RestoreStateChip';
import { RestoreStepList } from './RestoreStepList';
import { RestoredCopyPanel } from './RestoredCopyPanel';
import { RESTORE_STATE_PRESENTATION } from './restoreStatePresentation';
import { useApprovalsPageLink } from './useApprovalsPageLink';

const useStyles = makeStyles(theme => ({
  panel: {
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    padding: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
  section: { marginTop: theme.spacing(2) },
}));

/**
 * One restore request on the database's tab: its state, where the data
 * goes, the decisions, the steps and the log. A finished request starts
 * folded to its header.
 */
export const RestoreRequestPanel = ({
  request,
  source,
  onChanged,
}: {
  request: RestoreRequest;
  source?: SnapshotSource;
  onChanged: (request: RestoreRequest) => void;
}) => {
  const classes = useStyles();
  const active = isActiveRestoreState(request.state);
  const [open, setOpen] = useState(active || request.state === 'failed');
  const approvalsLink = useApprovalsPageLink();
  return (
    <section
      className={classes.panel}
      data-testid={`dbaas-restore-${request.id}`}
      aria-label={`Restore request ${request.id}`}
    >
      <div className={classes.header}>
        <RestoreStateChip state={request.state} />
        <Typography variant="body2" component="span">
          <RestoreTargetText request={request} />
        </Typography>
        <Box flexGrow={1} />
        {request.allowedActions.includes('cancel') && (
          <CancelRestoreButton request={request} onChanged={onChanged} />
        )}
        <Button size="small" onClick={() => setOpen(!open)}>
          {open ? 'Hide details' : 'Show details'}
        </Button>
      </div>
      <Typography variant="caption" color="textSecondary">
        {RESTORE_STATE_PRESENTATION[request.state]?.description}
        {request.state === 'pending-approval' && approvalsLink && (
          <>
            {'. Approvers decide on the '}
            <Link to={approvalsLink}>Restore approvals</Link> page.
          </>
        )}
      </Typography>
      {request.copy && (
        <RestoredCopyPanel
          copy={request.copy}
          onChanged={copy => onChanged({ ...request, copy })}
        />
      )}
      {request.state === 'awaiting-finalize' && (
        <RestorePreviewPanel
          request={request}
          onChanged={() => onChanged(request)}
        />
      )}
      {open && (
        <Grid container spacing={2} className={classes.section}>
          <Grid item xs={12} md={6}>
            <RestoreFacts request={request} />
          </Grid>
          <Grid item xs={12} md={6}>
            <RestoreStepList request={request} source={source} />
          </Grid>
          <Grid item xs={12}>
            <Typography variant="subtitle2" gutterBottom>
              Log
            </Typography>
            <RestoreLog log={request.log} />
          </Grid>
        </Grid>
      )}
    </section>
  );
};
