import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { ResponseErrorPanel } from '@backstage/core-components';
import { describeError } from '../../common/describeError';
import { isForbidden, isNotFound } from '../../common/responseStatus';

/**
 * Why the connection details could not be loaded. A 403 is an answer, not a
 * failure: the user may see the database but not how to connect to it.
 */
export const ConnectionError = ({
  error,
  namespace,
  retry,
}: {
  error: Error;
  namespace: string;
  retry: () => void;
}) => {
  if (isForbidden(error)) {
    return (
      <div role="status">
        <Typography variant="body1" gutterBottom>
          You may not see connection details of this database.
        </Typography>
        <Typography variant="body2" color="textSecondary">
          They need the dbaas.connection.read permission, which the owners of
          the tenant {namespace} usually have. Ask them or the platform team.
        </Typography>
      </div>
    );
  }
  if (isNotFound(error)) {
    return (
      <Typography variant="body2" color="textSecondary" role="status">
        No connection details yet: no cluster takes this database.
      </Typography>
    );
  }
  return (
    <>
      <ResponseErrorPanel
        error={error}
        title={`Could not load the connection details: ${describeError(error)}`}
      />
      <Button color="primary" onClick={retry}>
        Retry
      </Button>
    </>
  );
};
