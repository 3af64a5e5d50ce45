import { useCallback } from 'react';
import Grid from '@material-ui/core/Grid';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  DatabaseDetail,
  DatabaseSnapshotsResponse,
  ListRestoresResponse,
  isActiveRestoreState,
} from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../../api/DbaasApi';
import { RestoresCard } from '../RestoresCard/RestoresCard';
import { usePolledLoad } from '../../common/usePolledLoad';
import { SnapshotsCard } from './SnapshotsCard';

/** How often a restore in progress is checked: fresh enough to watch. */
export const RESTORE_POLL_INTERVAL_MS = 5_000;

const hasActiveRestore = (value: ListRestoresResponse) =>
  value.items.some(r => isActiveRestoreState(r.state));

const hasSnapshotInProgress = (value: DatabaseSnapshotsResponse) =>
  value.items.some(s => s.status === 'creating');

/**
 * The Snapshots card and, below it, the Restores card of one database, as
 * grid items. Both share what they load: a new request shows at once, and
 * the snapshot list tells which steps a request runs. The requests are
 * polled while one is active, the snapshots while one is being taken.
 */
export const SnapshotsAndRestores = ({
  database,
  pollIntervalMs = RESTORE_POLL_INTERVAL_MS,
}: {
  database: DatabaseDetail;
  pollIntervalMs?: number;
}) => {
  const dbaasApi = useApi(dbaasApiRef);
  const { namespace, name } = database;

  const loadSnapshots = useCallback(
    (signal: AbortSignal) =>
      dbaasApi.listSnapshots({ namespace, name }, { signal }),
    [dbaasApi, namespace, name],
  );
  const loadRestores = useCallback(
    (signal: AbortSignal) => dbaasApi.listRestores({ namespace, name, signal }),
    [dbaasApi, namespace, name],
  );
  const snapshots = usePolledLoad(loadSnapshots, {
    pollWhile: hasSnapshotInProgress,
    intervalMs: pollIntervalMs,
  });
  const restores = usePolledLoad(loadRestores, {
    pollWhile: hasActiveRestore,
    intervalMs: pollIntervalMs,
  });

  const activeRestore =
    restores.state === 'loaded'
      ? restores.value.items.find(r => isActiveRestoreState(r.state))
      : undefined;
  return (
    <>
      <Grid item xs={12}>
        <SnapshotsCard
          database={database}
          snapshots={snapshots}
          activeRestore={activeRestore}
          onRestoreRequested={restores.reload}
        />
      </Grid>
      <Grid item xs={12}>
        <RestoresCard
          restores={restores}
          snapshots={
            snapshots.state === 'loaded' ? snapshots.value.items : undefined
          }
        />
      </Grid>
    </>
  );
};
