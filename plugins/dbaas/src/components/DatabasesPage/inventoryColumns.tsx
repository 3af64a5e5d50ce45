import Typography from '@material-ui/core/Typography';
import LockOutlined from '@material-ui/icons/LockOutlined';
import { TableColumn } from '@backstage/core-components';
import { EntityRefLink, EntityRefLinks } from '@backstage/plugin-catalog-react';
import { DATABASE_STATUSES, DatabaseSummary } from '@dbaas/plugin-dbaas-common';
import { DatabaseStatusCell } from './DatabaseStatusCell';
import { overallObjectiveStatus, RecoveryCell } from './RecoveryCell';

function qualifiedName(database: DatabaseSummary) {
  return `${database.namespace}/${database.name}`;
}

function lifecycleIndex(database: DatabaseSummary) {
  return (DATABASE_STATUSES as readonly string[]).indexOf(database.status);
}

/** Missed first when sorted ascending, then unknown, met, none. */
function objectiveRank(database: DatabaseSummary) {
  if (!database.recovery) {
    return 3;
  }
  return { missed: 0, unknown: 1, met: 2 }[
    overallObjectiveStatus(database.recovery)
  ];
}

/** The columns of the inventory table. */
export const inventoryColumns: TableColumn<DatabaseSummary>[] = [
  {
    title: 'Database',
    field: 'databaseName',
    highlight: true,
    customSort: (a, b) => qualifiedName(a).localeCompare(qualifiedName(b)),
    render: database => (
      <>
        <EntityRefLink entityRef={database.entityRef}>
          {qualifiedName(database)}
        </EntityRefLink>
        {/* The name in PostgreSQL, for people who connect. */}
        <Typography variant="caption" color="textSecondary" display="block">
          {database.databaseName}
        </Typography>
      </>
    ),
  },
  { title: 'Tenant', field: 'namespace' },
  {
    title: 'Status',
    field: 'status',
    // In lifecycle order rather than alphabetical.
    customSort: (a, b) => lifecycleIndex(a) - lifecycleIndex(b),
    render: database => <DatabaseStatusCell database={database} />,
  },
  {
    title: 'Objectives',
    field: 'recovery',
    customSort: (a, b) => objectiveRank(a) - objectiveRank(b),
    render: database => <RecoveryCell database={database} />,
  },
  {
    title: 'Mode',
    field: 'mode',
    render: database =>
      database.mode === 'protected' ? (
        <Typography
          variant="body2"
          component="span"
          title="Deletion protection: removing it from the apps repository keeps the data"
          style={{ display: 'inline-flex', alignItems: 'center' }}
        >
          <LockOutlined
            aria-hidden
            style={{ fontSize: '1em', marginRight: 4 }}
          />
          protected
        </Typography>
      ) : (
        database.mode
      ),
  },
  {
    title: 'Cluster',
    field: 'cluster',
    render: database =>
      database.cluster ?? (
        <Typography variant="body2" color="textSecondary" component="span">
          not placed yet
        </Typography>
      ),
  },
  {
    title: 'Owners',
    field: 'owners',
    sorting: false,
    render: database => (
      <EntityRefLinks entityRefs={database.owners} defaultKind="group" />
    ),
  },
];
