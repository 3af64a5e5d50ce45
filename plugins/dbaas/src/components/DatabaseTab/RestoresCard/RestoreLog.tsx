import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { RestoreLogEntry } from '@dbaas/plugin-dbaas-common';

const useStyles = makeStyles(theme => ({
  table: {
    width: '100%',
    borderCollapse: 'collapse',
    fontSize: theme.typography.body2.fontSize,
    '& td, & th': {
      textAlign: 'left',
      verticalAlign: 'top',
      padding: theme.spacing(0.25, 1),
      borderBottom: `1px solid ${theme.palette.divider}`,
    },
  },
  time: { whiteSpace: 'nowrap', fontFamily: 'monospace' },
  message: {
    fontFamily: 'monospace',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
  },
  info: {},
  warning: { color: theme.palette.warning.dark, fontWeight: 500 },
  error: { color: theme.palette.error.main, fontWeight: 500 },
}));

/** `2026-03-04 12:00:05 UTC`: log lines are compared with server logs. */
function formatLogTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** The step log of a restore request, oldest line first. */
export const RestoreLog = ({ log }: { log: RestoreLogEntry[] }) => {
  const classes = useStyles();
  if (log.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No log lines yet: the workflow writes here once it runs.
      </Typography>
    );
  }
  return (
    <table className={classes.table} aria-label="Restore log">
      <thead>
        <tr>
          <th>Time</th>
          <th>Level</th>
          <th>Step</th>
          <th>Message</th>
        </tr>
      </thead>
      <tbody>
        {log.map((entry, index) => (
          <tr key={index} className={classes[entry.level] ?? ''}>
            <td className={classes.time}>
              <time dateTime={entry.at}>{formatLogTime(entry.at)}</time>
            </td>
            <td>{entry.level}</td>
            <td>{entry.step ?? ''}</td>
            <td className={classes.message}>{entry.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};
