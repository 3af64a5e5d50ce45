import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  databaseEntityRef,
  type DatabaseRef,
} from '@dbaas/plugin-dbaas-common';
import { describeError } from '../common/describeError';
import { isForbidden } from '../common/responseStatus';
import { LifecycleTimeline } from '../DatabaseTab/StatusCard/LifecycleTimeline';
import { StatusCard } from '../DatabaseTab/StatusCard/StatusCard';
import { useCatalogEntityPresence } from './useCatalogEntityPresence';
import {
  LIFECYCLE_POLL_MS,
  useDatabaseLifecycle,
} from './useDatabaseLifecycle';

/** The catalog entity: a link once the catalog has it, else why not yet. */
const CatalogEntity = ({ entityRef }: { entityRef: string }) => {
  const present = useCatalogEntityPresence(entityRef);
  return (
    <InfoCard title="Catalog">
      {present ? (
        <Typography variant="body1">
          <EntityRefLink entityRef={entityRef}>
            Open {entityRef} in the catalog
          </EntityRefLink>
        </Typography>
      ) : (
        <Typography variant="body2" color="textSecondary">
          {present === undefined
            ? 'Looking for the catalog entity…'
            : `The catalog does not have ${entityRef} yet; it reads new databases within a minute or two. This page links to it as soon as it does.`}
        </Typography>
      )}
    </InfoCard>
  );
};

/**
 * Where one database stands, from the moment it is requested: its
 * lifecycle, pull requests and history as the dbaas inventory knows them
 * (asked again every few seconds while it is on its way), and its catalog
 * entity once the catalog has read it.
 */
export const DatabaseLifecyclePanel = ({
  databaseRef,
}: {
  databaseRef: DatabaseRef;
}) => {
  const lifecycle = useDatabaseLifecycle(databaseRef);
  const shown = `${databaseRef.namespace}/${databaseRef.name}`;
  const entityRef = databaseEntityRef(
    `${databaseRef.namespace}-${databaseRef.name}`,
  );

  if (lifecycle.state === 'loading') {
    return <Progress />;
  }
  if (lifecycle.state === 'failed') {
    if (isForbidden(lifecycle.error)) {
      return (
        <ResponseErrorPanel
          error={lifecycle.error}
          title={`You may not see ${shown}: reading it needs the dbaas.database.read permission, which the owners of the tenant ${databaseRef.namespace} usually have.`}
        />
      );
    }
    return (
      <>
        <ResponseErrorPanel
          error={lifecycle.error}
          title={`Could not load ${shown}: ${describeError(lifecycle.error)}`}
        />
        <Button color="primary" onClick={lifecycle.retry}>
          Retry
        </Button>
      </>
    );
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={8}>
        {lifecycle.state === 'known' ? (
          <StatusCard database={lifecycle.database} />
        ) : (
          <InfoCard title="Status" subheader={shown}>
            <Typography variant="body1" role="status">
              Not in the inventory yet
            </Typography>
            <Typography variant="body2" color="textSecondary">
              {`A database requested a moment ago appears here within seconds, once the inventory has read its pull request; this page asks again every ${
                LIFECYCLE_POLL_MS / 1000
              } s. If it never does, no request for ${shown} was made.`}
            </Typography>
            <LifecycleTimeline status="requested" />
          </InfoCard>
        )}
      </Grid>
      <Grid item xs={12} md={4}>
        <CatalogEntity entityRef={entityRef} />
      </Grid>
    </Grid>
  );
};
