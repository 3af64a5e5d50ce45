import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import type { LinkedDatabase } from './linkedDatabases';

export function databaseKey(database: LinkedDatabase): string {
  return `${database.ref.namespace}/${database.ref.name}`;
}

/** Picks one of the databases a component leads to. */
export const DatabaseSelector = (props: {
  databases: LinkedDatabase[];
  selected: LinkedDatabase;
  onSelect: (database: LinkedDatabase) => void;
}) => (
  <TextField
    select
    label="Database"
    value={databaseKey(props.selected)}
    onChange={event => {
      const chosen = props.databases.find(
        database => databaseKey(database) === event.target.value,
      );
      if (chosen) {
        props.onSelect(chosen);
      }
    }}
    helperText={`${props.databases.length} databases: this component's own and those it depends on`}
    margin="normal"
    SelectProps={{ id: 'dbaas-database-selector' }}
  >
    {props.databases.map(database => (
      <MenuItem key={databaseKey(database)} value={databaseKey(database)}>
        {databaseKey(database)}
      </MenuItem>
    ))}
  </TextField>
);
