import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import Grid from '@material-ui/core/Grid';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { RestoreRequest, RestoredCopy } from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../../api/DbaasApi';
import { SnapshotsAndRestores } from '../SnapshotsCard/SnapshotsAndRestores';
import { readyDatabase, responseError } from '../testFixtures';
import {
  HOUR,
  mockRestoreApi,
  restoreRequest,
  snapshotsResponse,
} from './restoreTestFixtures';

function copy(overrides: Partial<RestoredCopy> = {}): RestoredCopy {
  return {
    restoreId: 'r-copy',
    source: {
      namespace: 'payments',
      name: 'ledger',
      databaseName: 'payments-ledger',
    },
    snapshotCreatedAt: '2026-03-04T02:00:00.000Z',
    state: 'expiring',
    expiresAt: new Date(Date.now() + 72 * HOUR).toISOString(),
    namespace: 'payments',
    name: 'ledger-restored-202603041200',
    databaseName: 'payments-ledger-restored-202603041200',
    cluster: 'eu',
    snapshotId: 'ledger-1',
    createdAt: '2026-03-04T12:10:00.000Z',
    allowedActions: ['keep', 'delete'],
    ...overrides,
  };
}

function succeeded(c: RestoredCopy): RestoreRequest {
  return restoreRequest({
    id: 'r-copy',
    state: 'succeeded',
    target: 'new-database',
    targetDatabaseName: c.databaseName,
    copy: c,
  });
}

function render(request: RestoreRequest) {
  const dbaasApi = mockRestoreApi();
  dbaasApi.listSnapshots.mockResolvedValue(snapshotsResponse());
  dbaasApi.listRestores.mockResolvedValue({ items: [request] });
  const rendered = renderInTestApp(
    <Grid container>
      <SnapshotsAndRestores
        database={readyDatabase()}
        pollIntervalMs={60_000}
      />
    </Grid>,
    {
      apis: [
        [dbaasApiRef, dbaasApi],
        mockApis.identity({ userEntityRef: 'user:default/alice' }),
      ],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
  return { dbaasApi, rendered };
}

const panel = async () =>
  within(await screen.findByTestId('dbaas-restored-copy-r-copy'));

describe('RestoredCopyPanel', () => {
  it('links a restore to its copy, says when it expires, and keeps it', async () => {
    const c = copy();
    const { dbaasApi } = render(succeeded(c));
    const p = await panel();
    expect(
      p.getByRole('link', { name: c.databaseName }).getAttribute('href'),
    ).toContain(`/resource/${c.databaseName}`);
    expect(p.getByText(/from payments-ledger at/)).toBeInTheDocument();
    expect(p.getByTestId('dbaas-restored-copy-fate')).toHaveTextContent(
      /dropped with its roles and secrets in \d days \(.*\) unless someone keeps it\.$/,
    );

    const kept = copy({
      state: 'kept',
      expiresAt: undefined,
      keep: {
        by: 'user:default/alice',
        at: '2026-03-05T10:00:00.000Z',
        branchName: `dbaas/create/payments/${c.name}`,
        pullRequestNumber: 42,
        pullRequestUrl: 'https://github.com/acme/apps/pull/42',
        merged: false,
      },
      allowedActions: [],
    });
    dbaasApi.keepRestoredCopy.mockResolvedValue(kept);
    // The card reloads its restores after a change.
    dbaasApi.listRestores.mockResolvedValue({ items: [succeeded(kept)] });
    fireEvent.click(p.getByRole('button', { name: 'Keep' }));
    await waitFor(() =>
      expect(p.getByRole('link', { name: /pull request #42/ })).toHaveAttribute(
        'href',
        'https://github.com/acme/apps/pull/42',
      ),
    );
    expect(dbaasApi.keepRestoredCopy).toHaveBeenCalledWith('r-copy');
    expect(p.getByTestId('dbaas-restored-copy-fate')).toHaveTextContent(
      /^Kept by alice: pull request #42.* adds it to the apps repository; once merged it is an ordinary database\. It no longer expires\.$/,
    );
    expect(p.queryByRole('button', { name: 'Keep' })).toBeNull();
    expect(p.queryByRole('button', { name: 'Delete now' })).toBeNull();
  });

  it('deletes only after the database name is typed, and shows a refusal', async () => {
    const c = copy();
    const { dbaasApi } = render(succeeded(c));
    const p = await panel();
    fireEvent.click(p.getByRole('button', { name: 'Delete now' }));
    const dialog = within(await screen.findByRole('dialog'));
    const confirm = dialog.getByRole('button', { name: 'Delete the copy' });
    expect(confirm).toBeDisabled();
    fireEvent.change(dialog.getByLabelText('Database name'), {
      target: { value: 'payments-ledger' },
    });
    expect(confirm).toBeDisabled();
    fireEvent.change(dialog.getByLabelText('Database name'), {
      target: { value: c.databaseName },
    });
    expect(confirm).toBeEnabled();

    dbaasApi.deleteRestoredCopy.mockRejectedValueOnce(
      await responseError(
        409,
        'Conflict',
        'The copy is kept by user:default/bob',
      ),
    );
    fireEvent.click(confirm);
    expect(await dialog.findByRole('alert')).toHaveTextContent(
      'Could not delete: The copy is kept by user:default/bob',
    );

    const dropped = copy({
      state: 'dropped',
      expiresAt: undefined,
      dropped: {
        at: '2026-03-05T10:00:00.000Z',
        by: 'user:default/alice',
        reason: 'deleted',
      },
      allowedActions: [],
    });
    dbaasApi.deleteRestoredCopy.mockResolvedValueOnce(dropped);
    dbaasApi.listRestores.mockResolvedValue({ items: [succeeded(dropped)] });
    fireEvent.click(confirm);
    await waitFor(() =>
      expect(p.getByTestId('dbaas-restored-copy-fate')).toHaveTextContent(
        /^Dropped .* by alice\.$/,
      ),
    );
    expect(dbaasApi.deleteRestoredCopy).toHaveBeenLastCalledWith(
      'r-copy',
      c.databaseName,
    );
    // Gone: no link to a database that no longer exists.
    expect(p.queryByRole('link', { name: c.databaseName })).toBeNull();
  });

  it('shows an expired copy as dropped, with no actions for anyone', async () => {
    render(
      succeeded(
        copy({
          state: 'dropped',
          expiresAt: undefined,
          dropped: { at: '2026-03-11T12:10:00.000Z', reason: 'expired' },
          allowedActions: [],
        }),
      ),
    );
    const p = await panel();
    expect(p.getByTestId('dbaas-restored-copy-fate')).toHaveTextContent(
      /nobody kept it before it expired/,
    );
    expect(p.queryByRole('button')).toBeNull();
  });

  it('offers nothing to a reader who may not decide on the copy', async () => {
    render(succeeded(copy({ allowedActions: [] })));
    const p = await panel();
    expect(p.getByTestId('dbaas-restored-copy-fate')).toHaveTextContent(
      /unless someone keeps it/,
    );
    expect(p.queryByRole('button')).toBeNull();
  });
});
