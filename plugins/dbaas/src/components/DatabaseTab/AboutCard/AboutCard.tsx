import { ReactNode } from 'react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { InfoCard } from '@backstage/core-components';
import { EntityRefLinks } from '@backstage/plugin-catalog-react';
import type { DatabaseDetail } from '@dbaas/plugin-dbaas-common';
import { MODE_DESCRIPTIONS } from '../StatusCard/statusDescriptions';
import { restoredCopyModeText } from '../../common/restoredFrom';
import { formatBytes } from '../../common/formatBytes';
import { snapshotRetentionDays } from './snapshotRetention';

const useStyles = makeStyles(theme => ({
  list: {
    margin: 0,
  },
  label: {
    color: theme.palette.text.secondary,
    fontSize: '10px',
    fontWeight: 'bold',
    letterSpacing: 0.5,
    textTransform: 'uppercase',
  },
  value: {
    margin: 0,
    wordBreak: 'break-word',
  },
}));

const AboutField = (props: {
  label: string;
  children: ReactNode;
  wide?: boolean;
}) => {
  const classes = useStyles();
  return (
    <Grid item xs={12} sm={props.wide ? 12 : 6}>
      <Typography component="dt" className={classes.label}>
        {props.label}
      </Typography>
      <Typography component="dd" variant="body2" className={classes.value}>
        {props.children}
      </Typography>
    </Grid>
  );
};

function describeRetention(environment: string | undefined): string {
  const days = snapshotRetentionDays(environment);
  if (days === undefined) {
    return 'Daily snapshots; how long they are kept depends on the environment';
  }
  return `${days} days (daily snapshots, ${
    days === 35 ? 'production/staging' : 'test/dev'
  })`;
}

/**
 * The facts of a database: mode and what it means, cluster, environment,
 * snapshot retention, owners, where it is defined, name and size.
 */
export const AboutCard = ({ database }: { database: DatabaseDetail }) => {
  const classes = useStyles();
  return (
    <InfoCard title="About">
      <Grid container spacing={2} component="dl" className={classes.list}>
        <AboutField label="Database name">{database.databaseName}</AboutField>
        <AboutField label="Namespace">{database.namespace}</AboutField>
        <AboutField label="Mode" wide>
          <strong>{database.mode}</strong> —{' '}
          {database.restoredFrom
            ? restoredCopyModeText(database.restoredFrom)
            : MODE_DESCRIPTIONS[database.mode]}
        </AboutField>
        <AboutField label="Cluster">
          {database.cluster ?? 'Not in a cluster yet'}
        </AboutField>
        <AboutField label="Environment">
          {database.environment ?? 'Unknown'}
        </AboutField>
        <AboutField label="Snapshot retention" wide>
          {describeRetention(database.environment)}
        </AboutField>
        <AboutField label="Owners" wide>
          {database.owners.length > 0 ? (
            <EntityRefLinks entityRefs={database.owners} defaultKind="group" />
          ) : (
            'None known'
          )}
        </AboutField>
        <AboutField label="Apps repository folder" wide>
          {database.folderPath ? (
            <code>{database.folderPath}</code>
          ) : (
            'Not defined in the apps repository'
          )}
        </AboutField>
        <AboutField label="Size">
          {database.sizeBytes !== undefined
            ? formatBytes(database.sizeBytes)
            : 'Unknown'}
        </AboutField>
      </Grid>
    </InfoCard>
  );
};
