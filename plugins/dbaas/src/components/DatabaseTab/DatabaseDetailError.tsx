import Button from '@material-ui/core/Button';
import { EmptyState, ResponseErrorPanel } from '@backstage/core-components';
import type { DatabaseRef } from '@dbaas/plugin-dbaas-common';
import { describeError } from '../common/describeError';
import { isForbidden, isNotFound } from '../common/responseStatus';

/** Why a database could not be shown, in the words its cause calls for. */
export const DatabaseDetailError = ({
  error,
  databaseRef,
  retry,
}: {
  error: Error;
  databaseRef: DatabaseRef;
  retry: () => void;
}) => {
  const shown = `${databaseRef.namespace}/${databaseRef.name}`;
  if (isNotFound(error)) {
    return (
      <EmptyState
        missing="data"
        title="Database not in the inventory"
        description={`The dbaas backend knows no database ${shown}. It may not have been requested yet, or the dbaas.io/database annotation names the wrong one.`}
      />
    );
  }
  if (isForbidden(error)) {
    return (
      <EmptyState
        missing="info"
        title="You may not see this database"
        description={`Reading ${shown} needs the dbaas.database.read permission, which the owners of the tenant ${databaseRef.namespace} usually have.`}
      />
    );
  }
  return (
    <>
      <ResponseErrorPanel
        error={error}
        title={`Could not load ${shown}: ${describeError(error)}`}
      />
      <Button color="primary" onClick={retry}>
        Retry
      </Button>
    </>
  );
};
