import { useCallback, useEffect } from 'react';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { CodeSnippet, Progress, WarningPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { dbaasApiRef } from '../../api/DbaasApi';
import { describeError } from '../common/describeError';
import { isForbidden } from '../common/responseStatus';
import { useAbortableLoad } from '../common/useAbortableLoad';
import { deletionConsequences } from './deletionConsequences';
import {
  isPreviewableAction,
  PREVIEWABLE_ACTIONS,
  PreviewableAction,
  previewInputFrom,
} from './previewRequest';
import type { DbaasChangePreviewProps } from './schema';
import { useChangePreview } from './useChangePreview';

const useStyles = makeStyles(theme => ({
  section: {
    marginTop: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
}));

/** What deleting this database keeps, from its mode as the inventory knows it. */
const DeletionConsequences = (props: { namespace: string; name: string }) => {
  const { namespace, name } = props;
  const classes = useStyles();
  const dbaasApi = useApi(dbaasApiRef);
  const load = useCallback(
    (signal: AbortSignal) => dbaasApi.getDatabase({ namespace, name }, { signal }),
    [dbaasApi, namespace, name],
  );
  const database = useAbortableLoad(load);
  if (database.state === 'loading') {
    return <Progress aria-label="Loading the database" />;
  }
  if (database.state === 'failed') {
    return (
      <WarningPanel
        severity="warning"
        title={`Could not read ${namespace}/${name}: ${describeError(
          database.error,
        )}`}
      >
        A standard database is dropped with its data once the pull request is
        merged; a protected one stays in the cluster with its data (orphaned).
      </WarningPanel>
    );
  }
  const { title, points } = deletionConsequences(
    database.value.databaseName,
    database.value.mode,
  );
  return (
    <div
      className={classes.section}
      role="region"
      aria-label="What deleting it does"
      data-testid="dbaas-deletion-consequences"
    >
      <Typography variant="h6">{title}</Typography>
      <ul>
        {points.map(point => (
          <li key={point}>
            <Typography variant="body2">{point}</Typography>
          </li>
        ))}
      </ul>
    </div>
  );
};

function describeField(key: string): string {
  return (
    {
      namespace: 'the tenant namespace',
      name: 'the database name',
      reason: 'the reason',
      'mode or chartVersion': 'the new mode or chart version',
    }[key] ?? key
  );
}

const PullRequestPreview = (
  props: DbaasChangePreviewProps & { action: PreviewableAction },
) => {
  const { action, formContext, formData, onChange } = props;
  const classes = useStyles();
  const request = previewInputFrom(action, formContext?.formData);
  const preview = useChangePreview(
    action,
    request.state === 'complete' ? request.input : undefined,
  );
  const previewed = preview.state === 'done' ? preview.preview.fingerprint : undefined;

  // The field's value is what was previewed, and nothing until it was.
  useEffect(() => {
    if (formData !== previewed) {
      onChange(previewed);
    }
  }, [formData, previewed, onChange]);

  if (request.state === 'incomplete') {
    return (
      <Typography variant="body2" color="textSecondary">
        Fill in {request.missing.map(describeField).join(', ')} on the previous
        page to see the pull request.
      </Typography>
    );
  }
  if (preview.state === 'idle' || preview.state === 'loading') {
    return <Progress aria-label="Computing the pull request" />;
  }
  if (preview.state === 'failed') {
    const reason = describeError(preview.error);
    return (
      <div role="alert" data-testid="dbaas-change-preview-error">
        <Typography color="error" variant="body2" paragraph>
          {isForbidden(preview.error)
            ? `You may not change this database: ${reason}`
            : `This pull request cannot be opened: ${reason}`}
        </Typography>
        <Button variant="outlined" onClick={preview.retry}>
          Try again
        </Button>
      </div>
    );
  }
  const { diff, branchName } = preview.preview;
  return (
    <div
      className={classes.section}
      role="region"
      aria-label="Pull request preview"
    >
      <Typography variant="body2" paragraph>
        Pressing Create opens this change
        {branchName ? (
          <>
            {' '}
            on branch <code>{branchName}</code>
          </>
        ) : null}{' '}
        of the apps repository. Nothing is written before.
      </Typography>
      <div data-testid="dbaas-change-preview-diff">
        <CodeSnippet text={diff} language="diff" showCopyCodeButton />
      </div>
    </div>
  );
};

/**
 * Scaffolder field that shows, before Create, the pull request the
 * template's step would open: the action named in `ui:options.action`
 * dry-run through the scaffolder with the form's values of the same names.
 * For a deletion it first says what the database's mode means for its
 * data. Its value is set only once the preview succeeded (see
 * {@link dbaasChangePreviewValidation}).
 */
export const DbaasChangePreview = (props: DbaasChangePreviewProps) => {
  const action = props.uiSchema?.['ui:options']?.action;
  if (!isPreviewableAction(action)) {
    return (
      <Typography color="error" variant="body2" role="alert">
        This template's DbaasChangePreview field needs ui:options.action, one
        of {Object.keys(PREVIEWABLE_ACTIONS).join(', ')}.
      </Typography>
    );
  }
  const request = previewInputFrom(action, props.formContext?.formData);
  const title = props.schema?.title ?? 'Pull request';
  return (
    <>
      <Typography variant="h5" component="h2">
        {title}
      </Typography>
      {action === 'dbaas:database:delete' && request.state === 'complete' && (
        <DeletionConsequences
          namespace={request.input.namespace}
          name={request.input.name}
        />
      )}
      <PullRequestPreview {...props} action={action} />
    </>
  );
};
