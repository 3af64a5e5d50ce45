import { useEffect } from 'react';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import { makeStyles } from '@material-ui/core/styles';
import { namespaceFromFormData } from '../DbaasDatabaseNamePicker/namespaceField';
import { useDatabaseNameCheck } from '../DbaasDatabaseNamePicker/useDatabaseNameCheck';
import { namesValue } from './namesValue';
import type {
  DbaasDatabaseNamesProps,
  DbaasDatabaseNamesValue,
} from './schema';

const useStyles = makeStyles(theme => ({
  list: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: theme.spacing(1, 0, 0),
  },
  term: {
    color: theme.palette.text.secondary,
  },
  value: {
    margin: 0,
    fontFamily: 'monospace',
    wordBreak: 'break-all',
  },
}));

/** The rows shown, in the order of the Review step (the template's titles). */
const ROWS: { key: keyof DbaasDatabaseNamesValue; label: string }[] = [
  { key: 'database', label: 'Database' },
  { key: 'roles', label: 'Roles' },
  { key: 'kubernetesSecrets', label: 'Kubernetes Secrets' },
  { key: 'secretManagerPaths', label: 'Secret manager paths' },
];

/**
 * Read-only scaffolder field showing the names the requested database gets
 * (database, roles, Kubernetes Secrets, secret manager paths), from the
 * namespace and name picked in other fields. It holds them as its value, so
 * the Review step lists them before Create.
 */
export const DbaasDatabaseNames = (props: DbaasDatabaseNamesProps) => {
  const {
    onChange,
    formData,
    formContext,
    uiSchema,
    idSchema,
    schema: { title = 'Resulting names', description },
  } = props;
  const classes = useStyles();
  const options = uiSchema?.['ui:options'];
  const namespace = namespaceFromFormData(
    formContext?.formData,
    options?.namespaceField,
  );
  const rawName = namespaceFromFormData(
    formContext?.formData,
    options?.nameField ?? 'name',
  );
  const local = namesValue(namespace, rawName, undefined);
  const check = useDatabaseNameCheck({
    namespace,
    name: rawName ?? '',
    enabled: local.database !== undefined,
  });
  const value = namesValue(
    namespace,
    rawName,
    check.state === 'checked' ? check.response.names : undefined,
  );

  const serialized = JSON.stringify(value);
  const current = JSON.stringify(formData ?? {});
  useEffect(() => {
    if (serialized !== current) {
      onChange(JSON.parse(serialized));
    }
  }, [serialized, current, onChange]);

  const id = idSchema?.$id ?? 'dbaas-database-names';
  return (
    <FormControl margin="normal" fullWidth>
      <FormLabel id={`${id}-label`}>{title}</FormLabel>
      {value.database === undefined ? (
        <FormHelperText>
          {description ??
            'Pick a namespace and a valid name to see the names the database gets.'}
        </FormHelperText>
      ) : (
        <dl className={classes.list} aria-labelledby={`${id}-label`}>
          {ROWS.map(({ key, label }) => (
            <div key={key} style={{ display: 'contents' }}>
              <dt className={classes.term}>{label}</dt>
              <dd className={classes.value}>
                {value[key] ??
                  (check.state === 'failed'
                    ? 'shown once the backend answers'
                    : 'checking…')}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </FormControl>
  );
};
