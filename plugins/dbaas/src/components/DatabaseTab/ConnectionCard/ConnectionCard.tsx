import { useCallback } from 'react';
import Typography from '@material-ui/core/Typography';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { DatabaseRef, DatabaseStatus } from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../../api/DbaasApi';
import { useAbortableLoad } from '../../common/useAbortableLoad';
import { ConnectionError } from './ConnectionError';
import { ConnectionSnippets } from './ConnectionSnippets';
import { CredentialRotationPanel } from './CredentialRotationPanel';

/** Statuses in which the database exists in the cluster. */
const CONNECTABLE: DatabaseStatus[] = [
  'ready',
  'deletion-requested',
  'orphaned',
  'unmanaged',
  'restored',
];

const TITLE = 'Connection';

/**
 * How to connect: pick a role and an sslmode, copy a snippet. Passwords
 * never reach the browser; every snippet reads it from the Kubernetes
 * Secret or an environment variable.
 */
export const ConnectionCard = ({
  databaseRef,
  status,
}: {
  databaseRef: DatabaseRef;
  status: DatabaseStatus;
}) => {
  const dbaasApi = useApi(dbaasApiRef);
  const { namespace, name } = databaseRef;
  const load = useCallback(
    (signal: AbortSignal) =>
      dbaasApi.getConnectionInfo({ namespace, name }, { signal }),
    [dbaasApi, namespace, name],
  );
  const connection = useAbortableLoad(load);

  if (connection.state === 'loading') {
    return (
      <InfoCard title={TITLE}>
        <Progress aria-label="Loading connection details" />
      </InfoCard>
    );
  }
  if (connection.state === 'failed') {
    return (
      <InfoCard title={TITLE}>
        <ConnectionError
          error={connection.error}
          namespace={namespace}
          retry={connection.retry}
        />
      </InfoCard>
    );
  }
  return (
    <InfoCard title={TITLE}>
      {!CONNECTABLE.includes(status) && (
        <Typography variant="body2" color="textSecondary" paragraph>
          The database is not in the cluster (status {status}): these snippets
          connect once it is.
        </Typography>
      )}
      <ConnectionSnippets info={connection.value} />
      <CredentialRotationPanel databaseRef={databaseRef} />
    </InfoCard>
  );
};
