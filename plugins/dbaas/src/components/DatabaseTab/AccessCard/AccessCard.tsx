import { useCallback, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  AccessGrant,
  ActivatedAccessGrant,
  DatabaseRef,
} from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../../api/DbaasApi';
import { describeError } from '../../common/describeError';
import { RelativeTime } from '../../common/RelativeTime';
import { useAbortableLoad } from '../../common/useAbortableLoad';
import { PasswordDialog } from './PasswordDialog';
import { RequestAccessDialog } from './RequestAccessDialog';

const TITLE = 'Personal access';

/** `user:default/alice` → `alice`. */
function shortName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/** Short values kept on one line: a narrow card wraps them letter by letter. */
const NO_WRAP = { whiteSpace: 'nowrap' } as const;

const Until = ({ grant }: { grant: AccessGrant }) => {
  if (grant.state === 'active' && grant.validUntil) {
    return (
      <>
        until <RelativeTime iso={grant.validUntil} />
      </>
    );
  }
  if (grant.expiresAt) {
    return (
      <>
        {grant.durationMinutes} min once activated; expires unused{' '}
        <RelativeTime iso={grant.expiresAt} />
      </>
    );
  }
  return <>{grant.durationMinutes} min</>;
};

/**
 * Just-in-time personal access to one database: ask for it (role, duration,
 * reason), the open grants (who, which role, until when, why), activate
 * one's own approved grant (the password is shown once) and revoke. What
 * the user may do is the backend's answer (`mayRequest`, `allowedActions`).
 */
export const AccessCard = ({ databaseRef }: { databaseRef: DatabaseRef }) => {
  const dbaasApi = useApi(dbaasApiRef);
  const { namespace, name } = databaseRef;
  const load = useCallback(
    (signal: AbortSignal) =>
      dbaasApi.listDatabaseAccessGrants({ namespace, name }, { signal }),
    [dbaasApi, namespace, name],
  );
  const grants = useAbortableLoad(load);
  const [asking, setAsking] = useState(false);
  const [activated, setActivated] = useState<ActivatedAccessGrant>();
  const [busy, setBusy] = useState<string>();
  const [failure, setFailure] = useState<string>();

  const act = async (
    grant: AccessGrant,
    action: 'activate' | 'revoke',
  ): Promise<void> => {
    setBusy(grant.id);
    setFailure(undefined);
    try {
      if (action === 'activate') {
        setActivated(await dbaasApi.activateAccessGrant(grant.id));
      } else {
        await dbaasApi.revokeAccessGrant(grant.id);
      }
      grants.retry();
    } catch (error) {
      setFailure(describeError(error as Error));
    } finally {
      setBusy(undefined);
    }
  };

  if (grants.state === 'loading') {
    return (
      <InfoCard title={TITLE}>
        <Progress aria-label="Loading personal access" />
      </InfoCard>
    );
  }
  if (grants.state === 'failed') {
    return (
      <InfoCard title={TITLE}>
        <Typography color="error" role="alert">
          Could not load personal access: {describeError(grants.error)}
        </Typography>
        <Button onClick={grants.retry}>Retry</Button>
      </InfoCard>
    );
  }
  const value = grants.value;
  return (
    <InfoCard title={TITLE}>
      <Typography variant="body2" paragraph>
        People connect with a login role of their own, for a limited time,
        instead of the application&apos;s credentials.
      </Typography>
      <Box display="flex" alignItems="center" mb={2}>
        <Button
          variant="contained"
          color="primary"
          disabled={!value.mayRequest}
          onClick={() => setAsking(true)}
        >
          Ask for access
        </Button>
        {!value.mayRequest && (
          <Box ml={2}>
            <Typography variant="body2" color="textSecondary">
              Only the tenant&apos;s owners and the platform team may ask for
              access to this database (dbaas.access.request).
            </Typography>
          </Box>
        )}
      </Box>
      {failure && (
        <Typography color="error" role="alert">
          {failure}
        </Typography>
      )}
      {value.items.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          Nobody has personal access to this database now.
        </Typography>
      ) : (
        <Table size="small" aria-label="Personal access grants">
          <TableHead>
            <TableRow>
              <TableCell>Who</TableCell>
              <TableCell>Role</TableCell>
              <TableCell>State</TableCell>
              <TableCell>Until</TableCell>
              <TableCell>Why</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {value.items.map(grant => (
              <TableRow key={grant.id}>
                <TableCell title={grant.requestedBy} style={NO_WRAP}>
                  {shortName(grant.requestedBy)}
                  {grant.loginRole && (
                    <Typography variant="caption" display="block">
                      <code>{grant.loginRole}</code>
                    </Typography>
                  )}
                </TableCell>
                <TableCell style={NO_WRAP}>{grant.access}</TableCell>
                <TableCell style={NO_WRAP}>
                  <Chip size="small" label={grant.state} />
                </TableCell>
                <TableCell>
                  <Until grant={grant} />
                </TableCell>
                <TableCell>{grant.reason}</TableCell>
                <TableCell align="right" style={NO_WRAP}>
                  {grant.allowedActions.includes('activate') && (
                    <Button
                      color="primary"
                      disabled={busy === grant.id}
                      onClick={() => act(grant, 'activate')}
                    >
                      Activate
                    </Button>
                  )}
                  {grant.allowedActions.includes('revoke') && (
                    <Button
                      disabled={busy === grant.id}
                      onClick={() => act(grant, 'revoke')}
                    >
                      Revoke
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {asking && (
        <RequestAccessDialog
          open
          onClose={() => setAsking(false)}
          databaseRef={databaseRef}
          maxDurationMinutes={value.maxDurationMinutes}
          defaultDurationMinutes={value.defaultDurationMinutes}
          approvalRequired={value.approvalRequired}
          onRequested={() => {
            setAsking(false);
            grants.retry();
          }}
        />
      )}
      <PasswordDialog
        activated={activated}
        onClose={() => setActivated(undefined)}
      />
    </InfoCard>
  );
};
