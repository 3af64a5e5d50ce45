import { ReactNode, useEffect, useRef } from 'react';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import ListItemText from '@material-ui/core/ListItemText';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import { describeValue } from '@dbaas/plugin-dbaas-common';
import type { Tenant } from '../../api/types';
import { describeError } from '../common/describeError';
import { plainMessages } from '../common/plainMessage';
import { describeOwners } from './owners';
import type { DbaasTenantPickerProps } from './schema';
import { useOwnedTenants } from './useOwnedTenants';
import { allowedNamespacesOption, localNamespaceProblems } from './validation';

const useStyles = makeStyles(theme => ({
  line: {
    display: 'block',
  },
  progress: {
    marginRight: theme.spacing(1),
    verticalAlign: 'middle',
  },
  retry: {
    marginLeft: theme.spacing(1),
    padding: 0,
    minWidth: 0,
    verticalAlign: 'baseline',
  },
}));

// A div rather than a p, since the loading line holds the progress
// indicator's div. FormHelperText takes `component`; its props type omits it.
const helperTextProps = {
  component: 'div',
  margin: 'dense',
  style: { marginLeft: 0 },
} as const;

/** Shown when the user's groups own no tenant at all. */
const NO_OWNED_TENANT =
  "None of your groups owns a tenant namespace; ask the platform team to add one (dbaas.tenants or a group's dbaas.io/namespaces annotation)";

interface TenantOption {
  tenant: Tenant;
  /** Why it cannot be picked; empty when it can. */
  problems: string[];
}

/**
 * Scaffolder field for the tenant namespace a database belongs to: a select
 * of the namespaces the signed-in user's groups own, each with its owners.
 * When only one can be picked, it is picked for the user.
 */
export const DbaasTenantPicker = (props: DbaasTenantPickerProps) => {
  const {
    onChange,
    required,
    disabled,
    readonly,
    rawErrors,
    formData,
    uiSchema,
    idSchema,
    schema: { title = 'Namespace', description },
  } = props;
  const classes = useStyles();
  const allowedNamespaces = allowedNamespacesOption(uiSchema?.['ui:options']);
  const owned = useOwnedTenants();
  const value = formData ?? '';

  const ownedTenants = owned.state === 'loaded' ? owned.tenants : [];
  const options: TenantOption[] = ownedTenants
    .filter(
      tenant =>
        !allowedNamespaces || allowedNamespaces.includes(tenant.namespace),
    )
    .map(tenant => ({
      tenant,
      problems: plainMessages(localNamespaceProblems(tenant.namespace)),
    }));
  const selectable = options.filter(option => option.problems.length === 0);
  const selected = options.find(option => option.tenant.namespace === value);

  // Picks the only possible tenant for the user, once: a value they choose
  // or clear later is theirs.
  const onlyNamespace =
    selectable.length === 1 ? selectable[0].tenant.namespace : undefined;
  const preselected = useRef(false);
  useEffect(() => {
    if (
      onlyNamespace !== undefined &&
      value === '' &&
      !disabled &&
      !readonly &&
      !preselected.current
    ) {
      preselected.current = true;
      onChange(onlyNamespace);
    }
  }, [onlyNamespace, value, disabled, readonly, onChange]);

  const problems: string[] = [];
  let notes: ReactNode[] = [];
  if (owned.state === 'loading') {
    notes = [
      <span key="loading" className={classes.line}>
        <CircularProgress
          size={12}
          className={classes.progress}
          aria-label="Loading tenants"
        />
        Loading the namespaces your groups own…
      </span>,
    ];
  } else if (owned.state === 'failed') {
    problems.push(
      `Could not load the namespaces your groups own: ${describeError(
        owned.error,
      )}`,
    );
  } else if (ownedTenants.length === 0) {
    problems.push(NO_OWNED_TENANT);
  } else if (options.length === 0) {
    problems.push(
      `None of the namespaces your groups own is allowed here (allowed: ${
        allowedNamespaces?.map(describeValue).join(', ') || 'none'
      })`,
    );
  }
  if (value !== '') {
    problems.push(...localNamespaceProblems(value, allowedNamespaces));
    if (owned.state === 'loaded' && !ownedTenants.some(isTenant(value))) {
      problems.push(
        `${describeValue(value)} is not one of the namespaces your groups own`,
      );
    }
  }
  const uniqueProblems = plainMessages(problems);

  let helperText: ReactNode;
  if (uniqueProblems.length > 0 || notes.length > 0) {
    helperText = [
      ...notes,
      ...uniqueProblems.map(message => (
        <span key={message} className={classes.line}>
          {message}
        </span>
      )),
    ];
    if (owned.state === 'failed') {
      helperText = (
        <>
          {helperText}
          <Button
            size="small"
            color="primary"
            className={classes.retry}
            onClick={owned.retry}
          >
            Retry
          </Button>
        </>
      );
    }
  } else {
    helperText = [
      description,
      selected && describeOwners(selected.tenant.owners),
    ]
      .filter(Boolean)
      .map(line => (
        <span key={String(line)} className={classes.line}>
          {line}
        </span>
      ));
  }

  return (
    <TextField
      id={idSchema?.$id}
      select
      label={title}
      helperText={helperText}
      required={required}
      disabled={disabled || (options.length === 0 && value === '')}
      value={value}
      onChange={event => onChange((event.target.value as string) || undefined)}
      margin="normal"
      // The form prints the errors of the last submit under the field.
      error={uniqueProblems.length > 0 || (rawErrors?.length ?? 0) > 0}
      SelectProps={{
        renderValue: namespace => namespace as string,
        autoFocus: uiSchema?.['ui:autofocus'],
        readOnly: readonly,
      }}
      FormHelperTextProps={helperTextProps}
    >
      {options.map(({ tenant, problems: tenantProblems }) => (
        <MenuItem
          key={tenant.namespace}
          value={tenant.namespace}
          disabled={tenantProblems.length > 0}
        >
          <ListItemText
            primary={tenant.namespace}
            secondary={
              tenantProblems.length > 0
                ? tenantProblems.join('; ')
                : describeOwners(tenant.owners)
            }
          />
        </MenuItem>
      ))}
      {/* A value from elsewhere (an earlier run, the URL) stays visible. */}
      {value !== '' && !selected && (
        <MenuItem key={value} value={value} disabled>
          <ListItemText primary={value} />
        </MenuItem>
      )}
    </TextField>
  );
};

function isTenant(namespace: string) {
  return (tenant: Tenant) => tenant.namespace === namespace;
}
