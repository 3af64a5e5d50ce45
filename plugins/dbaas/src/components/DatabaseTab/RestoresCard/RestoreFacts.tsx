import { ReactNode } from 'react';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { RestoreRequest } from '@dbaas/plugin-dbaas-common';
import { RelativeTime } from '../../common/RelativeTime';
import {
  formatAbsoluteTime,
  formatRelativeTime,
} from '../../common/formatTime';
import { userName } from './userName';

const useStyles = makeStyles(theme => ({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: 0,
    '& dt': { color: theme.palette.text.secondary },
    '& dd': { margin: 0, wordBreak: 'break-word' },
  },
  name: { fontFamily: 'monospace' },
  inPlace: { color: theme.palette.warning.dark, fontWeight: 500 },
  error: {
    margin: theme.spacing(1, 0),
    padding: theme.spacing(1, 2),
    borderLeft: `4px solid ${theme.palette.error.main}`,
    background: theme.palette.background.default,
  },
  errorText: {
    margin: 0,
    fontFamily: 'monospace',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
  },
}));

const Fact = ({ term, children }: { term: string; children: ReactNode }) => (
  <>
    <dt>{term}</dt>
    <dd>{children}</dd>
  </>
);

/** Where the data goes, in words that leave no doubt. */
export const RestoreTargetText = ({ request }: { request: RestoreRequest }) => {
  const classes = useStyles();
  if (request.target === 'in-place') {
    return (
      <span className={classes.inPlace}>
        In place: replaces the data of{' '}
        <span className={classes.name}>{request.targetDatabaseName}</span>
      </span>
    );
  }
  return (
    <span>
      New database{' '}
      <span className={classes.name}>{request.targetDatabaseName}</span> (the
      original stays as it is)
    </span>
  );
};

/**
 * What a restore request is about and where its decisions stand: target,
 * snapshot, requester, reason, approvals, expiry, rejection or
 * cancellation, the failure and the safety copy.
 */
export const RestoreFacts = ({ request }: { request: RestoreRequest }) => {
  const classes = useStyles();
  const pending = request.state === 'pending-approval';
  return (
    <>
      <dl className={classes.facts}>
        <Fact term="Target">
          <RestoreTargetText request={request} />
        </Fact>
        <Fact term={request.pointInTime ? 'Point in time' : 'Snapshot'}>
          data as of <RelativeTime iso={request.snapshotCreatedAt} />
        </Fact>
        <Fact term="Requested by">
          {userName(request.requestedBy)},{' '}
          <RelativeTime iso={request.requestedAt} />
        </Fact>
        <Fact term="Reason">{request.reason}</Fact>
        <Fact term="Approvals">
          <span data-testid="dbaas-restore-approvals">
            {request.approvals.length} of {request.approvalsRequired}
          </span>
          {request.approvalsRequired > 1 &&
            ' (protected database restored in place: two different approvers)'}
          {request.approvals.map(approval => (
            <Typography
              key={`${approval.by}-${approval.at}`}
              variant="body2"
              component="span"
              display="block"
            >
              {userName(approval.by)}, {formatRelativeTime(approval.at)}
              {approval.comment ? `: “${approval.comment}”` : ''}
            </Typography>
          ))}
        </Fact>
        {pending && (
          <Fact term="Expires">
            <time
              dateTime={request.expiresAt}
              title={formatAbsoluteTime(request.expiresAt)}
            >
              {formatRelativeTime(request.expiresAt)}
            </time>{' '}
            unless approved
          </Fact>
        )}
        {request.state === 'awaiting-finalize' && request.finalizeDeadline && (
          <Fact term="Finalize by">
            <time
              dateTime={request.finalizeDeadline}
              title={formatAbsoluteTime(request.finalizeDeadline)}
            >
              {formatRelativeTime(request.finalizeDeadline)}
            </time>{' '}
            by{' '}
            {request.mode === 'protected'
              ? 'an approver'
              : userName(request.requestedBy)}
            , or the restored copy is dropped
          </Fact>
        )}
        {request.target === 'in-place' &&
          request.finalizeRequired &&
          (request.state === 'pending-approval' ||
            request.state === 'approved') && (
            <Fact term="Before the swap">
              a preview of what changes, finalized by{' '}
              {request.mode === 'protected'
                ? 'an approver'
                : userName(request.requestedBy)}
            </Fact>
          )}
        {request.finalization && (
          <Fact term="Finalized by">
            {userName(request.finalization.by)},{' '}
            {formatRelativeTime(request.finalization.at)}
            {request.finalization.comment
              ? `: “${request.finalization.comment}”`
              : ''}
          </Fact>
        )}
        {request.rejection && (
          <Fact term="Rejected by">
            {userName(request.rejection.by)},{' '}
            {formatRelativeTime(request.rejection.at)}
            {request.rejection.reason ? `: “${request.rejection.reason}”` : ''}
          </Fact>
        )}
        {request.cancellation && (
          <Fact term="Cancelled by">
            {userName(request.cancellation.by)},{' '}
            {formatRelativeTime(request.cancellation.at)}
          </Fact>
        )}
        {request.safetyCopy && (
          <Fact term="Safety copy">
            <span className={classes.name}>
              {request.safetyCopy.databaseName}
            </span>{' '}
            {request.safetyCopy.dropped
              ? '(dropped)'
              : `holds the previous data until ${formatAbsoluteTime(
                  request.safetyCopy.dropAfter,
                )}`}
          </Fact>
        )}
      </dl>
      {request.error && (
        <div className={classes.error} role="alert" aria-label="Restore error">
          <Typography variant="subtitle2" color="error">
            The restore failed
            {request.currentStep ? ` at ${request.currentStep}` : ''}. It
            cleaned up after itself: {request.databaseName} is untouched.
          </Typography>
          <pre className={classes.errorText}>{request.error}</pre>
        </div>
      )}
    </>
  );
};
