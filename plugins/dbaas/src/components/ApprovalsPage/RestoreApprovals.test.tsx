import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { RestoreRequest } from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../api/DbaasApi';
import {
  HOUR,
  ago,
  awaitingRequest,
  inFuture,
  mockRestoreApi,
  restorePreview,
  restoreRequest,
} from '../DatabaseTab/RestoresCard/restoreTestFixtures';
import { responseError } from '../DatabaseTab/testFixtures';
import { formatAbsoluteTime } from '../common/formatTime';
import { RestoreApprovals } from './RestoreApprovals';

const APPROVER = 'user:default/bob';

function render(
  dbaasApi: ReturnType<typeof mockRestoreApi>,
  { user = APPROVER, url = '/' } = {},
) {
  return renderInTestApp(<RestoreApprovals pollIntervalMs={60_000} />, {
    apis: [[dbaasApiRef, dbaasApi], mockApis.identity({ userEntityRef: user })],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    initialRouteEntries: [url],
  });
}

/** A backend listing `pending` for the inbox and `all` otherwise. */
function apiListing(
  pending: RestoreRequest[],
  all: RestoreRequest[] = pending,
) {
  const dbaasApi = mockRestoreApi();
  dbaasApi.listRestores.mockImplementation(async options =>
    options?.status === 'pending-approval'
      ? { items: pending }
      : { items: all },
  );
  return dbaasApi;
}

const waiting = restoreRequest({
  id: 'r-7',
  target: 'in-place',
  mode: 'protected',
  targetDatabaseName: 'payments-ledger',
  approvalsRequired: 2,
  approvals: [{ by: 'user:default/carol', at: ago(HOUR), comment: 'checked' }],
  fingerprint: 'sha256:abc',
  allowedActions: ['approve', 'reject'],
});

describe('RestoreApprovals', () => {
  it('lists the requests waiting for approval with what they would do', async () => {
    const dbaasApi = apiListing([waiting]);
    render(dbaasApi);

    const row = within(await screen.findByTestId('dbaas-restore-r-7'));
    expect(dbaasApi.listRestores).toHaveBeenCalledWith({
      status: 'pending-approval',
      signal: expect.any(AbortSignal),
    });
    expect(row.getByRole('link', { name: 'payments/ledger' })).toHaveAttribute(
      'href',
      '/catalog/default/resource/payments-ledger',
    );
    expect(
      row.getAllByText(/In place: replaces the data of/).length,
    ).toBeGreaterThan(0);
    expect(
      row.getByText(
        (_, element) =>
          element?.tagName === 'DD' &&
          /^alice, 20 minutes ago \(/.test(element.textContent ?? ''),
      ),
    ).toBeInTheDocument();
    expect(row.getByText('requested 20 minutes ago')).toBeInTheDocument();
    expect(row.getByText(/^in 2[23] hours$/)).toBeInTheDocument();
    expect(
      row.getByText('Rows deleted by a bad migration at 11:40'),
    ).toBeInTheDocument();
    expect(row.getByTestId('dbaas-restore-approvals')).toHaveTextContent(
      '1 of 2',
    );
    expect(row.getByText('carol, 1 hour ago: “checked”')).toBeInTheDocument();
    expect(row.getByTestId('dbaas-restore-state')).toHaveTextContent(
      'pending-approval',
    );
    expect(
      screen.getByRole('tab', { name: 'Waiting for a decision (1)' }),
    ).toBeInTheDocument();
  });

  it('says when a request restores a point in time rather than a snapshot', async () => {
    const pitr = restoreRequest({
      id: 'r-8',
      snapshotId: 'pitr:2026-03-01T11:39:58Z',
      snapshotCreatedAt: '2026-03-01T11:39:58.000Z',
      pointInTime: '2026-03-01T11:39:58.000Z',
      allowedActions: ['approve', 'reject'],
    });
    render(apiListing([pitr]));
    const row = within(await screen.findByTestId('dbaas-restore-r-8'));
    expect(row.getByText('Point in time')).toBeInTheDocument();
    expect(row.queryByText('Snapshot')).not.toBeInTheDocument();
    fireEvent.click(row.getByRole('button', { name: 'Approve' }));
    const dialog = within(await screen.findByRole('dialog'));
    expect(
      dialog.getByText(
        (_, element) =>
          element?.tagName === 'P' &&
          (element.textContent ?? '').endsWith(
            `, the data as it was at ${formatAbsoluteTime(
              '2026-03-01T11:39:58.000Z',
            )}.`,
          ),
      ),
    ).toBeInTheDocument();
  });

  it('approves with the comment and the fingerprint of the request as shown', async () => {
    const dbaasApi = apiListing([waiting]);
    dbaasApi.approveRestore.mockResolvedValue({
      ...waiting,
      state: 'approved',
    });
    render(dbaasApi);

    const row = within(await screen.findByTestId('dbaas-restore-r-7'));
    fireEvent.click(row.getByRole('button', { name: 'Approve' }));
    const dialog = within(await screen.findByRole('dialog'));
    expect(
      dialog.getByText(/clients of payments-ledger are disconnected/),
    ).toBeInTheDocument();
    expect(dialog.getByText(/Approval 2 of 2/)).toBeInTheDocument();
    fireEvent.change(dialog.getByLabelText('Comment (optional)'), {
      target: { value: '  Confirmed with the team  ' },
    });
    dbaasApi.listRestores.mockImplementation(async options =>
      options?.status === 'pending-approval'
        ? { items: [] }
        : { items: [{ ...waiting, state: 'approved', allowedActions: [] }] },
    );
    fireEvent.click(dialog.getByRole('button', { name: 'Approve restore' }));

    await waitFor(() =>
      expect(dbaasApi.approveRestore).toHaveBeenCalledWith('r-7', {
        comment: 'Confirmed with the team',
        fingerprint: 'sha256:abc',
      }),
    );
    expect(
      await screen.findByText('No restore request is waiting for a decision'),
    ).toBeInTheDocument();
  });

  it('approves without a comment, still sending the fingerprint', async () => {
    const dbaasApi = apiListing([waiting]);
    dbaasApi.approveRestore.mockResolvedValue(waiting);
    render(dbaasApi);

    fireEvent.click(await screen.findByRole('button', { name: 'Approve' }));
    fireEvent.click(
      await screen.findByRole('button', { name: 'Approve restore' }),
    );

    await waitFor(() =>
      expect(dbaasApi.approveRestore).toHaveBeenCalledWith('r-7', {
        fingerprint: 'sha256:abc',
      }),
    );
  });

  it('shows why an approval was refused and reloads, as the request may have changed', async () => {
    const dbaasApi = apiListing([waiting]);
    dbaasApi.approveRestore.mockRejectedValue(
      await responseError(
        409,
        'Conflict',
        'the request changed since it was shown',
      ),
    );
    render(dbaasApi);

    fireEvent.click(await screen.findByRole('button', { name: 'Approve' }));
    const calls = dbaasApi.listRestores.mock.calls.length;
    fireEvent.click(
      await screen.findByRole('button', { name: 'Approve restore' }),
    );

    expect(
      await screen.findByText(
        /^Refused: the request changed since it was shown\. The request may have changed/,
      ),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(dbaasApi.listRestores.mock.calls.length).toBeGreaterThan(calls),
    );
  });

  it('requires a reason to reject, then sends it', async () => {
    const dbaasApi = apiListing([waiting]);
    dbaasApi.rejectRestore.mockResolvedValue({ ...waiting, state: 'rejected' });
    render(dbaasApi);

    fireEvent.click(await screen.findByRole('button', { name: 'Reject' }));
    const dialog = within(await screen.findByRole('dialog'));
    fireEvent.click(dialog.getByRole('button', { name: 'Reject request' }));
    expect(
      await dialog.findByText(
        'A reason is required: the requester needs to know why',
      ),
    ).toBeInTheDocument();
    expect(dbaasApi.rejectRestore).not.toHaveBeenCalled();

    fireEvent.change(dialog.getByLabelText('Reason'), {
      target: { value: 'Use a new database first' },
    });
    fireEvent.click(dialog.getByRole('button', { name: 'Reject request' }));
    await waitFor(() =>
      expect(dbaasApi.rejectRestore).toHaveBeenCalledWith(
        'r-7',
        'Use a new database first',
      ),
    );
  });

  it('tells requesters they cannot approve their own request, and offers no Approve', async () => {
    const own = restoreRequest({
      id: 'r-8',
      requestedBy: 'user:default/alice',
      allowedActions: ['cancel'],
    });
    render(apiListing([own]), { user: 'user:default/alice' });

    const row = within(await screen.findByTestId('dbaas-restore-r-8'));
    expect(row.getByTestId('dbaas-restore-decision-note')).toHaveTextContent(
      'You requested this restore: you cannot approve your own request. Someone else must.',
    );
    expect(
      row.queryByRole('button', { name: 'Approve' }),
    ).not.toBeInTheDocument();
    expect(
      row.queryByRole('button', { name: 'Reject' }),
    ).not.toBeInTheDocument();
    expect(
      row.getByRole('button', { name: 'Cancel request' }),
    ).toBeInTheDocument();
  });

  it('offers no decision to someone the backend does not let decide, saying why', async () => {
    render(apiListing([restoreRequest({ allowedActions: [] })]), {
      user: 'user:default/dave',
    });

    const row = within(await screen.findByTestId('dbaas-restore-r-1'));
    expect(row.getByTestId('dbaas-restore-decision-note')).toHaveTextContent(
      'Only the restore approvers can decide on this request.',
    );
    expect(
      row.queryByRole('button', { name: 'Approve' }),
    ).not.toBeInTheDocument();
  });

  it('tells the first approver a second, different one is needed', async () => {
    render(apiListing([{ ...waiting, allowedActions: ['reject'] }]), {
      user: 'user:default/carol',
    });

    expect(
      await screen.findByTestId('dbaas-restore-decision-note'),
    ).toHaveTextContent('You approved this request. It needs another approver');
  });

  it('puts the request closest to expiring first', async () => {
    render(
      apiListing([
        restoreRequest({ id: 'later', expiresAt: inFuture(20 * HOUR) }),
        restoreRequest({ id: 'sooner', expiresAt: inFuture(HOUR) }),
      ]),
    );

    await screen.findByTestId('dbaas-restore-sooner');
    const ids = screen
      .getAllByTestId(/^dbaas-restore-(sooner|later)$/)
      .map(element => element.dataset.testid);
    expect(ids).toEqual(['dbaas-restore-sooner', 'dbaas-restore-later']);
  });

  it('says when nothing waits for approval', async () => {
    render(apiListing([]));

    expect(
      await screen.findByText('No restore request is waiting for a decision'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('tab', { name: 'Waiting for a decision (0)' }),
    ).toBeInTheDocument();
  });

  it('shows the history with states, steps and logs', async () => {
    const failed = restoreRequest({
      id: 'r-3',
      state: 'failed',
      currentStep: 'verify',
      error: 'row counts differ in table orders',
      log: [
        {
          at: '2026-03-04T12:00:09.000Z',
          step: 'verify',
          level: 'error',
          message: 'row counts differ in table orders',
        },
      ],
    });
    const rejected = restoreRequest({
      id: 'r-2',
      state: 'rejected',
      rejection: { by: APPROVER, at: ago(HOUR), reason: 'wrong snapshot' },
    });
    const dbaasApi = apiListing([waiting], [waiting, failed, rejected]);
    render(dbaasApi);

    fireEvent.click(await screen.findByRole('tab', { name: 'History' }));

    const failedRow = within(await screen.findByTestId('dbaas-restore-r-3'));
    expect(screen.queryByTestId('dbaas-restore-r-7')).not.toBeInTheDocument();
    expect(failedRow.getByTestId('dbaas-restore-state')).toHaveTextContent(
      'failed',
    );
    expect(
      failedRow.getByRole('alert', { name: 'Restore error' }),
    ).toHaveTextContent('row counts differ in table orders');
    fireEvent.click(
      failedRow.getByRole('button', { name: 'Show steps and log' }),
    );
    expect(failedRow.getByTestId('dbaas-restore-step-verify')).toHaveAttribute(
      'data-progress',
      'failed',
    );
    expect(
      within(failedRow.getByRole('table', { name: 'Restore log' })).getByText(
        '2026-03-04 12:00:09 UTC',
      ),
    ).toBeInTheDocument();
    expect(
      within(screen.getByTestId('dbaas-restore-r-2')).getByText(
        'bob, 1 hour ago: “wrong snapshot”',
      ),
    ).toBeInTheDocument();
    expect(dbaasApi.listRestores).toHaveBeenCalledWith({
      signal: expect.any(AbortSignal),
    });
  });

  it('opens on the history when the URL says so, and says when it is empty', async () => {
    render(apiListing([waiting]), { url: '/?tab=history' });

    expect(
      await screen.findByText('No restore request has been decided yet'),
    ).toBeInTheDocument();
  });

  it('shows why the requests could not be loaded, with a retry', async () => {
    const dbaasApi = mockRestoreApi();
    dbaasApi.listRestores.mockRejectedValueOnce(new Error('backend down'));
    dbaasApi.listRestores.mockResolvedValue({ items: [] });
    render(dbaasApi);

    expect(
      await screen.findByText(
        /Could not load the restore requests: backend down/,
      ),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByText('No restore request is waiting for a decision'),
    ).toBeInTheDocument();
  });

  it('lists a protected restore awaiting its finalize in the inbox, and lets an approver finalize it', async () => {
    const finalizing = awaitingRequest({
      id: 'r-8',
      mode: 'protected',
      approvalsRequired: 2,
      finalizeDeadline: inFuture(HOUR / 2),
    });
    // Pending ones come due later than the finalize: it is listed first.
    const dbaasApi = apiListing([waiting], [finalizing, waiting]);
    dbaasApi.getRestorePreview.mockResolvedValue(
      restorePreview({ restoreId: 'r-8' }),
    );
    dbaasApi.finalizeRestore.mockResolvedValue({
      ...finalizing,
      state: 'running',
      allowedActions: [],
    });
    render(dbaasApi);

    const row = within(await screen.findByTestId('dbaas-restore-r-8'));
    expect(row.getByTestId('dbaas-restore-state')).toHaveTextContent(
      'awaiting-finalize',
    );
    expect(
      await screen.findByRole('tab', { name: 'Waiting for a decision (2)' }),
    ).toBeInTheDocument();
    expect(
      screen
        .getAllByTestId(/^dbaas-restore-r-/)
        .map(item => item.dataset.testid),
    ).toEqual(['dbaas-restore-r-8', 'dbaas-restore-r-7']);
    expect(
      await row.findByTestId('dbaas-preview-public.orders'),
    ).toHaveTextContent('+500');
    expect(dbaasApi.getRestorePreview).toHaveBeenCalledWith('r-8', {
      signal: expect.any(AbortSignal),
    });

    fireEvent.click(row.getByRole('button', { name: 'Finalize' }));
    fireEvent.click(
      await screen.findByRole('button', { name: 'Finalize and swap' }),
    );
    await waitFor(() =>
      expect(dbaasApi.finalizeRestore).toHaveBeenCalledWith('r-8', {}),
    );
  });

  it('tells an approver that only the requester finalizes a standard restore', async () => {
    const dbaasApi = apiListing(
      [],
      [awaitingRequest({ allowedActions: ['cancel'] })],
    );
    dbaasApi.getRestorePreview.mockResolvedValue(restorePreview());
    render(dbaasApi);

    expect(
      await screen.findByText(
        'Only the requester, alice, can finalize this restore.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Finalize' }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Cancel request' }),
    ).toBeInTheDocument();
  });
});
