import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import type { ObjectiveStatus } from '@dbaas/plugin-dbaas-common';

const useStyles = makeStyles(theme => {
  const tone = (color: string) => ({
    color: theme.palette.getContrastText(color),
    backgroundColor: color,
    fontWeight: theme.typography.fontWeightMedium as number,
  });
  return {
    met: tone(theme.palette.success.main),
    missed: tone(theme.palette.error.main),
    unknown: {
      color: theme.palette.text.secondary,
      backgroundColor: theme.palette.action.selected,
    },
  } satisfies Record<ObjectiveStatus, object>;
});

const LABELS: Record<ObjectiveStatus, string> = {
  met: 'met',
  missed: 'missed',
  unknown: 'unknown',
};

/**
 * Whether an objective holds, coloured; `title` explains it on hover. The
 * status as the API names it sits in `data-testid="dbaas-objective-status"`.
 */
export const ObjectiveChip = (props: {
  status: ObjectiveStatus;
  label?: string;
  title?: string;
}) => {
  const classes = useStyles();
  const { status } = props;
  return (
    <Chip
      size="small"
      className={classes[status] ?? classes.unknown}
      title={props.title}
      label={
        <>
          {props.label ? `${props.label} ` : ''}
          <span data-testid="dbaas-objective-status">
            {LABELS[status] ?? status}
          </span>
        </>
      }
    />
  );
};
