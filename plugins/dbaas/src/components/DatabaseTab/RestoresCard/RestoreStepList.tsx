import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CheckCircle from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import RadioButtonUnchecked from '@material-ui/icons/RadioButtonUnchecked';
import RemoveCircleOutline from '@material-ui/icons/RemoveCircleOutline';
import Schedule from '@material-ui/icons/Schedule';
import Sync from '@material-ui/icons/Sync';
import type {
  RestoreRequest,
  SnapshotSource,
} from '@dbaas/plugin-dbaas-common';
import { formatAbsoluteTime } from '../../common/formatTime';
import {
  STEP_DESCRIPTIONS,
  StepProgress,
  inferSnapshotSource,
  isAuroraOnlyStep,
  stepStates,
} from './restoreSteps';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    display: 'flex',
    alignItems: 'flex-start',
    padding: theme.spacing(0.5, 1),
    borderLeft: '3px solid transparent',
  },
  active: {
    borderLeftColor: theme.palette.info.main,
    background: theme.palette.action.hover,
  },
  failed: {
    borderLeftColor: theme.palette.error.main,
    background: theme.palette.action.hover,
  },
  icon: { marginRight: theme.spacing(1), fontSize: '1.2rem', marginTop: 2 },
  done: { color: theme.palette.success.main },
  activeIcon: { color: theme.palette.info.main },
  failedIcon: { color: theme.palette.error.main },
  muted: { color: theme.palette.text.disabled },
  name: { fontFamily: 'monospace', fontWeight: 500 },
  failedName: { color: theme.palette.error.main },
}));

const PROGRESS_LABELS: Record<StepProgress, string> = {
  done: 'done',
  active: 'running now',
  awaiting: 'waits for the finalize',
  failed: 'failed',
  pending: 'not started',
  skipped: 'did not run',
  scheduled: 'scheduled',
};

function StepIcon({ progress }: { progress: StepProgress }) {
  const classes = useStyles();
  switch (progress) {
    case 'done':
      return <CheckCircle className={`${classes.icon} ${classes.done}`} />;
    case 'active':
      return <Sync className={`${classes.icon} ${classes.activeIcon}`} />;
    case 'failed':
      return <ErrorIcon className={`${classes.icon} ${classes.failedIcon}`} />;
    case 'scheduled':
      return <Schedule className={`${classes.icon} ${classes.muted}`} />;
    case 'awaiting':
      return <Schedule className={`${classes.icon} ${classes.activeIcon}`} />;
    case 'skipped':
      return (
        <RemoveCircleOutline className={`${classes.icon} ${classes.muted}`} />
      );
    default:
      return (
        <RadioButtonUnchecked className={`${classes.icon} ${classes.muted}`} />
      );
  }
}

/**
 * The workflow's steps for this request, in order, each with how far it
 * got: the running step highlighted, a failed one red. `source` (from the
 * snapshot list) leaves out the steps its kind of snapshot skips; without
 * it the request's own progress decides, or the Aurora-only steps are
 * marked as such.
 */
export const RestoreStepList = ({
  request,
  source,
}: {
  request: RestoreRequest;
  source?: SnapshotSource;
}) => {
  const classes = useStyles();
  const knownSource = source ?? inferSnapshotSource(request);
  return (
    <ol className={classes.list} aria-label="Restore steps">
      {stepStates(request, knownSource).map(({ step, progress }) => {
        const highlight = {
          active: classes.active,
          awaiting: classes.active,
          failed: classes.failed,
        }[progress as string];
        const label =
          progress === 'scheduled' && request.safetyCopy
            ? `after ${formatAbsoluteTime(request.safetyCopy.dropAfter)}`
            : PROGRESS_LABELS[progress];
        return (
          <li
            key={step}
            className={`${classes.item} ${highlight ?? ''}`}
            aria-current={progress === 'active' ? 'step' : undefined}
            data-testid={`dbaas-restore-step-${step}`}
            data-progress={progress}
          >
            <StepIcon progress={progress} />
            <div>
              <Typography variant="body2" component="span">
                <span
                  className={`${classes.name} ${
                    progress === 'failed' ? classes.failedName : ''
                  }`}
                >
                  {step}
                </span>{' '}
                — {label}
                {!knownSource && isAuroraOnlyStep(step)
                  ? ' (Aurora snapshots only)'
                  : ''}
              </Typography>
              <Typography
                variant="caption"
                color="textSecondary"
                display="block"
              >
                {STEP_DESCRIPTIONS[step]}
              </Typography>
            </div>
          </li>
        );
      })}
    </ol>
  );
};
