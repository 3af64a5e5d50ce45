import Typography from '@material-ui/core/Typography';
import { InfoCard, Progress } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  DBAAS_DATABASE_ANNOTATION,
  DatabaseRef,
  parseDatabaseAnnotation,
} from '@dbaas/plugin-dbaas-common';
import { DatabaseDetailError } from './DatabaseDetailError';
import { StatusCard } from './StatusCard/StatusCard';
import { useDatabaseDetail } from './useDatabaseDetail';

const StatusOf = ({ databaseRef }: { databaseRef: DatabaseRef }) => {
  const detail = useDatabaseDetail(databaseRef);
  if (detail.state === 'loading') {
    return (
      <InfoCard title="Status">
        <Progress aria-label="Loading the database" />
      </InfoCard>
    );
  }
  if (detail.state === 'failed') {
    return (
      <InfoCard title="Status">
        <DatabaseDetailError
          error={detail.error}
          databaseRef={databaseRef}
          retry={detail.retry}
        />
      </InfoCard>
    );
  }
  return <StatusCard database={detail.value} variant="summary" />;
};

/**
 * The status of the database an entity carries in `dbaas.io/database`, for
 * the entity's overview: status, lifecycle, last error.
 */
export const EntityDatabaseStatusCard = () => {
  const { entity } = useEntity();
  const value = entity.metadata.annotations?.[DBAAS_DATABASE_ANNOTATION];
  if (value === undefined) {
    return (
      <InfoCard title="Status">
        <Typography variant="body2" color="textSecondary">
          This entity has no {DBAAS_DATABASE_ANNOTATION} annotation.
        </Typography>
      </InfoCard>
    );
  }
  let databaseRef: DatabaseRef;
  try {
    databaseRef = parseDatabaseAnnotation(value);
  } catch (error) {
    return (
      <InfoCard title="Status">
        <Typography variant="body2" color="error">
          {error instanceof Error ? error.message : String(error)}
        </Typography>
      </InfoCard>
    );
  }
  return <StatusOf databaseRef={databaseRef} />;
};
