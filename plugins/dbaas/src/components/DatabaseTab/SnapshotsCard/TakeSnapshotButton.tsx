import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useApi } from '@backstage/frontend-plugin-api';
import type { DatabaseRef } from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../../api/DbaasApi';
import { describeError } from '../../common/describeError';
import { isForbidden } from '../../common/responseStatus';

/**
 * Takes a logical snapshot now (self-hosted clusters): before a risky
 * migration, say. The backend answers once the dump is written.
 */
export const TakeSnapshotButton = ({
  databaseRef,
  onTaken,
}: {
  databaseRef: DatabaseRef;
  onTaken: () => void;
}) => {
  const dbaasApi = useApi(dbaasApiRef);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const take = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await dbaasApi.createSnapshot(databaseRef);
      onTaken();
    } catch (e) {
      const reason = describeError(e as Error);
      setError(
        isForbidden(e as Error)
          ? `You may not take snapshots of this database: ${reason}`
          : `Could not take a snapshot: ${reason}`,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button
        variant="outlined"
        onClick={take}
        disabled={busy}
        data-testid="dbaas-take-snapshot"
      >
        {busy ? 'Taking a snapshot…' : 'Take snapshot now'}
      </Button>
      {error && (
        <Typography color="error" variant="body2" role="alert">
          {error}
        </Typography>
      )}
    </>
  );
};
