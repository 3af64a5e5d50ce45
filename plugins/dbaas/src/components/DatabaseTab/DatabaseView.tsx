import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import { Progress } from '@backstage/core-components';
import type { DatabaseRef } from '@dbaas/plugin-dbaas-common';
import { AboutCard } from './AboutCard/AboutCard';
import { AccessCard } from './AccessCard/AccessCard';
import { BillingCard } from './BillingCard/BillingCard';
import { ConnectionCard } from './ConnectionCard/ConnectionCard';
import { DatabaseDetailError } from './DatabaseDetailError';
import { LifecycleCard } from './LifecycleCard/LifecycleCard';
import { MetricsCard } from './MetricsCard/MetricsCard';
import { RecoveryCard } from './RecoveryCard/RecoveryCard';
import { SnapshotsAndRestores } from './SnapshotsCard/SnapshotsAndRestores';
import { StatusCard } from './StatusCard/StatusCard';
import { useDatabaseDetail } from './useDatabaseDetail';

/**
 * The cards of one database. First what a developer needs most, how to
 * connect, beside its status; personal access; then metrics; then about,
 * cost and recovery objectives; then snapshots and restores; last, changing
 * or deleting it.
 */
export const DatabaseView = ({ databaseRef }: { databaseRef: DatabaseRef }) => {
  const detail = useDatabaseDetail(databaseRef);

  if (detail.state === 'loading') {
    return <Progress aria-label="Loading the database" />;
  }
  if (detail.state === 'failed') {
    return (
      <DatabaseDetailError
        error={detail.error}
        databaseRef={databaseRef}
        retry={detail.retry}
      />
    );
  }
  const database = detail.value;
  return (
    <Grid container spacing={3} alignItems="stretch">
      <Grid item xs={12} lg={8}>
        <ConnectionCard databaseRef={databaseRef} status={database.status} />
      </Grid>
      <Grid item xs={12} lg={4}>
        <StatusCard database={database} />
      </Grid>
      <Grid item xs={12}>
        <AccessCard databaseRef={databaseRef} />
      </Grid>
      <Grid item xs={12}>
        <MetricsCard databaseRef={databaseRef} cluster={database.cluster} />
      </Grid>
      <Grid item xs={12} md={6}>
        <AboutCard database={database} />
      </Grid>
      {/* Cost and recovery objectives share a column, so that neither sits
          alone at half width when the other is short. */}
      <Grid item xs={12} md={6}>
        <Box display="flex" flexDirection="column" gridGap={24}>
          <BillingCard databaseRef={databaseRef} />
          <RecoveryCard databaseRef={databaseRef} />
        </Box>
      </Grid>
      {/* Two grid items: the Snapshots card, the Restores card below it. */}
      <SnapshotsAndRestores database={database} />
      <Grid item xs={12}>
        <LifecycleCard database={database} />
      </Grid>
    </Grid>
  );
};
