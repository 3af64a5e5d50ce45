import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import Grid from '@material-ui/core/Grid';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import type { RestoreRequest } from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../../api/DbaasApi';
import { rootRouteRef } from '../../../routes';
import { SnapshotsAndRestores } from '../SnapshotsCard/SnapshotsAndRestores';
import { readyDatabase, responseError } from '../testFixtures';
import {
  HOUR,
  ago,
  awaitingRequest,
  mockRestoreApi,
  restorePreview,
  restoreRequest,
  snapshotsResponse,
} from './restoreTestFixtures';

const POLL_MS = 20;

function render(
  dbaasApi: ReturnType<typeof mockRestoreApi>,
  mountedRoutes?: { [path: string]: typeof rootRouteRef },
  user = 'user:default/alice',
) {
  return renderInTestApp(
    <Grid container>
      <SnapshotsAndRestores
        database={readyDatabase()}
        pollIntervalMs={POLL_MS}
      />
    </Grid>,
    {
      apis: [
        mockApis.permission(),
        [dbaasApiRef, dbaasApi],
        mockApis.identity({ userEntityRef: user }),
      ],
      mountedRoutes,
    },
  );
}

function apiReturning(...responses: RestoreRequest[][]) {
  const dbaasApi = mockRestoreApi();
  dbaasApi.listSnapshots.mockResolvedValue(snapshotsResponse());
  for (const items of responses.slice(0, -1)) {
    dbaasApi.listRestores.mockResolvedValueOnce({ items });
  }
  dbaasApi.listRestores.mockResolvedValue({ items: responses.at(-1)! });
  return dbaasApi;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

const running = restoreRequest({
  state: 'running',
  target: 'in-place',
  targetDatabaseName: 'payments-ledger',
  approvalsRequired: 2,
  approvals: [
    { by: 'user:default/bob', at: ago(HOUR), comment: 'go' },
    { by: 'user:default/carol', at: ago(HOUR) },
  ],
  currentStep: 'verify',
  log: [
    {
      at: '2026-03-04T12:00:01.000Z',
      step: 'preflight',
      level: 'info',
      message: 'pg_restore 15.6 matches the server',
    },
    {
      at: '2026-03-04T12:00:05.000Z',
      step: 'restore',
      level: 'warning',
      message: 'extension pg_stat_statements skipped',
    },
  ],
});

describe('RestoresCard', () => {
  it('shows the running request: state, target, approvals, steps with the current one, and the log', async () => {
    const dbaasApi = apiReturning([running]);
    render(dbaasApi);

    const panel = within(await screen.findByTestId('dbaas-restore-r-1'));
    expect(dbaasApi.listRestores).toHaveBeenCalledWith({
      namespace: 'payments',
      name: 'ledger',
      signal: expect.any(AbortSignal),
    });
    expect(panel.getByTestId('dbaas-restore-state')).toHaveTextContent(
      'running',
    );
    expect(
      panel.getAllByText(/In place: replaces the data of/).length,
    ).toBeGreaterThan(0);
    expect(panel.getByTestId('dbaas-restore-approvals')).toHaveTextContent(
      '2 of 2',
    );
    expect(panel.getByText('bob, 1 hour ago: “go”')).toBeInTheDocument();

    // Local snapshots: no temporary cluster; in place: swap and safety copy.
    const steps = panel
      .getAllByRole('listitem')
      .filter(item => item.dataset.testid?.startsWith('dbaas-restore-step-'));
    expect(steps.map(step => step.dataset.testid)).toEqual(
      [
        'preflight',
        'restore',
        'verify',
        'swap',
        'grants',
        'cleanup',
        'drop-safety-copy',
      ].map(step => `dbaas-restore-step-${step}`),
    );
    expect(panel.getByTestId('dbaas-restore-step-restore')).toHaveAttribute(
      'data-progress',
      'done',
    );
    const current = panel.getByTestId('dbaas-restore-step-verify');
    expect(current).toHaveAttribute('aria-current', 'step');
    expect(current).toHaveTextContent('verify — running now');
    expect(panel.getByTestId('dbaas-restore-step-swap')).toHaveTextContent(
      'swap — not started',
    );

    const log = within(panel.getByRole('table', { name: 'Restore log' }));
    expect(log.getByText('2026-03-04 12:00:05 UTC')).toBeInTheDocument();
    expect(log.getByText('warning')).toBeInTheDocument();
    expect(
      log.getByText('extension pg_stat_statements skipped'),
    ).toBeInTheDocument();
  });

  it('polls while the restore runs and stops once it has finished', async () => {
    const succeeded = {
      ...running,
      state: 'succeeded' as const,
      currentStep: undefined,
      safetyCopy: {
        databaseName: 'payments-ledger-pre-restore-r-1',
        dropAfter: '2026-03-11T12:00:00.000Z',
      },
    };
    const dbaasApi = apiReturning([running], [running], [succeeded]);
    render(dbaasApi);

    await waitFor(() =>
      expect(screen.getByTestId('dbaas-restore-state')).toHaveTextContent(
        'succeeded',
      ),
    );
    const calls = dbaasApi.listRestores.mock.calls.length;
    expect(calls).toBe(3);
    await sleep(POLL_MS * 5);
    expect(dbaasApi.listRestores).toHaveBeenCalledTimes(calls);

    const panel = within(screen.getByTestId('dbaas-restore-r-1'));
    expect(
      panel.getByText('payments-ledger-pre-restore-r-1'),
    ).toBeInTheDocument();
    expect(
      panel.getByTestId('dbaas-restore-step-drop-safety-copy'),
    ).toHaveAttribute('data-progress', 'scheduled');
    // The next request may be made.
    expect(screen.getByTestId('dbaas-request-restore')).toBeEnabled();
  });

  it('stops polling when the tab is left', async () => {
    const dbaasApi = apiReturning([running]);
    const { unmount } = render(dbaasApi);
    await screen.findByTestId('dbaas-restore-r-1');
    await waitFor(() =>
      expect(dbaasApi.listRestores.mock.calls.length).toBeGreaterThan(1),
    );

    unmount();
    const calls = dbaasApi.listRestores.mock.calls.length;
    await sleep(POLL_MS * 5);
    expect(dbaasApi.listRestores).toHaveBeenCalledTimes(calls);
  });

  it('keeps showing the request when a poll fails, and says so', async () => {
    const dbaasApi = mockRestoreApi();
    dbaasApi.listSnapshots.mockResolvedValue(snapshotsResponse());
    dbaasApi.listRestores.mockResolvedValueOnce({ items: [running] });
    dbaasApi.listRestores.mockRejectedValueOnce(new Error('gateway timeout'));
    // The next poll answers when the test says so.
    let answer: (value: { items: RestoreRequest[] }) => void = () => {};
    dbaasApi.listRestores.mockImplementation(
      () => new Promise(resolve => (answer = resolve)),
    );
    render(dbaasApi);

    expect(
      await screen.findByText(
        'Could not refresh the restore requests (retrying): gateway timeout',
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('dbaas-restore-state')).toHaveTextContent(
      'running',
    );
    await waitFor(() => expect(dbaasApi.listRestores).toHaveBeenCalledTimes(3));
    answer({ items: [{ ...running, currentStep: 'grants' }] });
    await waitFor(() =>
      expect(screen.getByTestId('dbaas-restore-step-grants')).toHaveAttribute(
        'data-progress',
        'active',
      ),
    );
  });

  it('shows a failed restore: the failed step in red, the error, and that the original is untouched', async () => {
    const failed = restoreRequest({
      state: 'failed',
      currentStep: 'restore',
      error: 'pg_restore exited with code 1: relation "x" already exists',
      log: [
        {
          at: '2026-03-04T12:00:05.000Z',
          step: 'restore',
          level: 'error',
          message: 'pg_restore exited with code 1',
        },
        {
          at: '2026-03-04T12:00:06.000Z',
          step: 'cleanup',
          level: 'info',
          message: 'dropped the scratch database',
        },
      ],
    });
    const dbaasApi = apiReturning([failed]);
    render(dbaasApi);

    const alert = await screen.findByRole('alert', { name: 'Restore error' });
    expect(alert).toHaveTextContent(
      'The restore failed at restore. It cleaned up after itself: payments-ledger is untouched.',
    );
    expect(alert).toHaveTextContent('relation "x" already exists');
    expect(screen.getByTestId('dbaas-restore-step-restore')).toHaveAttribute(
      'data-progress',
      'failed',
    );
    expect(screen.getByTestId('dbaas-restore-step-cleanup')).toHaveAttribute(
      'data-progress',
      'done',
    );
    expect(screen.getByTestId('dbaas-restore-step-verify')).toHaveAttribute(
      'data-progress',
      'skipped',
    );
  });

  it('shows a pending request with its expiry, and cancels it after a confirmation', async () => {
    const waiting = restoreRequest({ allowedActions: ['cancel'] });
    const dbaasApi = apiReturning([waiting]);
    dbaasApi.cancelRestore.mockResolvedValue({
      ...waiting,
      state: 'cancelled',
      allowedActions: [],
    });
    render(dbaasApi);

    const panel = within(await screen.findByTestId('dbaas-restore-r-1'));
    expect(panel.getByText(/^in 2[23] hours$/)).toBeInTheDocument();
    expect(panel.getByTestId('dbaas-restore-approvals')).toHaveTextContent(
      '0 of 1',
    );
    expect(
      panel.getByText('Rows deleted by a bad migration at 11:40'),
    ).toBeInTheDocument();

    fireEvent.click(panel.getByRole('button', { name: 'Cancel request' }));
    fireEvent.click(
      await screen.findByRole('button', { name: 'Keep the request' }),
    );
    expect(dbaasApi.cancelRestore).not.toHaveBeenCalled();

    fireEvent.click(
      await panel.findByRole('button', { name: 'Cancel request' }),
    );
    fireEvent.click(
      await screen.findByRole('button', { name: 'Cancel the request' }),
    );
    // What the backend lists once the cancel went through.
    dbaasApi.listRestores.mockResolvedValue({
      items: [{ ...waiting, state: 'cancelled', allowedActions: [] }],
    });

    await waitFor(() =>
      expect(screen.getByTestId('dbaas-restore-state')).toHaveTextContent(
        'cancelled',
      ),
    );
    expect(dbaasApi.cancelRestore).toHaveBeenCalledWith('r-1');
    expect(
      screen.queryByRole('button', { name: 'Cancel request' }),
    ).not.toBeInTheDocument();
  });

  it('points a waiting requester to the approvals page when the app has it', async () => {
    render(apiReturning([restoreRequest()]), { '/dbaas': rootRouteRef });

    expect(
      await screen.findByRole('link', { name: 'Restore approvals' }),
    ).toHaveAttribute('href', '/dbaas/approvals');
  });

  it('offers no cancel when the backend does not allow it', async () => {
    const dbaasApi = apiReturning([restoreRequest({ allowedActions: [] })]);
    render(dbaasApi);

    await screen.findByTestId('dbaas-restore-r-1');
    expect(
      screen.queryByRole('button', { name: 'Cancel request' }),
    ).not.toBeInTheDocument();
  });

  it('shows why a cancel was refused', async () => {
    const dbaasApi = apiReturning([
      restoreRequest({ allowedActions: ['cancel'] }),
    ]);
    dbaasApi.cancelRestore.mockRejectedValue(
      await responseError(409, 'Conflict', 'the restore has started'),
    );
    render(dbaasApi);

    fireEvent.click(
      await screen.findByRole('button', { name: 'Cancel request' }),
    );
    fireEvent.click(
      await screen.findByRole('button', { name: 'Cancel the request' }),
    );
    expect(
      await screen.findByText('Could not cancel: the restore has started'),
    ).toBeInTheDocument();
  });

  it('folds finished requests and lists the recent ones only', async () => {
    const finished = Array.from({ length: 7 }, (_, i) =>
      restoreRequest({
        id: `old-${i}`,
        state: i % 2 ? 'rejected' : 'succeeded',
        requestedAt: ago((i + 1) * 24 * HOUR),
      }),
    );
    const dbaasApi = apiReturning(finished);
    render(dbaasApi);

    await screen.findByTestId('dbaas-restore-old-0');
    expect(screen.queryByTestId('dbaas-restore-old-5')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('list', { name: 'Restore steps' }),
    ).not.toBeInTheDocument();

    fireEvent.click(
      screen.getByRole('button', { name: 'Show all 7 finished requests' }),
    );
    expect(screen.getByTestId('dbaas-restore-old-6')).toBeInTheDocument();
    fireEvent.click(
      within(screen.getByTestId('dbaas-restore-old-0')).getByRole('button', {
        name: 'Show details',
      }),
    );
    expect(
      screen.getByRole('list', { name: 'Restore steps' }),
    ).toBeInTheDocument();
  });

  describe('an in-place restore awaiting its finalize', () => {
    it('shows the deadline and what the swap changes per table, the differing tables first', async () => {
      const dbaasApi = apiReturning([awaitingRequest()]);
      dbaasApi.getRestorePreview.mockResolvedValue(restorePreview());
      render(dbaasApi);

      const preview = within(
        await screen.findByRole('region', { name: 'Restore preview' }),
      );
      expect(dbaasApi.getRestorePreview).toHaveBeenCalledWith('r-9', {
        signal: expect.any(AbortSignal),
      });
      expect(preview.getByTestId('dbaas-finalize-deadline')).toHaveTextContent(
        /\(in (2|3) hours\)$/,
      );
      expect(
        preview.getByText(
          /or the restored copy is dropped and payments-ledger stays as it is/,
        ),
      ).toBeInTheDocument();
      expect(
        await preview.findByTestId('dbaas-preview-totals'),
      ).toHaveTextContent(
        '1,512 rows at the snapshot, 2,004 now (counted 2 minutes ago); 1 table(s) added and 1 dropped since the snapshot, 1 with other row counts.',
      );
      const rows = within(
        preview.getByRole('table', { name: 'What the swap changes' }),
      ).getAllByRole('row');
      expect(rows.map(row => row.textContent)).toEqual([
        'TableRows at the snapshotRows nowNow vs snapshotWhat the swap does',
        'public.audit—4added since the snapshot: the swap removes it (it stays in the safety copy)',
        'public.legacy12—dropped since the snapshot: the swap brings it back',
        'public.orders1,0001,500+500columns added since: coupon (gone after the swap)',
      ]);
      // The unchanged table shows on request.
      fireEvent.click(
        preview.getByRole('button', { name: 'Show all 4 tables' }),
      );
      expect(
        preview.getByTestId('dbaas-preview-public.customers'),
      ).toHaveTextContent('public.customers5005000');
      // The step list shows where it waits.
      expect(screen.getByTestId('dbaas-restore-step-preview')).toHaveAttribute(
        'data-progress',
        'done',
      );
      expect(screen.getByTestId('dbaas-restore-step-swap')).toHaveTextContent(
        'swap — waits for the finalize',
      );
    });

    it('counts again on request', async () => {
      const dbaasApi = apiReturning([awaitingRequest()]);
      dbaasApi.getRestorePreview
        .mockResolvedValueOnce(restorePreview())
        .mockResolvedValueOnce(
          restorePreview({
            totals: { ...restorePreview().totals, rowsNow: 2_010 },
          }),
        );
      render(dbaasApi);

      expect(
        await screen.findByTestId('dbaas-preview-totals'),
      ).toHaveTextContent(/2,004 now/);
      fireEvent.click(screen.getByRole('button', { name: 'Count again' }));
      await waitFor(() =>
        expect(screen.getByTestId('dbaas-preview-totals')).toHaveTextContent(
          /2,010 now/,
        ),
      );
      expect(dbaasApi.getRestorePreview).toHaveBeenCalledTimes(2);
    });

    it('finalizes with a comment after a confirmation', async () => {
      const waiting = awaitingRequest();
      const dbaasApi = apiReturning([waiting]);
      dbaasApi.getRestorePreview.mockResolvedValue(restorePreview());
      dbaasApi.finalizeRestore.mockResolvedValue({
        ...waiting,
        state: 'running',
        allowedActions: [],
      });
      render(dbaasApi);

      fireEvent.click(await screen.findByRole('button', { name: 'Finalize' }));
      const dialog = within(await screen.findByRole('dialog'));
      expect(
        dialog.getByText(/clients of payments-ledger are disconnected/),
      ).toBeInTheDocument();
      fireEvent.change(dialog.getByLabelText('Comment (optional)'), {
        target: { value: ' counts look right ' },
      });
      dbaasApi.listRestores.mockResolvedValue({
        items: [{ ...waiting, state: 'running', allowedActions: [] }],
      });
      fireEvent.click(
        dialog.getByRole('button', { name: 'Finalize and swap' }),
      );

      await waitFor(() =>
        expect(screen.getByTestId('dbaas-restore-state')).toHaveTextContent(
          'running',
        ),
      );
      expect(dbaasApi.finalizeRestore).toHaveBeenCalledWith('r-9', {
        comment: 'counts look right',
      });
      expect(
        screen.queryByRole('region', { name: 'Restore preview' }),
      ).not.toBeInTheDocument();
    });

    it('shows why a finalize was refused', async () => {
      const dbaasApi = apiReturning([awaitingRequest()]);
      dbaasApi.getRestorePreview.mockResolvedValue(restorePreview());
      dbaasApi.finalizeRestore.mockRejectedValue(
        await responseError(
          409,
          'Conflict',
          'Restore request r-9 passed its finalize deadline',
        ),
      );
      render(dbaasApi);

      fireEvent.click(await screen.findByRole('button', { name: 'Finalize' }));
      fireEvent.click(
        await screen.findByRole('button', { name: 'Finalize and swap' }),
      );
      expect(
        await screen.findByText(
          /^Refused: Restore request r-9 passed its finalize deadline/,
        ),
      ).toBeInTheDocument();
    });

    it('tells the requester of a protected database that an approver finalizes', async () => {
      const dbaasApi = apiReturning([
        awaitingRequest({ mode: 'protected', allowedActions: ['cancel'] }),
      ]);
      dbaasApi.getRestorePreview.mockResolvedValue(restorePreview());
      render(dbaasApi);

      expect(
        await screen.findByText(
          'payments-ledger is protected: an approver finalizes this restore, not its requester.',
        ),
      ).toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: 'Finalize' }),
      ).not.toBeInTheDocument();
    });

    it('cancels: the dialog says the copy is dropped and the database stays', async () => {
      const dbaasApi = apiReturning([awaitingRequest()]);
      dbaasApi.getRestorePreview.mockResolvedValue(restorePreview());
      dbaasApi.cancelRestore.mockResolvedValue(awaitingRequest());
      render(dbaasApi);

      fireEvent.click(
        await screen.findByRole('button', { name: 'Cancel request' }),
      );
      expect(
        await screen.findByText(
          'The restored copy is dropped without being swapped in: payments-ledger stays as it is. To restore later, request it again.',
        ),
      ).toBeInTheDocument();
      fireEvent.click(
        screen.getByRole('button', { name: 'Cancel the request' }),
      );
      await waitFor(() =>
        expect(dbaasApi.cancelRestore).toHaveBeenCalledWith('r-9'),
      );
    });

    it('says why the preview could not be loaded', async () => {
      const dbaasApi = apiReturning([awaitingRequest()]);
      dbaasApi.getRestorePreview.mockRejectedValue(
        await responseError(404, 'Not Found', 'no preview yet (running)'),
      );
      render(dbaasApi);

      expect(
        await screen.findByText(
          'Could not load the preview: no preview yet (running)',
        ),
      ).toBeInTheDocument();
    });
  });

  it('says why the requests could not be loaded', async () => {
    const dbaasApi = mockRestoreApi();
    dbaasApi.listSnapshots.mockResolvedValue(snapshotsResponse());
    dbaasApi.listRestores.mockRejectedValue(new Error('backend down'));
    render(dbaasApi);

    expect(
      await screen.findByText(
        /Could not load the restore requests: backend down/,
      ),
    ).toBeInTheDocument();
  });
});
