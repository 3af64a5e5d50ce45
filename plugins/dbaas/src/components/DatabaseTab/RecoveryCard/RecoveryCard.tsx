import { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { InfoCard, Progress } from '@backstage/core-components';
import type {
  DatabaseRecoveryResponse,
  DatabaseRef,
  RecoveryPointObjective,
  RecoveryTimeObjective,
} from '@dbaas/plugin-dbaas-common';
import { describeError } from '../../common/describeError';
import { RelativeTime } from '../../common/RelativeTime';
import { formatDuration } from '@dbaas/plugin-dbaas-common';
import { ObjectiveChip } from '../../recovery/ObjectiveChip';
import { DrillList } from './DrillList';
import { lastDrillText } from './drillText';
import { useRecovery } from './useRecovery';

const useStyles = makeStyles(theme => ({
  objective: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    alignItems: 'baseline',
    marginBottom: theme.spacing(2),
  },
  heading: {
    marginTop: theme.spacing(1),
  },
}));

const TITLE = 'Recovery objectives';

const SOURCE: Record<NonNullable<RecoveryPointObjective['source']>, string> = {
  snapshot: 'the newest available snapshot',
  'restorable-time': "the cluster's latest restorable time",
};

const Objective = (props: {
  name: string;
  chip: ReactNode;
  children: ReactNode;
}) => {
  const classes = useStyles();
  return (
    <div className={classes.objective} aria-label={props.name} role="group">
      {props.chip}
      <div>{props.children}</div>
    </div>
  );
};

const Rpo = ({ rpo }: { rpo: RecoveryPointObjective }) => (
  <Objective
    name="Recovery point objective"
    chip={<ObjectiveChip label="RPO" status={rpo.status} />}
  >
    <Typography variant="body2">
      At most {formatDuration(rpo.targetSeconds)} of data lost.{' '}
      {rpo.recoveryPointAt && rpo.source ? (
        <>
          Restorable to <RelativeTime iso={rpo.recoveryPointAt} />,{' '}
          {SOURCE[rpo.source]}
          {rpo.ageSeconds !== undefined
            ? ` (${formatDuration(rpo.ageSeconds)} old)`
            : ''}
          .
        </>
      ) : null}
    </Typography>
    {rpo.missedSince && (
      <Typography variant="body2" color="error">
        Missed since <RelativeTime iso={rpo.missedSince} />.
      </Typography>
    )}
    {rpo.reason && (
      <Typography variant="body2" color="textSecondary">
        {rpo.reason}
      </Typography>
    )}
  </Objective>
);

const Rto = ({ rto }: { rto: RecoveryTimeObjective }) => (
  <Objective
    name="Recovery time objective"
    chip={<ObjectiveChip label="RTO" status={rto.status} />}
  >
    <Typography variant="body2">
      Restored within {formatDuration(rto.targetSeconds)}.
      {rto.estimateSeconds !== undefined &&
        ` Measured: ${formatDuration(rto.estimateSeconds)}`}
      {rto.basis && ` (${rto.basis.method}).`}
    </Typography>
    {rto.reason && (
      <Typography
        variant="body2"
        color={rto.status === 'missed' ? 'error' : 'textSecondary'}
      >
        {rto.reason}
      </Typography>
    )}
  </Objective>
);

const Drills = ({ recovery }: { recovery: DatabaseRecoveryResponse }) => {
  const classes = useStyles();
  const last = lastDrillText(recovery.drills);
  const failed = recovery.drills[0]?.state === 'failed';
  return (
    <>
      <Typography variant="subtitle2" className={classes.heading}>
        Restore drills
      </Typography>
      <Typography
        variant="body2"
        color={failed ? 'error' : 'textPrimary'}
        paragraph
        data-testid="dbaas-last-drill"
      >
        {last ?? recovery.drillsUnavailable ?? 'No drill yet.'}
      </Typography>
      {last && recovery.drillsUnavailable && (
        <Typography variant="body2" color="textSecondary" paragraph>
          {recovery.drillsUnavailable}
        </Typography>
      )}
      {recovery.drills.length > 0 && <DrillList drills={recovery.drills} />}
    </>
  );
};

/**
 * The RPO and RTO of a database for its environment and mode, what was
 * measured against them, and its restore drills: a drill restores the
 * newest snapshot into a scratch database, verifies it, times it and drops
 * it, never touching the database itself.
 */
export const RecoveryCard = ({ databaseRef }: { databaseRef: DatabaseRef }) => {
  const recovery = useRecovery(databaseRef);
  if (recovery.state === 'loading') {
    return (
      <InfoCard title={TITLE}>
        <Progress aria-label="Loading the recovery objectives" />
      </InfoCard>
    );
  }
  if (recovery.state === 'failed') {
    return (
      <InfoCard title={TITLE}>
        <Typography variant="body2" color="error" paragraph>
          Could not load the recovery objectives:{' '}
          {describeError(recovery.error)}
        </Typography>
        <Button variant="outlined" onClick={recovery.retry}>
          Retry
        </Button>
      </InfoCard>
    );
  }
  const { value } = recovery;
  return (
    <InfoCard
      title={TITLE}
      subheader={
        value.environment
          ? `For ${value.environment} ${value.mode} databases`
          : `For ${value.mode} databases`
      }
    >
      <Box>
        <Rpo rpo={value.rpo} />
        <Rto rto={value.rto} />
        <Drills recovery={value} />
      </Box>
    </InfoCard>
  );
};
