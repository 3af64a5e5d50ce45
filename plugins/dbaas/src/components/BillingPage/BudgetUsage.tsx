import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';
import WarningIcon from '@material-ui/icons/ReportProblemOutlined';
import { BudgetLevel, budgetLevel, formatBudgetPercent } from './budgetLevel';

const useStyles = makeStyles(theme => ({
  bar: {
    height: 6,
    borderRadius: 3,
    marginTop: theme.spacing(0.5),
  },
  ok: { backgroundColor: theme.palette.success.main },
  warning: { backgroundColor: theme.palette.warning.main },
  exceeded: { backgroundColor: theme.palette.error.main },
  warningText: { color: theme.palette.warning.dark },
  exceededText: { color: theme.palette.error.main },
  icon: { fontSize: '1em', marginRight: theme.spacing(0.5) },
}));

const LEVEL_WORDS: Record<Exclude<BudgetLevel, 'none'>, string> = {
  ok: '',
  warning: 'near budget',
  exceeded: 'over budget',
};

/**
 * How much of its monthly budget a tenant has used, month-to-date: a bar
 * on a neutral track (0.1 % looks empty, not full) and the percentage,
 * amber from 80 %, red from 100 %, with words and an icon so the state does
 * not rest on color alone.
 */
export const BudgetUsage = (props: { budgetUsedPercent?: number }) => {
  const classes = useStyles();
  const theme = useTheme();
  const level = budgetLevel(props.budgetUsedPercent);
  if (level === 'none') {
    return (
      <Typography variant="body2" color="textSecondary" component="span">
        no budget
      </Typography>
    );
  }
  const percent = props.budgetUsedPercent!;
  const textClass = {
    ok: undefined,
    warning: classes.warningText,
    exceeded: classes.exceededText,
  }[level];
  return (
    <Box minWidth={120} data-budget-level={level}>
      <Typography
        variant="body2"
        component="span"
        className={textClass}
        style={{ display: 'inline-flex', alignItems: 'center' }}
      >
        {level === 'exceeded' && (
          <ErrorOutlineIcon aria-hidden className={classes.icon} />
        )}
        {level === 'warning' && (
          <WarningIcon aria-hidden className={classes.icon} />
        )}
        {formatBudgetPercent(percent)}
        {LEVEL_WORDS[level] ? ` · ${LEVEL_WORDS[level]}` : ''}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={Math.min(100, percent)}
        aria-label={`Budget used: ${formatBudgetPercent(percent)}`}
        classes={{ root: classes.bar, bar: classes[level] }}
        // A neutral track, inline so that it wins over MUI's colorPrimary
        // (a light tint of the primary color, which next to a thin colored
        // bar reads as a full bar).
        style={{
          backgroundColor:
            theme.palette.type === 'dark'
              ? theme.palette.grey[700]
              : theme.palette.grey[300],
        }}
      />
    </Box>
  );
};
