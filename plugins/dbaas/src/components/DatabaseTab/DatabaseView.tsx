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
 * The Status, About, Connection, Personal access, Metrics, Billing,
 * Recovery objectives, Snapshots, Restores and Change or delete cards of one
 * database.
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
      <Grid item xs={12} md={7}>
        <StatusCard database={database} />
      </Grid>
      <Grid item xs={12} md={5}>
        <AboutCard database={database} />
      </Grid>
      <Grid item xs={12}>
        <ConnectionCard databaseRef={databaseRef} status={database.status} />
      </Grid>
      <Grid item xs={12}>
        <AccessCard databaseRef={databaseRef} />
      </Grid>
      <Grid item xs={12}>
        <MetricsCard databaseRef={databaseRef} cluster={database.cluster} />
      </Grid>
      <Grid item xs={12} md={6}>
        <BillingCard databaseRef={databaseRef} />
      </Grid>
      <Grid item xs={12} md={6}>
        <RecoveryCard databaseRef={databaseRef} />
      </Grid>
      {/* Two grid items: the Snapshots card, the Restores card below it. */}
      <SnapshotsAndRestores database={database} />
      <Grid item xs={12}>
        <LifecycleCard database={database} />
      </Grid>
    </Grid>
  );
};
