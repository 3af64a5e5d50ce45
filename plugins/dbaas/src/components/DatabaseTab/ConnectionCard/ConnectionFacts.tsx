import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type {
  ConnectionInfo,
  RoleConnection,
} from '@dbaas/plugin-dbaas-common';

const useStyles = makeStyles(theme => ({
  list: {
    margin: theme.spacing(0, 0, 2, 0),
  },
  label: {
    color: theme.palette.text.secondary,
    fontSize: '10px',
    fontWeight: 'bold',
    letterSpacing: 0.5,
    textTransform: 'uppercase',
  },
  value: {
    margin: 0,
    fontFamily: 'monospace',
    wordBreak: 'break-all',
  },
}));

/** The facts behind the snippets, for tools that ask field by field. */
export const ConnectionFacts = ({
  info,
  role,
}: {
  info: ConnectionInfo;
  role: RoleConnection;
}) => {
  const classes = useStyles();
  const facts: Array<[string, string]> = [
    ['Host', `${role.host}:${role.port}`],
    ['Database', role.database],
    ['User', role.username],
    [
      'Kubernetes Secret',
      `${role.kubernetesNamespace}/${role.kubernetesSecretName}`,
    ],
    ['Secret manager path', role.secretManagerPath],
    ['From your laptop', `${info.localHost}:${info.localPort}`],
  ];
  return (
    <Grid
      container
      spacing={1}
      component="dl"
      className={classes.list}
      aria-label="Connection facts"
    >
      {facts.map(([label, value]) => (
        <Grid item xs={12} sm={6} md={4} key={label}>
          <Typography component="dt" className={classes.label}>
            {label}
          </Typography>
          <Typography component="dd" variant="body2" className={classes.value}>
            {value}
          </Typography>
        </Grid>
      ))}
    </Grid>
  );
};
