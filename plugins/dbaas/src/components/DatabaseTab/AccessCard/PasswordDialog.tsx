import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { WarningPanel } from '@backstage/core-components';
import type { ActivatedAccessGrant } from '@dbaas/plugin-dbaas-common';
import { CodeBlock } from '../ConnectionCard/CodeBlock';

/**
 * The one time the personal password is shown. It lives only in this
 * dialog's props: closing it drops it, and the backend cannot show it again.
 */
export const PasswordDialog = (props: {
  activated?: ActivatedAccessGrant;
  onClose: () => void;
}) => {
  const credentials = props.activated?.credentials;
  return (
    <Dialog
      open={Boolean(credentials)}
      onClose={props.onClose}
      fullWidth
      maxWidth="md"
      aria-labelledby="dbaas-access-password-title"
    >
      <DialogTitle id="dbaas-access-password-title">
        Your personal access is active
      </DialogTitle>
      {credentials && (
        <DialogContent>
          <WarningPanel
            severity="warning"
            title="This password is shown once"
            // Open: the one thing to read before closing must not hide
            // behind a click.
            defaultExpanded
            message="Copy it now. Nobody can show it again, not even the platform team: when you close this dialog it is gone. Ask for new access if you lose it."
          />
          <Typography variant="body2" paragraph style={{ marginTop: 16 }}>
            Log in as <code>{credentials.username}</code> to{' '}
            <code>{credentials.database}</code> until{' '}
            <time dateTime={credentials.validUntil}>
              {new Date(credentials.validUntil).toLocaleString()}
            </time>
            . Your session acts as the database&apos;s role; logins stop at that
            time and open sessions are ended.
          </Typography>
          <Typography variant="subtitle2">Password</Typography>
          <CodeBlock
            code={credentials.password}
            language="text"
            testId="dbaas-access-password"
            copyLabel="Copy the password"
          />
          {credentials.portForwardCommand && (
            <>
              <Typography variant="subtitle2">
                First, reach the cluster
              </Typography>
              <CodeBlock
                code={credentials.portForwardCommand}
                language="bash"
                testId="dbaas-access-port-forward"
                copyLabel="Copy the port-forward command"
              />
            </>
          )}
          <Typography variant="subtitle2">psql</Typography>
          <CodeBlock
            code={credentials.psqlCommand}
            language="bash"
            testId="dbaas-access-psql"
            copyLabel="Copy the psql command"
          />
          <Typography variant="subtitle2">Connection URI</Typography>
          <CodeBlock
            code={credentials.uri}
            language="text"
            testId="dbaas-access-uri"
            copyLabel="Copy the connection URI"
          />
        </DialogContent>
      )}
      <DialogActions>
        <Button color="primary" variant="contained" onClick={props.onClose}>
          I have copied it
        </Button>
      </DialogActions>
    </Dialog>
  );
};
