import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  DBAAS_DATABASE_ANNOTATION,
  parseDatabaseAnnotation,
} from '@dbaas/plugin-dbaas-common';
import { BillingCard } from './BillingCard';

/**
 * The {@link BillingCard} of the database an entity carries in
 * `dbaas.io/database`, for an entity's overview.
 */
export const EntityBillingCard = () => {
  const { entity } = useEntity();
  const value = entity.metadata.annotations?.[DBAAS_DATABASE_ANNOTATION];
  let problem: string | undefined;
  if (value === undefined) {
    problem = `This entity has no ${DBAAS_DATABASE_ANNOTATION} annotation.`;
  } else {
    try {
      return <BillingCard databaseRef={parseDatabaseAnnotation(value)} />;
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
  }
  return (
    <InfoCard title="Cost this month">
      <Typography variant="body2" color="textSecondary">
        {problem}
      </Typography>
    </InfoCard>
  );
};
