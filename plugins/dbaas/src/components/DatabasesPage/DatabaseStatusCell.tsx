import { ReactNode } from 'react';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CheckCircleOutline from '@material-ui/icons/CheckCircleOutline';
import CloudOff from '@material-ui/icons/CloudOff';
import ErrorOutline from '@material-ui/icons/ErrorOutline';
import HourglassEmpty from '@material-ui/icons/HourglassEmpty';
import RemoveCircleOutline from '@material-ui/icons/RemoveCircleOutline';
import ReportProblemOutlined from '@material-ui/icons/ReportProblemOutlined';
import type { DatabaseSummary } from '@dbaas/plugin-dbaas-common';
import { describeSince } from './describeSince';
import { restoredFromText } from '../common/restoredFrom';
import {
  STATUS_PRESENTATION,
  StatusPresentation,
  StatusTone,
} from './statusPresentation';

const useStyles = makeStyles(theme => ({
  status: {
    display: 'flex',
    alignItems: 'center',
    fontWeight: theme.typography.fontWeightMedium as number,
  },
  icon: {
    fontSize: '1.1em',
    marginRight: theme.spacing(0.5),
    flexShrink: 0,
  },
  ok: { color: theme.palette.success.main },
  progress: { color: theme.palette.info.main },
  error: { color: theme.palette.error.main },
  warning: { color: theme.palette.warning.main },
  inactive: { color: theme.palette.text.disabled },
  unknown: { color: theme.palette.text.secondary },
}));

const TONE_ICONS: Record<StatusTone, typeof CheckCircleOutline> = {
  ok: CheckCircleOutline,
  progress: HourglassEmpty,
  error: ErrorOutline,
  warning: ReportProblemOutlined,
  inactive: RemoveCircleOutline,
  unknown: CloudOff,
};

function StatusLine(props: {
  tone: StatusTone;
  description: string;
  children: ReactNode;
}) {
  const classes = useStyles();
  const Icon = TONE_ICONS[props.tone];
  return (
    <Typography
      component="span"
      variant="body2"
      className={classes.status}
      title={props.description}
    >
      <Icon
        aria-hidden
        className={`${classes.icon} ${classes[props.tone]}`}
        data-testid={`status-${props.tone}`}
      />
      {props.children}
    </Typography>
  );
}

function Since(props: { timestamp: string }) {
  const since = describeSince(props.timestamp);
  return (
    <time
      dateTime={props.timestamp}
      title={since ? new Date(props.timestamp).toLocaleString() : undefined}
    >
      {since ?? props.timestamp}
    </time>
  );
}

/**
 * A database's status and since when. While its cluster cannot be reached,
 * the status shown is "Unknown", with the last status known below: the
 * database has not failed, nobody can tell how it is.
 */
export function DatabaseStatusCell(props: { database: DatabaseSummary }) {
  const { status, statusSince, unknownSince, unknownReason } = props.database;
  // A status newer than this plugin still shows, as itself.
  const presentation: StatusPresentation = STATUS_PRESENTATION[status] ?? {
    label: status,
    description: status,
    tone: 'unknown',
  };

  if (unknownSince) {
    return (
      <>
        <StatusLine
          tone="unknown"
          description={
            unknownReason
              ? `The cluster cannot be reached: ${unknownReason}`
              : 'The cluster cannot be reached'
          }
        >
          Unknown&nbsp;
          <Since timestamp={unknownSince} />
        </StatusLine>
        <Typography variant="caption" color="textSecondary" display="block">
          Last known: {presentation.label} <Since timestamp={statusSince} />
        </Typography>
        {unknownReason && (
          <Typography variant="caption" color="textSecondary" display="block">
            {unknownReason}
          </Typography>
        )}
      </>
    );
  }

  return (
    <>
      <StatusLine
        tone={presentation.tone}
        description={presentation.description}
      >
        {presentation.label}
      </StatusLine>
      <Typography variant="caption" color="textSecondary" display="block">
        <Since timestamp={statusSince} />
      </Typography>
      {props.database.restoredFrom && (
        <Typography variant="caption" color="textSecondary" display="block">
          {restoredFromText(props.database.restoredFrom)}
        </Typography>
      )}
    </>
  );
}
