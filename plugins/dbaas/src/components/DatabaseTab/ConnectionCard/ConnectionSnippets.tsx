import Grid from '@material-ui/core/Grid';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { Link } from '@backstage/core-components';
import type { ConnectionInfo, SslMode } from '@dbaas/plugin-dbaas-common';
import {
  SNIPPET_FORMATS,
  SNIPPET_TITLES,
  SnippetFormat,
  buildSnippet,
} from '../../snippets';
import { ConnectionFacts } from './ConnectionFacts';
import { RadioChoice } from './RadioChoice';
import { SnippetView } from './SnippetView';
import {
  ROLE_CHOICES,
  RoleAccess,
  SSLMODE_CHOICES,
  useConnectionSearchParams,
} from './connectionSearchParams';

const useStyles = makeStyles(theme => ({
  controls: {
    marginBottom: theme.spacing(2),
  },
  tabs: {
    borderBottom: `1px solid ${theme.palette.divider}`,
    marginBottom: theme.spacing(2),
  },
  paragraph: {
    marginBottom: theme.spacing(1),
  },
}));

const ROLE_DESCRIPTIONS: Record<RoleAccess, string> = {
  read: 'SELECT on the tables of schema public',
  write:
    'SELECT, INSERT, UPDATE, DELETE, TRUNCATE on the tables of schema public',
  admin: 'Owner of schema public: creates tables and other schemas',
};

const SSLMODE_DESCRIPTIONS: Record<SslMode, string> = {
  require: 'Encrypted; the server is not verified (the minimum)',
  'verify-full':
    "Encrypted, and the server's certificate and name are checked against a CA file (recommended for production)",
};

/**
 * The role and sslmode pickers, the facts of the chosen role, and one
 * snippet per format tab. The choices live in the URL.
 */
export const ConnectionSnippets = ({ info }: { info: ConnectionInfo }) => {
  const classes = useStyles();
  const writeRole = info.roles.find(r => r.access === 'write') ?? info.roles[0];
  const { role, sslmode, format, setRole, setSslmode, setFormat } =
    useConnectionSearchParams(writeRole?.sslmode ?? 'require');
  const roleConnection = info.roles.find(r => r.access === role);

  if (!roleConnection) {
    return (
      <Typography variant="body2" color="textSecondary" role="status">
        The backend describes no {role} role for this database.
      </Typography>
    );
  }
  const snippet = buildSnippet(format, { info, role: roleConnection, sslmode });

  return (
    <>
      <Grid container spacing={2} className={classes.controls}>
        <Grid item xs={12} md={6}>
          <RadioChoice
            label="Role"
            name="dbaas-role"
            choices={ROLE_CHOICES}
            value={role}
            descriptions={ROLE_DESCRIPTIONS}
            onChange={setRole}
          />
        </Grid>
        <Grid item xs={12} md={6}>
          <RadioChoice
            label="sslmode"
            name="dbaas-sslmode"
            choices={SSLMODE_CHOICES}
            value={sslmode}
            descriptions={SSLMODE_DESCRIPTIONS}
            onChange={setSslmode}
          />
        </Grid>
      </Grid>

      <ConnectionFacts info={info} role={roleConnection} />

      <Tabs
        value={format}
        onChange={(_event, value: SnippetFormat) => setFormat(value)}
        variant="scrollable"
        scrollButtons="auto"
        indicatorColor="primary"
        textColor="primary"
        aria-label="Snippet format"
        className={classes.tabs}
      >
        {SNIPPET_FORMATS.map(choice => (
          <Tab
            key={choice}
            value={choice}
            label={SNIPPET_TITLES[choice]}
            id={`dbaas-snippet-tab-${choice}`}
            aria-controls="dbaas-snippet-panel"
          />
        ))}
      </Tabs>
      <div
        role="tabpanel"
        id="dbaas-snippet-panel"
        aria-labelledby={`dbaas-snippet-tab-${format}`}
      >
        <SnippetView snippet={snippet} />
      </div>

      {info.pgAdminUrl && (
        <Typography variant="body2" className={classes.paragraph}>
          Prefer a web interface? <Link to={info.pgAdminUrl}>Open pgAdmin</Link>{' '}
          and sign in as {roleConnection.username}.
        </Typography>
      )}
    </>
  );
};
