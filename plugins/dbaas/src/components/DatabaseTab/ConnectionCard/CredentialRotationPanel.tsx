import { useCallback, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  formatDuration,
  type CredentialRotation,
  type DatabaseRef,
  type RoleAccess,
  type RoleCredentialStatus,
} from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../../api/DbaasApi';
import { describeError } from '../../common/describeError';
import { RelativeTime } from '../../common/RelativeTime';
import { toError } from '../../common/toError';
import { useAbortableLoad } from '../../common/useAbortableLoad';

function outcome(rotation: CredentialRotation): string {
  switch (rotation.state) {
    case 'succeeded':
      return `Rotated the ${rotation.access} credential${
        rotation.username ? `: the secret now names ${rotation.username}` : ''
      }. The previous password works until the next rotation.`;
    case 'pending-approval':
      return `The rotation of the ${rotation.access} credential waits for an approver.`;
    case 'running':
      return `The rotation of the ${rotation.access} credential is under way.`;
    case 'failed':
      return `The rotation of the ${rotation.access} credential failed: ${
        rotation.error ?? 'unknown error'
      }`;
    default:
      return `The rotation of the ${rotation.access} credential is ${rotation.state}.`;
  }
}

function RoleRow({
  role,
  canRotate,
  busy,
  onRotate,
}: {
  role: RoleCredentialStatus;
  canRotate: boolean;
  busy: boolean;
  onRotate: (access: RoleAccess) => void;
}) {
  const active = role.activeRotation;
  return (
    <TableRow>
      <TableCell component="th" scope="row">
        {role.access}
      </TableCell>
      <TableCell>{role.username ?? '—'}</TableCell>
      <TableCell>
        {role.ageSeconds !== undefined ? formatDuration(role.ageSeconds) : '—'}
      </TableCell>
      <TableCell>
        {role.lastRotatedAt ? (
          <RelativeTime iso={role.lastRotatedAt} />
        ) : (
          'never'
        )}
      </TableCell>
      <TableCell>
        {active ? (
          <Typography variant="body2">{active.state}</Typography>
        ) : (
          canRotate &&
          role.secretExists && (
            <Button
              size="small"
              variant="outlined"
              disabled={busy}
              onClick={() => onRotate(role.access)}
              aria-label={`Rotate the ${role.access} credential now`}
            >
              Rotate now
            </Button>
          )
        )}
      </TableCell>
    </TableRow>
  );
}

/**
 * Per role: the login user the secret names, the credential's age, its
 * last rotation, and "Rotate now" for those allowed to
 * (`dbaas.credentials.rotate`). Never shows a password.
 */
export const CredentialRotationPanel = ({
  databaseRef,
}: {
  databaseRef: DatabaseRef;
}) => {
  const dbaasApi = useApi(dbaasApiRef);
  const { namespace, name } = databaseRef;
  // async: whatever goes wrong stays in this panel, never the card.
  const load = useCallback(
    async (signal: AbortSignal) =>
      dbaasApi.getDatabaseCredentials({ namespace, name }, { signal }),
    [dbaasApi, namespace, name],
  );
  const credentials = useAbortableLoad(load);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string>();

  const rotate = async (access: RoleAccess) => {
    setBusy(true);
    setMessage(undefined);
    try {
      setMessage(
        outcome(await dbaasApi.rotateCredential({ namespace, name }, access)),
      );
    } catch (error) {
      setMessage(describeError(toError(error)));
    } finally {
      setBusy(false);
      credentials.retry();
    }
  };

  if (credentials.state === 'loading') {
    return <Progress aria-label="Loading credential rotation" />;
  }
  if (credentials.state === 'failed') {
    return (
      <Typography variant="body2" color="error">
        Credential ages unavailable: {describeError(credentials.error)}
      </Typography>
    );
  }
  const { roles, canRotate, approvalRequired, schedule } = credentials.value;
  return (
    <Box mt={2} component="section" aria-label="Credential rotation">
      <Typography variant="subtitle2">Credential rotation</Typography>
      <Typography variant="body2" color="textSecondary">
        {schedule ? `Rotated every ${schedule}. ` : 'No scheduled rotation. '}
        {approvalRequired &&
          'A rotation waits for an approver (protected or production database).'}
      </Typography>
      <Table size="small" aria-label="Credentials">
        <TableHead>
          <TableRow>
            <TableCell>Role</TableCell>
            <TableCell>Login user</TableCell>
            <TableCell>Age</TableCell>
            <TableCell>Last rotation</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {roles.map(role => (
            <RoleRow
              key={role.access}
              role={role}
              canRotate={canRotate}
              busy={busy}
              onRotate={rotate}
            />
          ))}
        </TableBody>
      </Table>
      {message && (
        <Typography variant="body2" role="status">
          {message}
        </Typography>
      )}
    </Box>
  );
};
