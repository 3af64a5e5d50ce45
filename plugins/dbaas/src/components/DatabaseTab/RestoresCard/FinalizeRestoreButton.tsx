import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useApi } from '@backstage/frontend-plugin-api';
import type { RestoreRequest } from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../../api/DbaasApi';
import { DecisionDialog } from '../../ApprovalsPage/DecisionDialog';
import { formatAbsoluteTime } from '../../common/formatTime';

/**
 * Lets an in-place restore awaiting finalize swap its verified copy in,
 * after a confirmation that says what happens to the live database.
 */
export const FinalizeRestoreButton = ({
  request,
  onChanged,
}: {
  request: RestoreRequest;
  onChanged: () => void;
}) => {
  const dbaasApi = useApi(dbaasApiRef);
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="contained" color="primary" onClick={() => setOpen(true)}>
        Finalize
      </Button>
      <DecisionDialog
        open={open}
        onClose={() => setOpen(false)}
        title={`Finalize the restore of ${request.databaseName}?`}
        textId={`dbaas-finalize-${request.id}`}
        textLabel="Comment (optional)"
        textHelp="Kept with your decision in the step log and the audit trail."
        confirmLabel="Finalize and swap"
        confirmColor="primary"
        decide={comment =>
          dbaasApi.finalizeRestore(request.id, comment ? { comment } : {})
        }
        onChanged={onChanged}
      >
        <Typography variant="body2" paragraph>
          The swap runs at once: clients of {request.databaseName} are
          disconnected for a moment, then it holds the data of the snapshot of{' '}
          {formatAbsoluteTime(request.snapshotCreatedAt)}, as previewed.
        </Typography>
        <Typography variant="body2">
          The data it holds now is kept as a safety copy, so nothing is lost for
          good; what changed since the snapshot is no longer in the live
          database.
        </Typography>
      </DecisionDialog>
    </>
  );
};
