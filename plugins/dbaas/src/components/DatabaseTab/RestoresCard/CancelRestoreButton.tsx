import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { useApi } from '@backstage/frontend-plugin-api';
import type { RestoreRequest } from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../../api/DbaasApi';
import { describeError } from '../../common/describeError';

/**
 * Cancels a request that has not started, after a confirmation: a stray
 * click must not throw away an approval someone waited for.
 */
export const CancelRestoreButton = ({
  request,
  onChanged,
}: {
  request: RestoreRequest;
  onChanged: (request: RestoreRequest) => void;
}) => {
  const dbaasApi = useApi(dbaasApiRef);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const cancel = async () => {
    setBusy(true);
    setError(undefined);
    try {
      onChanged(await dbaasApi.cancelRestore(request.id));
      setOpen(false);
    } catch (e) {
      setError(describeError(e as Error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button variant="outlined" onClick={() => setOpen(true)}>
        Cancel request
      </Button>
      <Dialog open={open} onClose={() => !busy && setOpen(false)}>
        <DialogTitle>Cancel this restore request?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            {request.state === 'awaiting-finalize'
              ? `The restored copy is dropped without being swapped in: ${request.databaseName} stays as it is. To restore later, request it again.`
              : `The restore of ${request.databaseName} into ${request.targetDatabaseName} will not run. Nothing has been changed yet; to restore later, request it again.`}
          </DialogContentText>
          {error && (
            <Typography color="error" role="alert">
              Could not cancel: {error}
            </Typography>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)} disabled={busy}>
            Keep the request
          </Button>
          <Button color="secondary" onClick={cancel} disabled={busy}>
            Cancel the request
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
};
