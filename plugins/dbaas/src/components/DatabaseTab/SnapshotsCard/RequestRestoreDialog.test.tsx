import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import Grid from '@material-ui/core/Grid';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import type {
  DatabaseDetail,
  DatabaseSnapshotsResponse,
} from '@dbaas/plugin-dbaas-common';
import { dbaasApiRef } from '../../../api/DbaasApi';
import {
  mockRestoreApi,
  restoreRequest,
  snapshot,
  snapshotsResponse,
} from '../RestoresCard/restoreTestFixtures';
import { readyDatabase, responseError } from '../testFixtures';
import { formatAbsoluteTime } from '../../common/formatTime';
import { SnapshotsAndRestores } from './SnapshotsAndRestores';
import { defaultRestoreTargetName } from './restoreTargetName';

async function openDialog(
  database: DatabaseDetail = readyDatabase(),
  config: Record<string, unknown> = {},
  listing: Partial<DatabaseSnapshotsResponse> = {},
) {
  const dbaasApi = mockRestoreApi();
  dbaasApi.validateDatabase.mockResolvedValue({ valid: true, problems: [] });
  dbaasApi.listSnapshots.mockResolvedValue(
    snapshotsResponse({
      items: [
        snapshot({ id: 'snap-creating', status: 'creating' }),
        ...snapshotsResponse().items,
      ],
      ...listing,
    }),
  );
  dbaasApi.listRestores.mockResolvedValue({ items: [] });
  renderInTestApp(
    <Grid container>
      <SnapshotsAndRestores database={database} pollIntervalMs={60_000} />
    </Grid>,
    {
      apis: [[dbaasApiRef, dbaasApi], mockApis.permission()],
      config: config as any,
    },
  );
  fireEvent.click(await screen.findByTestId('dbaas-request-restore'));
  const dialog = await screen.findByTestId('dbaas-restore-dialog');
  return { dbaasApi, dialog: within(dialog) };
}

const field = (dialog: ReturnType<typeof within>, label: RegExp | string) =>
  dialog.getByLabelText(label) as HTMLInputElement;

function type(element: HTMLElement, value: string) {
  fireEvent.change(element, { target: { value } });
}

describe('RequestRestoreDialog', () => {
  it('defaults to the newest available snapshot and a new database named after the minute in UTC', async () => {
    const { dialog } = await openDialog();

    expect(field(dialog, 'Snapshot').value).toBe('snap-2');
    // A snapshot still being taken cannot be chosen.
    expect(
      Array.from(field(dialog, 'Snapshot').querySelectorAll('option')).map(
        o => o.value,
      ),
    ).toEqual(['snap-2', 'snap-1']);
    expect(field(dialog, 'Target').value).toBe('new-database');
    expect(
      dialog.getByText(
        'Empty: ledger-restored-<yyyymmddhhmm>, the minute of the request in UTC.',
      ),
    ).toBeInTheDocument();
    expect(dialog.getByLabelText('What will happen')).toHaveTextContent(
      /into a new database payments-ledger-restored-\d{12} \(payments\/ledger-restored-\d{12}\) with its own read, write and admin roles/,
    );
    expect(
      dialog.getByRole('button', { name: 'Request restore' }),
    ).toBeEnabled();
  });

  it('requires a reason and sends nothing without one', async () => {
    const { dbaasApi, dialog } = await openDialog();

    type(field(dialog, /^Reason/), '   ');
    fireEvent.click(dialog.getByRole('button', { name: 'Request restore' }));

    expect(
      await dialog.findByText('A reason is required: approvers read it'),
    ).toBeInTheDocument();
    expect(dbaasApi.requestRestore).not.toHaveBeenCalled();
  });

  it('sends the snapshot, the target, the trimmed reason and the default name taken at submit time', async () => {
    const { dbaasApi, dialog } = await openDialog();
    dbaasApi.requestRestore.mockResolvedValue(restoreRequest());

    fireEvent.change(field(dialog, 'Snapshot'), {
      target: { value: 'snap-1' },
    });
    type(field(dialog, /^Reason/), '  Rows deleted at 11:40  ');
    const before = new Date();
    fireEvent.click(dialog.getByRole('button', { name: 'Request restore' }));
    await waitFor(() => expect(dbaasApi.requestRestore).toHaveBeenCalled());
    const after = new Date();

    const [ref, body] = dbaasApi.requestRestore.mock.lastCall!;
    expect(ref).toEqual({ namespace: 'payments', name: 'ledger' });
    expect(body).toEqual({
      snapshotId: 'snap-1',
      target: 'new-database',
      reason: 'Rows deleted at 11:40',
      targetName: expect.stringMatching(/^ledger-restored-\d{12}$/),
    });
    // The minute of the click, in UTC (either side of a minute boundary).
    expect([
      defaultRestoreTargetName('ledger', before),
      defaultRestoreTargetName('ledger', after),
    ]).toContain(body.targetName);
    await waitFor(() =>
      expect(
        screen.queryByTestId('dbaas-restore-dialog'),
      ).not.toBeInTheDocument(),
    );
  });

  it('shows the new request on the card once it is sent', async () => {
    const { dbaasApi, dialog } = await openDialog();
    const created = restoreRequest({ id: 'r-new' });
    dbaasApi.requestRestore.mockResolvedValue(created);
    dbaasApi.listRestores.mockResolvedValue({ items: [created] });

    type(field(dialog, /^Reason/), 'Bad migration');
    fireEvent.click(dialog.getByRole('button', { name: 'Request restore' }));

    const panel = await screen.findByTestId('dbaas-restore-r-new');
    expect(within(panel).getByTestId('dbaas-restore-state')).toHaveTextContent(
      'pending-approval',
    );
    expect(screen.getByTestId('dbaas-request-restore')).toBeDisabled();
  });

  it('takes a custom name for the new database and checks it before sending', async () => {
    const { dbaasApi, dialog } = await openDialog();
    dbaasApi.requestRestore.mockResolvedValue(restoreRequest());
    type(field(dialog, /^Reason/), 'Compare with yesterday');

    type(field(dialog, /Name of the new database/), 'Ledger_Copy');
    fireEvent.click(dialog.getByRole('button', { name: 'Request restore' }));
    expect(
      await dialog.findByText(/lowercase|letters/i, {
        selector: 'p.Mui-error',
      }),
    ).toBeInTheDocument();
    expect(dbaasApi.requestRestore).not.toHaveBeenCalled();

    type(field(dialog, /Name of the new database/), 'ledger-yesterday');
    fireEvent.click(dialog.getByRole('button', { name: 'Request restore' }));
    await waitFor(() => expect(dbaasApi.requestRestore).toHaveBeenCalled());
    expect(dbaasApi.requestRestore.mock.lastCall![1]).toMatchObject({
      target: 'new-database',
      targetName: 'ledger-yesterday',
    });
  });

  it('checks the new name as it is typed, in plain words, and blocks a taken one before sending', async () => {
    const { dbaasApi, dialog } = await openDialog();
    dbaasApi.validateDatabase.mockImplementation(async ({ name }) =>
      name === 'ledger-copy'
        ? {
            valid: false,
            problems: [
              {
                field: 'name',
                rule: 'exists',
                message:
                  '`payments`/`ledger-copy` already exists: `defined in payments/ledger-copy/values.yaml on main`',
              },
            ],
          }
        : { valid: true, problems: [] },
    );
    dbaasApi.requestRestore.mockResolvedValue(restoreRequest());
    type(field(dialog, /^Reason/), 'Compare with yesterday');

    type(field(dialog, /Name of the new database/), 'ledger-copy');
    const taken =
      '“payments/ledger-copy” already exists: “defined in payments/ledger-copy/values.yaml on main”';
    expect(
      await dialog.findByText(taken, undefined, { timeout: 2000 }),
    ).toBeInTheDocument();
    expect(dbaasApi.validateDatabase).toHaveBeenLastCalledWith(
      { namespace: 'payments', name: 'ledger-copy' },
      { signal: expect.any(AbortSignal) },
    );
    expect(dialog.queryByText(/targetName|`/)).not.toBeInTheDocument();
    fireEvent.click(dialog.getByRole('button', { name: 'Request restore' }));
    expect(dbaasApi.requestRestore).not.toHaveBeenCalled();

    type(field(dialog, /Name of the new database/), 'ledger-copy-2');
    expect(dialog.queryByText(taken)).not.toBeInTheDocument();
    expect(
      await dialog.findByText('✓ “payments-ledger-copy-2” is free', undefined, {
        timeout: 2000,
      }),
    ).toBeInTheDocument();
    fireEvent.click(dialog.getByRole('button', { name: 'Request restore' }));
    await waitFor(() => expect(dbaasApi.requestRestore).toHaveBeenCalled());
    expect(dbaasApi.requestRestore.mock.lastCall![1]).toMatchObject({
      targetName: 'ledger-copy-2',
    });
  });

  it('drops a refusal once the name it was about changes', async () => {
    const { dbaasApi, dialog } = await openDialog();
    dbaasApi.requestRestore.mockRejectedValue(
      await responseError(
        409,
        'Conflict',
        'Database payments-ledger-x already exists in cluster prod-eu; choose another name for the new database',
      ),
    );
    type(field(dialog, /^Reason/), 'Compare with yesterday');
    type(field(dialog, /Name of the new database/), 'ledger-x');
    fireEvent.click(dialog.getByRole('button', { name: 'Request restore' }));
    expect(await dialog.findByTestId('dbaas-restore-error')).toHaveTextContent(
      'Refused: Database payments-ledger-x already exists in cluster prod-eu; choose another name for the new database',
    );

    type(field(dialog, /Name of the new database/), 'ledger-y');
    expect(dialog.queryByTestId('dbaas-restore-error')).not.toBeInTheDocument();
  });

  it('explains an in-place restore and needs the database name typed to confirm', async () => {
    const { dbaasApi, dialog } = await openDialog();
    dbaasApi.requestRestore.mockResolvedValue(
      restoreRequest({ target: 'in-place' }),
    );

    fireEvent.change(field(dialog, 'Target'), {
      target: { value: 'in-place' },
    });
    const warning = dialog.getByRole('note', {
      name: 'What an in-place restore does',
    });
    expect(warning).toHaveTextContent(
      'restored into a scratch database and verified',
    );
    expect(warning).toHaveTextContent(
      'disconnects every client of payments-ledger and swaps the restored database in',
    );
    expect(warning).toHaveTextContent(
      'kept as a safety copy for 7 days (the default)',
    );
    expect(warning).toHaveTextContent(
      'payments-ledger is protected: two different people must approve',
    );
    expect(
      dialog.queryByLabelText(/Name of the new database/),
    ).not.toBeInTheDocument();

    type(field(dialog, /^Reason/), 'Corrupted by a bad deploy');
    type(field(dialog, 'Type payments-ledger to confirm'), 'payments/ledger');
    fireEvent.click(dialog.getByRole('button', { name: 'Request restore' }));
    expect(
      await dialog.findByText(
        'Type payments-ledger to confirm the in-place restore',
      ),
    ).toBeInTheDocument();
    expect(dbaasApi.requestRestore).not.toHaveBeenCalled();

    type(field(dialog, 'Type payments-ledger to confirm'), 'payments-ledger');
    fireEvent.click(dialog.getByRole('button', { name: 'Request restore' }));
    await waitFor(() => expect(dbaasApi.requestRestore).toHaveBeenCalled());
    // No target name: the data goes into the database itself.
    expect(dbaasApi.requestRestore.mock.lastCall![1]).toEqual({
      snapshotId: 'snap-2',
      target: 'in-place',
      reason: 'Corrupted by a bad deploy',
    });
  });

  it('says how long the safety copy is kept when the platform configured it', async () => {
    const { dialog } = await openDialog(readyDatabase(), {
      dbaas: { restore: { keepSafetyCopyFor: { days: 14 } } },
    });
    fireEvent.change(field(dialog, 'Target'), {
      target: { value: 'in-place' },
    });
    expect(
      dialog.getByRole('note', { name: 'What an in-place restore does' }),
    ).toHaveTextContent('kept as a safety copy for 14 days, then dropped');
  });

  it('says one approver suffices for a standard database in place', async () => {
    const { dialog } = await openDialog(readyDatabase({ mode: 'standard' }));
    fireEvent.change(field(dialog, 'Target'), {
      target: { value: 'in-place' },
    });
    expect(
      dialog.getByRole('note', { name: 'What an in-place restore does' }),
    ).toHaveTextContent('One person must approve');
  });

  it.each([
    [
      403,
      'Forbidden',
      'user:default/bob does not own the tenant payments',
      'You may not request restores of payments/ledger: user:default/bob does not own the tenant payments. The owners of the tenant payments can.',
    ],
    [
      409,
      'Conflict',
      'restore r-1 of payments-ledger is running',
      'Refused: restore r-1 of payments-ledger is running',
    ],
    [
      409,
      'Conflict',
      'database payments-ledger-restored-202603041200 already exists',
      'Refused: database payments-ledger-restored-202603041200 already exists',
    ],
  ])(
    'shows the server message of a %s and keeps the form',
    async (status, statusText, message, shown) => {
      const { dbaasApi, dialog } = await openDialog();
      dbaasApi.requestRestore.mockRejectedValue(
        await responseError(status, statusText, message),
      );
      type(field(dialog, /^Reason/), 'Bad migration');
      fireEvent.click(dialog.getByRole('button', { name: 'Request restore' }));

      expect(
        await dialog.findByTestId('dbaas-restore-error'),
      ).toHaveTextContent(shown);
      expect(field(dialog, /^Reason/).value).toBe('Bad migration');
      expect(
        dialog.getByRole('button', { name: 'Request restore' }),
      ).toBeEnabled();
    },
  );

  describe('point in time (Aurora)', () => {
    const aurora = {
      cluster: 'aurora-eu',
      restoreWindow: {
        earliest: '2026-02-25T03:10:00.250Z',
        latest: '2026-03-04T09:55:02.000Z',
        pointInTime: true,
      },
      items: [
        snapshot({
          id: 'rds:idp-eu-2026-03-04-02-15',
          source: 'aurora-cluster-snapshot',
          type: 'automated',
          cluster: 'aurora-eu',
        }),
      ],
    };

    it('offers a second of the window, starting at its latest, and sends it instead of a snapshot', async () => {
      const { dbaasApi, dialog } = await openDialog(
        readyDatabase(),
        {},
        aurora,
      );
      dbaasApi.requestRestore.mockResolvedValue(restoreRequest());
      expect(field(dialog, 'Restore from').value).toBe('snapshot');
      fireEvent.change(field(dialog, 'Restore from'), {
        target: { value: 'point-in-time' },
      });
      const input = field(dialog, 'Point in time (UTC)');
      // jsdom, like browsers, may write the value with milliseconds.
      expect(input.value).toMatch(/^2026-03-04T09:55:02(\.000)?$/);
      expect(input.min).toBe('2026-02-25T03:10:01');
      expect(input.max).toBe('2026-03-04T09:55:02');
      expect(
        dialog.getByText(
          /Any second from 2026-02-25 03:10:01 UTC to 2026-03-04 09:55:02 UTC/,
        ),
      ).toBeInTheDocument();
      expect(dialog.queryByLabelText('Snapshot')).not.toBeInTheDocument();
      expect(dialog.getByLabelText('What will happen')).toHaveTextContent(
        /^The data as it was then is restored into a new database/,
      );

      type(input, '2026-03-01T11:39:58');
      type(field(dialog, /^Reason/), 'Rows deleted at 11:40');
      fireEvent.click(dialog.getByRole('button', { name: 'Request restore' }));
      await waitFor(() => expect(dbaasApi.requestRestore).toHaveBeenCalled());
      expect(dbaasApi.requestRestore.mock.lastCall![1]).toEqual({
        pointInTime: '2026-03-01T11:39:58Z',
        target: 'new-database',
        reason: 'Rows deleted at 11:40',
        targetName: expect.stringMatching(/^ledger-restored-\d{12}$/),
      });
    });

    it('refuses a time outside the window, naming it, and sends nothing', async () => {
      const { dbaasApi, dialog } = await openDialog(
        readyDatabase(),
        {},
        aurora,
      );
      fireEvent.change(field(dialog, 'Restore from'), {
        target: { value: 'point-in-time' },
      });
      type(field(dialog, 'Point in time (UTC)'), '2026-02-25T03:10:00');
      type(field(dialog, /^Reason/), 'Rows deleted');
      fireEvent.click(dialog.getByRole('button', { name: 'Request restore' }));
      expect(
        await dialog.findByText(
          'Outside the restore window: 2026-02-25 03:10:01 UTC to 2026-03-04 09:55:02 UTC',
        ),
      ).toBeInTheDocument();
      expect(dbaasApi.requestRestore).not.toHaveBeenCalled();
    });

    it('tells the in-place warning the chosen moment', async () => {
      const { dialog } = await openDialog(readyDatabase(), {}, aurora);
      fireEvent.change(field(dialog, 'Restore from'), {
        target: { value: 'point-in-time' },
      });
      type(field(dialog, 'Point in time (UTC)'), '2026-03-01T11:39:58');
      fireEvent.change(field(dialog, 'Target'), {
        target: { value: 'in-place' },
      });
      expect(
        dialog.getByRole('note', { name: 'What an in-place restore does' }),
      ).toHaveTextContent(
        `Changes made after the snapshot (${formatAbsoluteTime(
          '2026-03-01T11:39:58.000Z',
        )}) are no longer in the live database`,
      );
    });

    it('opens on the point in time when the cluster has no snapshot yet', async () => {
      const { dbaasApi, dialog } = await openDialog(
        readyDatabase(),
        {},
        {
          ...aurora,
          items: [],
        },
      );
      dbaasApi.requestRestore.mockResolvedValue(restoreRequest());
      expect(field(dialog, 'Restore from').value).toBe('point-in-time');
      type(field(dialog, /^Reason/), 'Rows deleted');
      fireEvent.click(dialog.getByRole('button', { name: 'Request restore' }));
      await waitFor(() => expect(dbaasApi.requestRestore).toHaveBeenCalled());
      expect(dbaasApi.requestRestore.mock.lastCall![1]).toMatchObject({
        pointInTime: '2026-03-04T09:55:02Z',
      });
    });

    it('offers snapshots only where the window is not a point-in-time one', async () => {
      const { dialog } = await openDialog();
      expect(dialog.queryByLabelText('Restore from')).not.toBeInTheDocument();
      expect(
        dialog.queryByLabelText('Point in time (UTC)'),
      ).not.toBeInTheDocument();
    });
  });
});
