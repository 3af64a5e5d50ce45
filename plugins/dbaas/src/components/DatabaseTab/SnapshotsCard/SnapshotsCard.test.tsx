import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import Grid from '@material-ui/core/Grid';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { dbaasApiRef } from '../../../api/DbaasApi';
import {
  mockRestoreApi,
  pending,
  restoreRequest,
  snapshot,
  snapshotsResponse,
} from '../RestoresCard/restoreTestFixtures';
import { readyDatabase, responseError } from '../testFixtures';
import { SnapshotsAndRestores } from './SnapshotsAndRestores';

function renderSnapshots(
  dbaasApi: ReturnType<typeof mockRestoreApi>,
  database = readyDatabase(),
  permissionApi = mockApis.permission(),
) {
  return renderInTestApp(
    <Grid container>
      <SnapshotsAndRestores database={database} pollIntervalMs={20} />
    </Grid>,
    {
      apis: [
        [dbaasApiRef, dbaasApi],
        [permissionApiRef, permissionApi],
      ],
    },
  );
}

function apiWith(snapshots = snapshotsResponse()) {
  const dbaasApi = mockRestoreApi();
  dbaasApi.listSnapshots.mockResolvedValue(snapshots);
  dbaasApi.listRestores.mockResolvedValue({ items: [] });
  return dbaasApi;
}

describe('SnapshotsCard', () => {
  it('shows the restore window, retention, next snapshot and the snapshots of the database', async () => {
    const dbaasApi = apiWith();
    renderSnapshots(dbaasApi);

    expect(await screen.findByText('35 days')).toBeInTheDocument();
    expect(dbaasApi.listSnapshots).toHaveBeenCalledWith(
      { namespace: 'payments', name: 'ledger' },
      { signal: expect.any(AbortSignal) },
    );
    const window = screen.getByTestId('dbaas-restore-window');
    expect(window).toHaveTextContent(/1 Feb 2026/);
    expect(window).toHaveTextContent(/4 Mar 2026/);
    expect(
      screen.getByText('logical pg_dump snapshots of this database'),
    ).toBeInTheDocument();

    const newest = screen.getByTestId('dbaas-snapshot-snap-2');
    expect(newest).toHaveTextContent('daily');
    expect(newest).toHaveTextContent('8.4 MiB');
    expect(newest).toHaveTextContent('available');
    // The checksum is shortened; the whole of it is on hover.
    expect(
      within(newest).getByTitle('sha256:9f86d081884c7d659a2feaa0c55ad015'),
    ).toHaveTextContent('sha256:9f86d081884c…');
    expect(screen.getByTestId('dbaas-snapshot-snap-1')).toHaveTextContent(
      'on demand',
    );
    expect(
      await screen.findByText(
        'No restore has been requested for this database.',
      ),
    ).toBeInTheDocument();
  });

  it('says when there is nothing to restore from, and disables the request', async () => {
    const dbaasApi = apiWith(
      snapshotsResponse({ restoreWindow: undefined, items: [] }),
    );
    renderSnapshots(dbaasApi);

    expect(
      await screen.findByText('none: no snapshot is available yet'),
    ).toBeInTheDocument();
    expect(screen.getByText('No snapshot yet.')).toBeInTheDocument();
    expect(screen.getByTestId('dbaas-request-restore')).toBeDisabled();
    expect(
      screen.getByText(
        'Nothing to restore from until a snapshot is available.',
      ),
    ).toBeInTheDocument();
  });

  it('takes a snapshot now on a local cluster and lists it', async () => {
    const dbaasApi = apiWith();
    const taken = snapshot({
      id: 'snap-3',
      type: 'on-demand',
      createdAt: new Date().toISOString(),
    });
    dbaasApi.createSnapshot.mockResolvedValue(taken);
    renderSnapshots(dbaasApi);

    fireEvent.click(await screen.findByTestId('dbaas-take-snapshot'));
    dbaasApi.listSnapshots.mockResolvedValue(
      snapshotsResponse({ items: [taken, ...snapshotsResponse().items] }),
    );

    expect(await screen.findByTestId('dbaas-snapshot-snap-3')).toBeVisible();
    expect(dbaasApi.createSnapshot).toHaveBeenCalledWith({
      namespace: 'payments',
      name: 'ledger',
    });
  });

  it('shows why a snapshot could not be taken', async () => {
    const dbaasApi = apiWith();
    dbaasApi.createSnapshot.mockRejectedValue(
      await responseError(403, 'Forbidden', 'not an owner of payments'),
    );
    renderSnapshots(dbaasApi);

    fireEvent.click(await screen.findByTestId('dbaas-take-snapshot'));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'You may not take snapshots of payments/ledger: snapshots on demand and restores are for the owners of the tenant payments and the platform team (permission dbaas.restore.request).',
    );
  });

  it('disables Take snapshot and Request restore for someone the policy denies, saying why', async () => {
    const dbaasApi = apiWith();
    const permissionApi = mockApis.permission({
      authorize: request =>
        request.permission.name === 'dbaas.restore.request'
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    });
    // usePermission caches answers by request across renders (SWR): a
    // database of its own keeps this denial out of the other tests.
    renderSnapshots(
      dbaasApi,
      readyDatabase({ namespace: 'search', name: 'index' }),
      permissionApi,
    );

    expect(
      await screen.findByTestId('dbaas-snapshots-not-allowed'),
    ).toHaveTextContent(
      'You may not take snapshots of search/index: snapshots on demand and restores are for the owners of the tenant search and the platform team (permission dbaas.restore.request).',
    );
    expect(screen.getByTestId('dbaas-take-snapshot')).toBeDisabled();
    expect(screen.getByTestId('dbaas-request-restore')).toBeDisabled();
    fireEvent.click(screen.getByTestId('dbaas-take-snapshot'));
    expect(dbaasApi.createSnapshot).not.toHaveBeenCalled();
  });

  it('offers no on-demand snapshot for Aurora, which takes its own', async () => {
    const dbaasApi = apiWith(
      snapshotsResponse({
        items: [
          snapshot({ source: 'aurora-cluster-snapshot', type: 'automated' }),
        ],
      }),
    );
    renderSnapshots(dbaasApi);

    expect(
      await screen.findByText(
        'Aurora cluster snapshots (each holds every database of the cluster)',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('dbaas-take-snapshot')).not.toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByTestId('dbaas-request-restore')).toBeEnabled(),
    );
  });

  it('refuses a second restore while one is active, saying so', async () => {
    const dbaasApi = apiWith();
    dbaasApi.listRestores.mockResolvedValue({ items: [restoreRequest()] });
    renderSnapshots(dbaasApi);

    expect(
      await screen.findByText(
        'A restore of this database is pending-approval: one restore at a time. It shows below.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('dbaas-request-restore')).toBeDisabled();
  });

  it('shows that it is loading, and why it failed with a retry', async () => {
    const dbaasApi = mockRestoreApi();
    dbaasApi.listSnapshots.mockImplementation(() => pending());
    dbaasApi.listRestores.mockImplementation(() => pending());
    const { unmount } = renderSnapshots(dbaasApi);
    expect(
      await screen.findByRole('progressbar', { name: 'Loading snapshots' }),
    ).toBeInTheDocument();
    unmount();

    const failing = mockRestoreApi();
    failing.listSnapshots.mockRejectedValueOnce(new Error('network down'));
    failing.listSnapshots.mockResolvedValue(snapshotsResponse());
    failing.listRestores.mockResolvedValue({ items: [] });
    renderSnapshots(failing);
    expect(
      await screen.findByText(/Could not load the snapshots: network down/),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('35 days')).toBeInTheDocument();
  });

  it('says when the user may not see the snapshots', async () => {
    const dbaasApi = mockRestoreApi();
    dbaasApi.listSnapshots.mockRejectedValue(
      await responseError(403, 'Forbidden', 'denied by policy'),
    );
    dbaasApi.listRestores.mockResolvedValue({ items: [] });
    renderSnapshots(dbaasApi);

    expect(
      await screen.findByText(
        'You may not see the snapshots of this database: denied by policy',
      ),
    ).toBeInTheDocument();
  });

  it('polls the snapshots while one is being taken, then stops', async () => {
    const dbaasApi = apiWith(
      snapshotsResponse({
        items: [snapshot({ id: 'snap-3', status: 'creating' })],
      }),
    );
    dbaasApi.listSnapshots.mockResolvedValueOnce(
      snapshotsResponse({
        items: [snapshot({ id: 'snap-3', status: 'creating' })],
      }),
    );
    dbaasApi.listSnapshots.mockResolvedValue(
      snapshotsResponse({ items: [snapshot({ id: 'snap-3' })] }),
    );
    renderSnapshots(dbaasApi);

    await waitFor(() =>
      expect(screen.getByTestId('dbaas-snapshot-snap-3')).toHaveTextContent(
        'available',
      ),
    );
    const calls = dbaasApi.listSnapshots.mock.calls.length;
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(dbaasApi.listSnapshots).toHaveBeenCalledTimes(calls);
  });
});
