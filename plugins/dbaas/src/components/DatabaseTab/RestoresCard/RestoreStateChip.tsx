import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';
import type { RestoreState } from '@dbaas/plugin-dbaas-common';
import {
  RESTORE_STATE_PRESENTATION,
  RestoreTone,
} from './restoreStatePresentation';

const useStyles = makeStyles(theme => {
  const tone = (color: string) => ({
    color: theme.palette.getContrastText(color),
    backgroundColor: color,
    fontWeight: theme.typography.fontWeightMedium as number,
  });
  return {
    waiting: tone(theme.palette.warning.main),
    progress: tone(theme.palette.info.main),
    ok: tone(theme.palette.success.main),
    error: tone(theme.palette.error.main),
    inactive: {
      color: theme.palette.text.secondary,
      backgroundColor: theme.palette.action.selected,
    },
  } satisfies Record<RestoreTone, object>;
});

/**
 * A restore request's state, coloured, with what it means on hover. The
 * state as the API names it sits in `data-testid="dbaas-restore-state"`.
 */
export const RestoreStateChip = ({ state }: { state: RestoreState }) => {
  const classes = useStyles();
  // A state newer than this plugin still shows, as itself.
  const presentation = RESTORE_STATE_PRESENTATION[state] ?? {
    tone: 'inactive',
    description: state,
  };
  return (
    <Chip
      size="small"
      className={classes[presentation.tone]}
      title={presentation.description}
      label={<span data-testid="dbaas-restore-state">{state}</span>}
    />
  );
};
