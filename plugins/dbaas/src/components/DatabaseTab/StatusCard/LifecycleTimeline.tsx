import Step from '@material-ui/core/Step';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { DatabaseStatus } from '@dbaas/plugin-dbaas-common';
import { lifecycleSteps } from './lifecycle';

const useStyles = makeStyles(theme => ({
  stepper: {
    padding: theme.spacing(2, 0),
    background: 'transparent',
  },
  current: {
    fontWeight: theme.typography.fontWeightBold as number,
  },
}));

/**
 * The lifecycle as a horizontal stepper: done steps ticked, the current one
 * bold and marked `aria-current="step"`, a failed one in red.
 */
export const LifecycleTimeline = ({ status }: { status: DatabaseStatus }) => {
  const classes = useStyles();
  const steps = lifecycleSteps(status);
  if (steps.length === 0) {
    return null;
  }
  const activeStep = steps.findIndex(
    step => step.state === 'current' || step.state === 'failed',
  );
  return (
    <Stepper
      activeStep={activeStep}
      alternativeLabel
      className={classes.stepper}
      role="list"
      aria-label="Lifecycle"
    >
      {steps.map(step => (
        <Step
          key={step.label}
          role="listitem"
          completed={step.state === 'done' || step.reached || undefined}
          aria-current={
            step.state === 'current' || step.state === 'failed'
              ? 'step'
              : undefined
          }
        >
          <StepLabel
            error={step.state === 'failed'}
            optional={
              step.caption ? (
                <Typography
                  variant="caption"
                  color={step.state === 'failed' ? 'error' : 'textSecondary'}
                  display="block"
                >
                  {step.caption}
                </Typography>
              ) : undefined
            }
            classes={{
              label:
                step.state === 'current' || step.state === 'failed'
                  ? classes.current
                  : undefined,
            }}
          >
            {step.label}
          </StepLabel>
        </Step>
      ))}
    </Stepper>
  );
};
