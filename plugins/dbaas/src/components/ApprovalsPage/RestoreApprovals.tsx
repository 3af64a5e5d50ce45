import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';
import Button from '@material-ui/core/Button';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  ListRestoresResponse,
  RestoreRequest,
  isActiveRestoreState,
} from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../api/DbaasApi';
import { usePolledLoad } from '../common/usePolledLoad';
import { describeError } from '../common/describeError';
import { ApprovalRequestItem } from './ApprovalRequestItem';
import { useCurrentUser } from './useCurrentUser';

/** How often the inbox looks for new requests and expiries. */
export const INBOX_POLL_INTERVAL_MS = 15_000;

const TAB_PARAM = 'tab';
type ApprovalsTab = 'inbox' | 'history';

const always = () => true;
const anyActive = (value: ListRestoresResponse) =>
  value.items.some(r => isActiveRestoreState(r.state));

function RequestList({
  requests,
  currentUser,
  empty,
  onChanged,
}: {
  requests: RestoreRequest[];
  currentUser?: string;
  empty: { title: string; description: string };
  onChanged: () => void;
}) {
  if (requests.length === 0) {
    return <EmptyState missing="data" {...empty} />;
  }
  return (
    <>
      {requests.map(request => (
        <ApprovalRequestItem
          key={request.id}
          request={request}
          currentUser={currentUser}
          onChanged={onChanged}
        />
      ))}
    </>
  );
}

/**
 * The approvers' inbox (requests waiting for approval, oldest decisions
 * first to come due) and the history of every other request, with their
 * steps and logs. The tab is kept in `?tab=`.
 */
export const RestoreApprovals = ({
  pollIntervalMs = INBOX_POLL_INTERVAL_MS,
}: {
  pollIntervalMs?: number;
}) => {
  const dbaasApi = useApi(dbaasApiRef);
  const currentUser = useCurrentUser();
  const [searchParams, setSearchParams] = useSearchParams();
  const tab: ApprovalsTab =
    searchParams.get(TAB_PARAM) === 'history' ? 'history' : 'inbox';

  const loadInbox = useCallback(
    (signal: AbortSignal) =>
      dbaasApi.listRestores({ status: 'pending-approval', signal }),
    [dbaasApi],
  );
  const loadAll = useCallback(
    (signal: AbortSignal) => dbaasApi.listRestores({ signal }),
    [dbaasApi],
  );
  // New requests arrive and old ones expire: the inbox always refreshes.
  const inbox = usePolledLoad(loadInbox, {
    pollWhile: always,
    intervalMs: pollIntervalMs,
  });
  const all = usePolledLoad(loadAll, {
    pollWhile: anyActive,
    intervalMs: pollIntervalMs,
  });
  const reload = () => {
    inbox.reload();
    all.reload();
  };

  const shown = tab === 'inbox' ? inbox : all;
  // Restores awaiting their finalize wait for a decision too (an approver's
  // for a protected database): they come from the full list, polled while
  // any request is active.
  const awaiting =
    all.state === 'loaded'
      ? all.value.items.filter(r => r.state === 'awaiting-finalize')
      : [];
  const waiting =
    inbox.state === 'loaded' ? inbox.value.items.length + awaiting.length : 0;

  let content;
  if (shown.state === 'loading') {
    content = <Progress aria-label="Loading restore requests" />;
  } else if (shown.state === 'failed') {
    content = (
      <>
        <ResponseErrorPanel
          error={shown.error}
          title={`Could not load the restore requests: ${describeError(
            shown.error,
          )}`}
        />
        <Button color="primary" onClick={shown.reload}>
          Retry
        </Button>
      </>
    );
  } else if (tab === 'inbox') {
    // The request closest to its deadline first: it needs a decision
    // soonest (a finalize deadline for those awaiting it).
    const deadline = (r: RestoreRequest) =>
      r.state === 'awaiting-finalize' && r.finalizeDeadline
        ? r.finalizeDeadline
        : r.expiresAt;
    const requests = [...shown.value.items, ...awaiting].sort((a, b) =>
      deadline(a).localeCompare(deadline(b)),
    );
    content = (
      <RequestList
        requests={requests}
        currentUser={currentUser}
        onChanged={reload}
        empty={{
          title: 'No restore request is waiting for a decision',
          description:
            'Requests made from a database’s Snapshots card show here until they are approved, rejected, cancelled or expire, and again when an in-place restore waits to be finalized.',
        }}
      />
    );
  } else {
    content = (
      <RequestList
        requests={shown.value.items.filter(
          r =>
            r.state !== 'pending-approval' && r.state !== 'awaiting-finalize',
        )}
        currentUser={currentUser}
        onChanged={reload}
        empty={{
          title: 'No restore request has been decided yet',
          description:
            'Approved, rejected, cancelled, expired, running and finished restores show here with their step logs.',
        }}
      />
    );
  }

  return (
    <>
      <Tabs
        value={tab}
        onChange={(_, value: ApprovalsTab) =>
          setSearchParams(
            value === 'history' ? { [TAB_PARAM]: 'history' } : {},
            { replace: true },
          )
        }
        indicatorColor="primary"
        aria-label="Restore requests"
      >
        <Tab
          value="inbox"
          label={`Waiting for a decision${
            inbox.state === 'loaded' ? ` (${waiting})` : ''
          }`}
        />
        <Tab value="history" label="History" />
      </Tabs>
      {shown.state === 'loaded' && shown.pollError && (
        <Typography variant="body2" color="error" role="alert">
          Could not refresh (retrying): {describeError(shown.pollError)}
        </Typography>
      )}
      <div style={{ marginTop: 16 }}>{content}</div>
    </>
  );
};
