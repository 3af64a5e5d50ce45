import { ReactNode } from 'react';
import CircularProgress from '@material-ui/core/CircularProgress';
import InputAdornment from '@material-ui/core/InputAdornment';
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import { describeValue } from '@dbaas/plugin-dbaas-common';
import { describeError } from '../common/describeError';
import { plainMessage, plainMessages } from '../common/plainMessage';
import { namespaceFromFormData } from './namespaceField';

import type { DbaasDatabaseNamePickerProps } from './schema';
import {
  DatabaseNameCheck,
  useDatabaseNameCheck,
} from './useDatabaseNameCheck';
import { localNameProblems, unavailableMessages } from './validation';

const useStyles = makeStyles(theme => ({
  line: {
    display: 'block',
  },
  available: {
    color: theme.palette.success.main,
  },
}));

/**
 * Every message that makes the name unusable, in plain words, each once:
 * the naming rules checked in the browser, then what the backend found.
 * The errors of the last submit (the form's validation asks the backend
 * too) are the same messages, so they are not shown twice.
 */
function collectProblems(options: {
  name: string;
  namespace: string | undefined;
  localProblems: string[];
  check: DatabaseNameCheck;
  rawErrors: string[] | undefined;
}): string[] {
  const { name, namespace, localProblems, check, rawErrors } = options;
  const messages = [...localProblems];
  if (check.state === 'checked' && namespace !== undefined) {
    messages.push(...unavailableMessages(check.response, name, namespace));
  }
  // Errors from the last submit quote the value submitted then; once the
  // user types again the live checks above describe the current value.
  if (name === '') {
    messages.push(...(rawErrors ?? []));
  }
  return plainMessages(messages);
}

/**
 * Scaffolder field for the name of a new database. The naming rules are
 * checked as the user types; the backend is asked, after a pause, whether
 * the name is available in the namespace picked in another field.
 */
export const DbaasDatabaseNamePicker = (
  props: DbaasDatabaseNamePickerProps,
) => {
  const {
    onChange,
    required,
    disabled,
    readonly,
    rawErrors,
    formData,
    formContext,
    uiSchema,
    idSchema,
    placeholder,
    schema: { title = 'Database name', description },
  } = props;
  const classes = useStyles();

  // Shown exactly as typed: a name the rules reject is explained, never fixed.
  const name = formData ?? '';
  const namespace = namespaceFromFormData(
    formContext?.formData,
    uiSchema?.['ui:options']?.namespaceField,
  );
  const localProblems =
    name === ''
      ? []
      : localNameProblems(name, namespace).map(problem => problem.message);
  const check = useDatabaseNameCheck({
    namespace,
    name,
    enabled: name !== '' && localProblems.length === 0,
  });
  const problems = collectProblems({
    name,
    namespace,
    localProblems,
    check,
    rawErrors,
  });

  const quotedName = plainMessage(describeValue(name));
  const quotedNamespace = plainMessage(describeValue(namespace ?? ''));
  let helperText: ReactNode = description;
  if (problems.length > 0) {
    helperText = problems.map(message => (
      <span key={message} className={classes.line}>
        {message}
      </span>
    ));
  } else if (check.state === 'checking') {
    helperText = `Checking whether ${quotedName} is available in ${quotedNamespace}…`;
  } else if (check.state === 'checked') {
    helperText = (
      <span className={classes.available}>
        ✓ {quotedName} is available in {quotedNamespace}
      </span>
    );
  } else if (check.state === 'failed') {
    helperText = `Could not check whether ${quotedName} is available: ${describeError(
      check.error,
    )}. Next checks it again.`;
  } else if (name !== '' && namespace === undefined) {
    helperText = `Choose a namespace to check whether ${quotedName} is available`;
  }

  return (
    <TextField
      id={idSchema?.$id}
      label={title}
      placeholder={placeholder}
      helperText={helperText}
      required={required}
      disabled={disabled}
      value={name}
      onChange={event => onChange(event.target.value || undefined)}
      margin="normal"
      error={problems.length > 0}
      inputProps={{
        autoFocus: uiSchema?.['ui:autofocus'],
        readOnly: readonly,
        spellCheck: false,
        autoComplete: 'off',
      }}
      InputProps={{
        endAdornment:
          check.state === 'checking' ? (
            <InputAdornment position="end">
              <CircularProgress size={16} aria-label="Checking availability" />
            </InputAdornment>
          ) : undefined,
      }}
      FormHelperTextProps={{ margin: 'dense', style: { marginLeft: 0 } }}
    />
  );
};
