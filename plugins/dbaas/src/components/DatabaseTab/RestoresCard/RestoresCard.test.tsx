import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import Grid from '@material-ui/core/Grid';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import type { RestoreRequest } from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../../api/DbaasApi';
import { rootRouteRef } from '../../../routes';
import { SnapshotsAndRestores } from '../SnapshotsCard/SnapshotsAndRestores';
import { readyDatabase, responseError } from '../testFixtures';
import {
  HOUR,
  ago,
  mockRestoreApi,
  restoreRequest,
  snapshotsResponse,
} from './restoreTestFixtures';

const POLL_MS = 20;

function render(
  dbaasApi: ReturnType<typeof mockRestoreApi>,
  mountedRoutes?: { [path: string]: typeof rootRouteRef },
) {
  return renderInTestApp(
    <Grid container>
      <SnapshotsAndRestores
        database={readyDatabase()}
        pollIntervalMs={POLL_MS}
      />
    </Grid>,
    { apis: [[dbaasApiRef, dbaasApi]], mountedRoutes },
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
