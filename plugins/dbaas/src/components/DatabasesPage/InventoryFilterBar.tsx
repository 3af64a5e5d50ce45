import InputAdornment from '@material-ui/core/InputAdornment';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import SearchIcon from '@material-ui/icons/Search';
import { DATABASE_MODES, DATABASE_STATUSES } from '@dbaas/plugin-dbaas-common';
import { InventoryFilters, UNKNOWN_STATUS_FILTER } from './inventoryFilters';
import { statusLabel } from './statusPresentation';

const useStyles = makeStyles(theme => ({
  bar: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  select: {
    minWidth: 160,
  },
  search: {
    flexGrow: 1,
    minWidth: 220,
  },
}));

interface Option {
  value: string;
  label: string;
}

function FilterSelect(props: {
  id: string;
  label: string;
  allLabel: string;
  value: string | undefined;
  options: Option[];
  onChange: (value: string | undefined) => void;
}) {
  const classes = useStyles();
  const { id, label, allLabel, value = '', options, onChange } = props;
  return (
    <TextField
      id={id}
      select
      label={label}
      variant="outlined"
      size="small"
      className={classes.select}
      value={value}
      onChange={event => onChange((event.target.value as string) || undefined)}
      SelectProps={{ displayEmpty: true }}
      InputLabelProps={{ shrink: true }}
    >
      <MenuItem value="">{allLabel}</MenuItem>
      {options.map(option => (
        <MenuItem key={option.value} value={option.value}>
          {option.label}
        </MenuItem>
      ))}
      {/* A value from a link that no database has stays visible. */}
      {value !== '' && !options.some(option => option.value === value) && (
        <MenuItem value={value}>{value}</MenuItem>
      )}
    </TextField>
  );
}

const STATUS_OPTIONS: Option[] = [
  ...DATABASE_STATUSES.map(status => ({
    value: status,
    label: statusLabel(status),
  })),
  { value: UNKNOWN_STATUS_FILTER, label: 'Unknown (cluster unreachable)' },
];

const OBJECTIVE_OPTIONS: Option[] = [
  { value: 'missed', label: 'Objective missed' },
  { value: 'met', label: 'Objectives met' },
  { value: 'unknown', label: 'Not known (or not ready)' },
];

const MODE_OPTIONS: Option[] = DATABASE_MODES.map(mode => ({
  value: mode,
  label: mode,
}));

function asOptions(values: string[]): Option[] {
  return values.map(value => ({ value, label: value }));
}

/**
 * The filters above the inventory: a select per tenant, status, cluster,
 * mode and recovery objectives, and a free-text search.
 */
export function InventoryFilterBar(props: {
  filters: InventoryFilters;
  tenants: string[];
  clusters: string[];
  onChange: (changes: InventoryFilters) => void;
}) {
  const classes = useStyles();
  const { filters, tenants, clusters, onChange } = props;
  return (
    <div className={classes.bar} role="search">
      <TextField
        id="dbaas-inventory-search"
        type="search"
        label="Search"
        placeholder="Name, tenant, cluster, owner…"
        variant="outlined"
        size="small"
        className={classes.search}
        value={filters.search ?? ''}
        onChange={event => onChange({ search: event.target.value })}
        InputLabelProps={{ shrink: true }}
        InputProps={{
          startAdornment: (
            <InputAdornment position="start">
              <SearchIcon fontSize="small" />
            </InputAdornment>
          ),
        }}
      />
      <FilterSelect
        id="dbaas-inventory-tenant"
        label="Tenant"
        allLabel="All tenants"
        value={filters.tenant}
        options={asOptions(tenants)}
        onChange={tenant => onChange({ tenant })}
      />
      <FilterSelect
        id="dbaas-inventory-status"
        label="Status"
        allLabel="All statuses"
        value={filters.status}
        options={STATUS_OPTIONS}
        onChange={status => onChange({ status })}
      />
      <FilterSelect
        id="dbaas-inventory-cluster"
        label="Cluster"
        allLabel="All clusters"
        value={filters.cluster}
        options={asOptions(clusters)}
        onChange={cluster => onChange({ cluster })}
      />
      <FilterSelect
        id="dbaas-inventory-mode"
        label="Mode"
        allLabel="All modes"
        value={filters.mode}
        options={MODE_OPTIONS}
        onChange={mode => onChange({ mode })}
      />
      <FilterSelect
        id="dbaas-inventory-objectives"
        label="Objectives"
        allLabel="Any objectives"
        value={filters.objectives}
        options={OBJECTIVE_OPTIONS}
        onChange={objectives => onChange({ objectives })}
      />
    </div>
  );
}
