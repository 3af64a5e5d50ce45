import { useState } from 'react';
import Link from '@material-ui/core/Link';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import Typography from '@material-ui/core/Typography';
import { EntityRefLinks } from '@backstage/plugin-catalog-react';
import type { TenantCostSummary } from '@dbaas/plugin-dbaas-common';
import { BudgetUsage } from './BudgetUsage';
import { formatCents } from './formatMoney';
import {
  DEFAULT_TENANT_SORT,
  TenantSort,
  TenantSortKey,
  nextTenantSort,
  sortTenants,
} from './tenantSort';

interface Column {
  key: TenantSortKey;
  title: string;
  numeric: boolean;
}

/**
 * The tenants of the month, most expensive first; a click on a column
 * sorts by it, a click on a tenant shows its databases.
 */
export const TenantCostTable = (props: {
  tenants: TenantCostSummary[];
  currency: string;
  isCurrentMonth: boolean;
  selected?: string;
  onSelect(namespace: string): void;
}) => {
  const { tenants, currency, selected, onSelect } = props;
  const [sort, setSort] = useState<TenantSort>(DEFAULT_TENANT_SORT);
  const money = (cents: number) => formatCents(cents, currency);
  const columns: Column[] = [
    { key: 'namespace', title: 'Tenant', numeric: false },
    { key: 'databases', title: 'Databases', numeric: true },
    {
      key: 'total',
      title: props.isCurrentMonth ? 'Month to date' : 'Total',
      numeric: true,
    },
    { key: 'forecast', title: 'Forecast', numeric: true },
    { key: 'budgetUsed', title: 'Budget used', numeric: false },
  ];
  return (
    <Table size="small" aria-label="Cost per tenant">
      <TableHead>
        <TableRow>
          {columns.map(column => (
            <TableCell
              key={column.key}
              align={column.numeric ? 'right' : 'left'}
              sortDirection={sort.key === column.key ? sort.direction : false}
              // Titles on one line: a narrow card broke them ("Tenan t").
              style={{ whiteSpace: 'nowrap' }}
            >
              <TableSortLabel
                active={sort.key === column.key}
                direction={sort.key === column.key ? sort.direction : 'asc'}
                onClick={() =>
                  setSort(current => nextTenantSort(current, column.key))
                }
              >
                {column.title}
              </TableSortLabel>
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {sortTenants(tenants, sort).map(tenant => (
          <TableRow
            key={tenant.namespace}
            hover
            selected={tenant.namespace === selected}
            data-testid={`tenant-row-${tenant.namespace}`}
          >
            <TableCell style={{ whiteSpace: 'nowrap' }}>
              <Link
                component="button"
                variant="body2"
                aria-pressed={tenant.namespace === selected}
                onClick={() => onSelect(tenant.namespace)}
                title={`Show the databases of ${tenant.namespace}`}
              >
                {tenant.namespace}
              </Link>
              {tenant.owners.length > 0 && (
                <Typography
                  variant="caption"
                  color="textSecondary"
                  component="div"
                >
                  <EntityRefLinks
                    entityRefs={tenant.owners}
                    defaultKind="group"
                  />
                </Typography>
              )}
            </TableCell>
            <TableCell align="right">{tenant.databaseCount}</TableCell>
            <TableCell align="right">{money(tenant.cents.total)}</TableCell>
            <TableCell align="right">{money(tenant.forecastCents)}</TableCell>
            <TableCell>
              <BudgetUsage budgetUsedPercent={tenant.budgetUsedPercent} />
              {tenant.budgetCents !== undefined && tenant.budgetCents > 0 && (
                <Typography variant="caption" color="textSecondary">
                  of {money(tenant.budgetCents)}
                </Typography>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
