import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  Table,
} from '@backstage/core-components';
import { describeError } from '../common/describeError';
import { InventoryFilterBar } from './InventoryFilterBar';
import { inventoryColumns } from './inventoryColumns';
import {
  distinctValues,
  hasFilters,
  InventoryFilters,
  matchesFilters,
  NO_FILTERS,
  readFilters,
  writeFilters,
} from './inventoryFilters';
import { useDatabaseInventory } from './useDatabaseInventory';
import { RequestDatabaseButton } from './RequestDatabaseButton';

export { REQUEST_DATABASE_PATH } from './RequestDatabaseButton';

const PAGE_SIZE = 20;

function countLabel(shown: number, total: number) {
  const noun = total === 1 ? 'database' : 'databases';
  return shown === total ? `${total} ${noun}` : `${shown} of ${total} ${noun}`;
}

export interface DatabaseInventoryProps {
  /** How often the inventory reloads while the page is visible. */
  refreshIntervalMs?: number;
}

/**
 * Every database the signed-in user may read, as a table with filters. The
 * filters are kept in the query string (`tenant`, `status`, `cluster`,
 * `mode`, `objectives`, `q`), so a filtered view can be shared as a link.
 */
export function DatabaseInventory(props: DatabaseInventoryProps) {
  const { refreshIntervalMs = 20_000 } = props;
  const inventory = useDatabaseInventory({ refreshIntervalMs });
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = readFilters(searchParams);
  const items = inventory.state === 'loaded' ? inventory.items : undefined;

  const tenants = useMemo(
    () => distinctValues(items ?? [], database => database.namespace),
    [items],
  );
  const clusters = useMemo(
    () => distinctValues(items ?? [], database => database.cluster),
    [items],
  );

  const changeFilters = (changes: InventoryFilters) =>
    // Replaced rather than pushed: each keystroke of the search would
    // otherwise be a step back.
    setSearchParams(current => writeFilters(current, changes), {
      replace: true,
    });

  if (inventory.state === 'loading') {
    return <Progress />;
  }

  if (inventory.state === 'failed') {
    return (
      <>
        <ResponseErrorPanel
          title={`Could not load the databases: ${describeError(
            inventory.error,
          )}`}
          error={inventory.error}
        />
        <Box mt={2}>
          <Button variant="outlined" onClick={inventory.retry}>
            Retry
          </Button>
        </Box>
      </>
    );
  }

  if (inventory.items.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No databases yet — request one"
        description="Databases are requested with the PostgreSQL template: it opens a pull request to the apps repository, and the database shows up here at once."
        action={<RequestDatabaseButton />}
      />
    );
  }

  // material-table writes into the row objects it gets: give it copies,
  // each with the unique `id` it keeps row state by (and warns without).
  const rows = inventory.items
    .filter(database => matchesFilters(database, filters))
    .map(database => ({
      ...database,
      id: `${database.namespace}/${database.name}`,
    }));

  return (
    <>
      {/* The request button sits in the page's heading. */}
      <InventoryFilterBar
        filters={filters}
        tenants={tenants}
        clusters={clusters}
        onChange={changeFilters}
      />
      {inventory.refreshError && (
        <Typography role="status" variant="body2" color="error" paragraph>
          Could not refresh the databases (
          {describeError(inventory.refreshError)}); showing the last ones
          loaded.
        </Typography>
      )}
      <Table
        title={countLabel(rows.length, inventory.items.length)}
        columns={inventoryColumns}
        data={rows}
        options={{
          search: false,
          padding: 'dense',
          paging: rows.length > PAGE_SIZE,
          pageSize: PAGE_SIZE,
          pageSizeOptions: [PAGE_SIZE, 50, 100],
          emptyRowsWhenPaging: false,
        }}
        emptyContent={
          <Box p={4} textAlign="center">
            <Typography paragraph>No databases match these filters.</Typography>
            {hasFilters(filters) && (
              <Button
                variant="outlined"
                onClick={() => changeFilters(NO_FILTERS)}
              >
                Clear filters
              </Button>
            )}
          </Box>
        }
      />
    </>
  );
}
