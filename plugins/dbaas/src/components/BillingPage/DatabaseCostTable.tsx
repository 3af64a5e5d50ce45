import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableFooter from '@material-ui/core/TableFooter';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { CostCents, DatabaseCostCents } from '@dbaas/plugin-dbaas-common';
import { COST_COMPONENTS } from './costComponents';
import { formatCents } from './formatMoney';
import { describeActivity, formatGb } from './formatUsage';

/**
 * The Database tab of a database's catalog entity (`Resource`
 * `<namespace>-<name>` in the default namespace, as the catalog module
 * names it).
 */
function useDatabaseTabLink(): (database: DatabaseCostCents) => string {
  const entityRoute = useRouteRef(entityRouteRef);
  return database =>
    `${entityRoute({
      namespace: 'default',
      kind: 'resource',
      name: `${database.namespace}-${database.name}`,
    })}/database`;
}

/**
 * A tenant's databases, most expensive first: each component of the cost
 * and the usage it was computed from, the name linking to the database's
 * tab in the catalog. The last line is the tenant's total, which the lines
 * add up to.
 */
export const DatabaseCostTable = (props: {
  namespace: string;
  databases: DatabaseCostCents[];
  total: CostCents;
  currency: string;
}) => {
  const money = (cents: number) => formatCents(cents, props.currency);
  const databaseLink = useDatabaseTabLink();
  const databases = [...props.databases].sort(
    (a, b) => b.cents.total - a.cents.total || a.name.localeCompare(b.name),
  );
  return (
    <Table size="small" aria-label={`Cost per database of ${props.namespace}`}>
      <TableHead>
        <TableRow>
          <TableCell>Database</TableCell>
          {COST_COMPONENTS.map(component => (
            <TableCell key={component.key} align="right">
              {component.label}
            </TableCell>
          ))}
          <TableCell align="right">Total</TableCell>
          <TableCell>Usage behind it</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {databases.map(database => (
          <TableRow
            key={database.name}
            data-testid={`database-row-${database.name}`}
          >
            <TableCell>
              <Link
                to={databaseLink(database)}
                title={`Open ${database.namespace}/${database.name} in the catalog`}
              >
                {database.namespace}/{database.name}
              </Link>
              <Typography
                variant="caption"
                color="textSecondary"
                component="div"
              >
                on {database.clusters.join(', ') || 'no cluster'}
              </Typography>
            </TableCell>
            {COST_COMPONENTS.map(component => (
              <TableCell key={component.key} align="right">
                {money(database.cents[component.key])}
              </TableCell>
            ))}
            <TableCell align="right">
              <strong>{money(database.cents.total)}</strong>
            </TableCell>
            <TableCell>
              <Typography variant="body2" component="div">
                avg {formatGb(database.usage.averageStorageGb)} stored
                {database.usage.averageSnapshotGb > 0
                  ? `, ${formatGb(
                      database.usage.averageSnapshotGb,
                    )} in snapshots`
                  : ''}
              </Typography>
              <Typography
                variant="caption"
                color="textSecondary"
                component="div"
              >
                {describeActivity(database.usage)} over{' '}
                {Math.round(database.usage.hours)} h
              </Typography>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
      <TableFooter>
        <TableRow>
          <TableCell>Tenant total</TableCell>
          {COST_COMPONENTS.map(component => (
            <TableCell key={component.key} align="right">
              {money(props.total[component.key])}
            </TableCell>
          ))}
          <TableCell align="right">
            <strong>{money(props.total.total)}</strong>
          </TableCell>
          <TableCell />
        </TableRow>
      </TableFooter>
    </Table>
  );
};
