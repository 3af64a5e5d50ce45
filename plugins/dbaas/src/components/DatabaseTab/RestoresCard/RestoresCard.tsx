import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  DatabaseSnapshot,
  ListRestoresResponse,
  RestoreRequest,
  isActiveRestoreState,
} from '@dbaas/plugin-dbaas-common';
import { describeError } from '../../common/describeError';
import { isForbidden } from '../../common/responseStatus';
import { RestoreRequestPanel } from './RestoreRequestPanel';
import type { PolledLoad } from '../../common/usePolledLoad';

const TITLE = 'Restores';
const RECENT_SHOWN = 5;

export interface RestoresCardProps {
  restores: PolledLoad<ListRestoresResponse> & { reload: () => void };
  /** The database's snapshots, to tell which steps a request runs. */
  snapshots?: DatabaseSnapshot[];
}

function snapshotSource(
  request: RestoreRequest,
  snapshots?: DatabaseSnapshot[],
) {
  return (
    snapshots?.find(s => s.id === request.snapshotId)?.source ??
    snapshots?.[0]?.source
  );
}

/**
 * The database's restore requests: the active one first, with its steps
 * and log, then the recent ones.
 */
export const RestoresCard = ({ restores, snapshots }: RestoresCardProps) => {
  const [showAll, setShowAll] = useState(false);

  if (restores.state === 'loading') {
    return (
      <InfoCard title={TITLE}>
        <Progress aria-label="Loading restore requests" />
      </InfoCard>
    );
  }
  if (restores.state === 'failed') {
    return (
      <InfoCard title={TITLE}>
        {isForbidden(restores.error) ? (
          <Typography variant="body2">
            You may not see the restore requests of this database:{' '}
            {describeError(restores.error)}
          </Typography>
        ) : (
          <>
            <ResponseErrorPanel
              error={restores.error}
              title={`Could not load the restore requests: ${describeError(
                restores.error,
              )}`}
            />
            <Button color="primary" onClick={restores.reload}>
              Retry
            </Button>
          </>
        )}
      </InfoCard>
    );
  }

  const items = restores.value.items;
  const active = items.filter(r => isActiveRestoreState(r.state));
  const finished = items.filter(r => !isActiveRestoreState(r.state));
  const shownFinished = showAll ? finished : finished.slice(0, RECENT_SHOWN);
  return (
    <InfoCard title={TITLE}>
      {restores.pollError && (
        <Typography variant="body2" color="error" role="alert" paragraph>
          Could not refresh the restore requests (retrying):{' '}
          {describeError(restores.pollError)}
        </Typography>
      )}
      {items.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          No restore has been requested for this database.
        </Typography>
      )}
      {[...active, ...shownFinished].map(request => (
        <RestoreRequestPanel
          key={request.id}
          request={request}
          source={snapshotSource(request, snapshots)}
          onChanged={restores.reload}
        />
      ))}
      {finished.length > RECENT_SHOWN && (
        <Button size="small" onClick={() => setShowAll(!showAll)}>
          {showAll
            ? 'Show only recent requests'
            : `Show all ${finished.length} finished requests`}
        </Button>
      )}
    </InfoCard>
  );
};
